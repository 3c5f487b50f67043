"""A declaration becomes the resources it stands for: the function, its log group, its role's statements, its
event, its route's throttle, and the environment its blocks name. And declarations that cannot be right are
refused with the reason."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from local.cfn import CfnLoader
from stack.base import (
    DELETION_QUEUE,
    EXPORT_BUCKET,
    JWT,
    ORIGIN_VERIFY,
    REMINDER_QUEUE,
    TABLE,
    Setting,
)
from stack.blocks import bucket, query, secret, send_to, table
from stack.environment import EVERY_FUNCTION
from stack.function import Consume, Function, Http, Schedule, Throttle
from stack.intrinsics import Ref
from stack.render import Section, generate
from tests.support.http import ROOT

BASE = """\
# About this base: not copied into the template.
Parameters:
  EnvironmentName: {Type: String, Default: dev}
  JwtSecretName: {Type: String, Default: jwt}
  WebOrigin: {Type: String, Default: http://localhost:5173}
  PublicBaseUrl: {Type: String, Default: http://localhost:3000}
  LogRetentionDays: {Type: Number, Default: 30}
  Every: {Type: String, Default: rate(1 hour)}
  RestoredTableName: {Type: String, Default: ""}
Conditions:
  HasRestoredTable: !Not [!Equals [!Ref RestoredTableName, ""]]
Globals:
  Function:
    Timeout: 10
    # stack: environment
Resources:
  Table: {Type: AWS::DynamoDB::Table}
  Api:
    Type: AWS::Serverless::HttpApi
    Properties:
      StageName: $default
      # The throttles below come from the declarations.
      # stack: route settings
  ReminderQueue: {Type: AWS::SQS::Queue}
  DeletionQueue: {Type: AWS::SQS::Queue}
  ExportBucket: {Type: AWS::S3::Bucket}
  OriginVerifySecret: {Type: AWS::SecretsManager::Secret}
  # stack: functions
"""
SHARED = EVERY_FUNCTION  # ENVIRONMENT and Powertools' settings
SIGN_IN = Function(
    "SignIn",
    handler="functions/auth/login.handler",
    event=Http("POST /auth/login", throttle=Throttle(rate=10, burst=20)),
    permissions=(table("GetItem", "UpdateItem"), query("gsi1"), secret(JWT, ORIGIN_VERIFY)),
    memory=1024,
)


# A function's table: the stack's own (Table), or the restored one RestoredTableName names.
RESTORED = "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${RestoredTableName}"
TABLE_ARN = {"Fn::GetAtt": ["Table", "Arn"]}


def _own_table(resource: Any) -> Any:
    """`resource` as chosen when RestoredTableName is empty."""
    return resource["Fn::If"][2] if isinstance(resource, dict) and "Fn::If" in resource else resource


def _generate(*functions: Function, shared: tuple[Setting, ...] = SHARED) -> str:
    return generate(BASE, [Section("auth", functions)], shared, root=ROOT)


def _load(text: str) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.load(text, Loader=CfnLoader)  # noqa: S506 - a SafeLoader
    return loaded


def test_an_http_function_becomes_its_function_log_group_role_route_and_throttle() -> None:
    template = _load(_generate(SIGN_IN))
    resources = template["Resources"]
    assert resources["SignInFunction"] == {
        "Type": "AWS::Serverless::Function",
        "Properties": {
            "FunctionName": {"Fn::Sub": "collectra-${EnvironmentName}-sign-in"},
            "CodeUri": "functions/auth/",
            "Handler": "login.handler",
            "MemorySize": 1024,
            "Environment": {
                "Variables": {
                    "WEB_ORIGIN": {"Ref": "WebOrigin"},
                    "PUBLIC_BASE_URL": {"Ref": "PublicBaseUrl"},
                    "TABLE_NAME": {"Fn::If": ["HasRestoredTable", {"Ref": "RestoredTableName"}, {"Ref": "Table"}]},
                    "JWT_SECRET_NAME": {"Ref": "JwtSecretName"},
                    "ORIGIN_VERIFY_SECRET_NAME": {"Ref": "OriginVerifySecret"},
                }
            },
            "LoggingConfig": {"LogGroup": {"Ref": "SignInLogGroup"}},
            "Policies": [
                {
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Action": ["dynamodb:GetItem", "dynamodb:UpdateItem"],
                            "Resource": {"Fn::If": ["HasRestoredTable", {"Fn::Sub": RESTORED}, TABLE_ARN]},
                        },
                        {
                            "Effect": "Allow",
                            "Action": ["dynamodb:Query"],
                            "Resource": {
                                "Fn::If": [
                                    "HasRestoredTable",
                                    {"Fn::Sub": f"{RESTORED}/index/gsi1"},
                                    {"Fn::Sub": "${Table.Arn}/index/gsi1"},
                                ]
                            },
                        },
                        {
                            "Effect": "Allow",
                            "Action": ["secretsmanager:GetSecretValue"],
                            "Resource": [
                                {
                                    "Fn::Sub": "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}"
                                    ":secret:${JwtSecretName}-*"
                                },
                                {"Ref": "OriginVerifySecret"},
                            ],
                        },
                    ]
                }
            ],
            "Events": {
                "Http": {
                    "Type": "HttpApi",
                    "Properties": {"ApiId": {"Ref": "Api"}, "Method": "POST", "Path": "/auth/login"},
                }
            },
        },
    }
    assert resources["SignInLogGroup"] == {
        "Type": "AWS::Logs::LogGroup",
        "Properties": {
            "LogGroupName": {"Fn::Sub": "/aws/lambda/collectra-${EnvironmentName}-sign-in"},
            "RetentionInDays": {"Ref": "LogRetentionDays"},
        },
    }
    assert resources["Api"]["Properties"] == {
        "StageName": "$default",
        "RouteSettings": {"POST /auth/login": {"ThrottlingRateLimit": 10, "ThrottlingBurstLimit": 20}},
    }
    assert template["Globals"]["Function"]["Timeout"] == 10
    shared = template["Globals"]["Function"]["Environment"]["Variables"]
    assert shared == {"ENVIRONMENT": {"Ref": "EnvironmentName"}} | {s.variable: s.value for s in SHARED[1:]}


def test_the_base_text_and_its_comments_are_kept_and_its_own_heading_is_not() -> None:
    text = _generate(SIGN_IN)
    assert text.startswith("# Generated by `python -m stack`")
    assert "About this base" not in text
    assert "      # The throttles below come from the declarations.\n      RouteSettings:\n" in text
    assert "# stack:" not in text


def test_a_schedule_and_a_queue_consumer_become_their_events_with_the_queue_they_send_to() -> None:
    planner = Function(
        "Planner",
        handler="functions/reminders/planner.handler",
        event=Schedule(Ref("Every"), "Plan."),
        permissions=(send_to(REMINDER_QUEUE),),
        timeout=300,
    )
    worker = Function(
        "Worker",
        handler="functions/privacy/erasure_worker.handler",
        event=Consume(DELETION_QUEUE, batch_size=1, max_concurrency=5),
        permissions=(bucket(EXPORT_BUCKET, "DeleteObject", objects="exports/*"),),
        reserved_concurrency=2,
    )
    resources = _load(_generate(planner, worker))["Resources"]
    planned = resources["PlannerFunction"]["Properties"]
    assert planned["Events"] == {
        "Tick": {"Type": "Schedule", "Properties": {"Schedule": {"Ref": "Every"}, "Description": "Plan."}}
    }
    assert planned["Timeout"] == 300
    assert planned["Environment"] == {"Variables": {"REMINDER_QUEUE_URL": {"Ref": "ReminderQueue"}}}
    assert planned["Policies"] == [
        {
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": ["sqs:SendMessage"],
                    "Resource": {"Fn::GetAtt": ["ReminderQueue", "Arn"]},
                }
            ]
        }
    ]
    working = resources["WorkerFunction"]["Properties"]
    assert working["Events"] == {
        "Queue": {
            "Type": "SQS",
            "Properties": {
                "Queue": {"Fn::GetAtt": ["DeletionQueue", "Arn"]},
                "BatchSize": 1,
                "FunctionResponseTypes": ["ReportBatchItemFailures"],
                "ScalingConfig": {"MaximumConcurrency": 5},
            },
        }
    }
    assert working["ReservedConcurrentExecutions"] == 2
    assert working["Environment"] == {"Variables": {"EXPORT_BUCKET": {"Ref": "ExportBucket"}}}
    [statement] = working["Policies"][0]["Statement"]
    assert statement["Resource"] == {"Fn::Sub": "${ExportBucket.Arn}/exports/*"}
    assert resources["Api"]["Properties"] == {"StageName": "$default"}  # no route has a throttle: no empty mapping


def test_key_families_limit_every_dynamodb_statement_and_nothing_else() -> None:
    scoped = Function(
        "SignIn",
        handler="functions/auth/login.handler",
        event=Http("POST /auth/login"),
        permissions=(table("GetItem", indexes=True), query("gsi1"), secret(JWT)),
        keys=("EMAIL#", "USER#"),
    )
    statements = _load(_generate(scoped))["Resources"]["SignInFunction"]["Properties"]["Policies"][0]["Statement"]
    condition = {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["EMAIL#*", "USER#*"]}}
    assert [statement.get("Condition") for statement in statements] == [condition, condition, None]
    own = [_own_table(resource) for resource in statements[0]["Resource"]]
    assert own == [TABLE_ARN, {"Fn::Sub": "${Table.Arn}/index/*"}]
    assert statements[0]["Resource"][1]["Fn::If"][1] == {"Fn::Sub": f"{RESTORED}/index/*"}


def test_without_key_families_no_statement_has_a_condition() -> None:
    statements = _load(_generate(SIGN_IN))["Resources"]["SignInFunction"]["Properties"]["Policies"][0]["Statement"]
    assert all("Condition" not in statement for statement in statements)


def test_globals_hold_what_is_shared_and_a_function_only_the_rest() -> None:
    shared = (*SHARED, TABLE.setting, Setting("WEB_ORIGIN", Ref("WebOrigin")))
    template = _load(_generate(SIGN_IN, shared=shared))
    own = template["Resources"]["SignInFunction"]["Properties"]["Environment"]["Variables"]
    assert set(own) == {"PUBLIC_BASE_URL", "JWT_SECRET_NAME", "ORIGIN_VERIFY_SECRET_NAME"}
    globals_ = template["Globals"]["Function"]["Environment"]["Variables"]
    assert set(globals_) == {setting.variable for setting in SHARED} | {"TABLE_NAME", "WEB_ORIGIN"}


@pytest.mark.parametrize(
    ("functions", "problem"),
    [
        ((SIGN_IN, SIGN_IN), "SignInFunction is declared twice"),
        (
            (SIGN_IN, Function("Other", handler="functions/auth/me.handler", event=Http("POST /auth/login"))),
            "Other: POST /auth/login is also SignIn's route",
        ),
        (
            (Function("Missing", handler="functions/auth/nowhere.handler", event=Http("GET /nowhere")),),
            "Missing: no module functions/auth/nowhere.py",
        ),
        (
            (
                Function(
                    "Sized",
                    handler="functions/auth/me.handler",
                    event=Http("GET /auth/me"),
                    reserved_concurrency=Ref("NoSuchParameter"),
                ),
            ),
            "SizedFunction: names NoSuchParameter, which base.yaml does not declare",
        ),
    ],
)
def test_declarations_that_cannot_be_right_are_refused(functions: tuple[Function, ...], problem: str) -> None:
    with pytest.raises(ValueError, match=r"the declarations do not match base\.yaml") as refused:
        _generate(*functions)
    assert problem in str(refused.value)


def test_a_base_without_the_restored_tables_condition_is_refused() -> None:
    without = BASE.replace('  HasRestoredTable: !Not [!Equals [!Ref RestoredTableName, ""]]\n', "  Other: true\n")
    with pytest.raises(ValueError, match=r"SignInFunction: chooses on HasRestoredTable, which base\.yaml's Conditions"):
        generate(without, [Section("auth", (SIGN_IN,))], SHARED, root=ROOT)


def test_a_base_without_its_markers_is_refused() -> None:
    with pytest.raises(ValueError, match="each marker once"):
        generate(BASE.replace("# stack: functions", ""), [Section("auth", (SIGN_IN,))], SHARED, root=ROOT)


@pytest.mark.parametrize(
    ("declare", "reason"),
    [
        (lambda: Http("POST auth/login"), "expected 'METHOD /path'"),
        (lambda: Function("signIn", handler="functions/auth/login.handler", event=Http("GET /x")), "CamelCase"),
        (lambda: Function("SignIn", handler="auth/login.handler", event=Http("GET /x")), "functions/<package>"),
        (lambda: table("GetItem", indexes=("gsi9",)), "gsi9 is not an index of Table"),
        (table, "at least one action"),
        (secret, "at least one secret"),
    ],
)
def test_a_malformed_declaration_fails_where_it_is_written(declare: Any, reason: str) -> None:
    with pytest.raises(ValueError, match=re.escape(reason)):
        declare()


def test_functions_written_outside_the_resources_are_refused() -> None:
    misplaced = BASE.replace("  # stack: functions\n", "").replace("Globals:\n", "Globals:\n  # stack: functions\n")
    with pytest.raises(ValueError, match="lost SignInFunction"):
        generate(misplaced, [Section("auth", (SIGN_IN,))], SHARED, root=ROOT)


def test_handlers_are_found_under_the_root_given(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"no module functions/auth/login\.py"):
        generate(BASE, [Section("auth", (SIGN_IN,))], SHARED, root=tmp_path)


def test_the_store_knows_which_indexes_project_every_attribute() -> None:
    """`store.whole` reads the items behind an index page by key unless the index projects them whole."""
    from collectra import store

    template = yaml.load((ROOT / "template.yaml").read_text(), Loader=CfnLoader)  # noqa: S506 - a SafeLoader
    table = template["Resources"]["Table"]["Properties"]
    projecting_all = {
        index["IndexName"]
        for index in table["GlobalSecondaryIndexes"]
        if index["Projection"]["ProjectionType"] == "ALL"
    }
    assert projecting_all == store.PROJECTS_ALL


def test_the_reminder_index_holds_every_field_of_a_debt_but_the_other_indexes_keys() -> None:
    """The planner reads debts from gsi5 and may save them (`with_indexes` recomputes the other indexes' keys):
    a field added to `Debt` and not projected there would be lost."""
    from collectra.debts.records import Debt

    template = yaml.load((ROOT / "template.yaml").read_text(), Loader=CfnLoader)  # noqa: S506 - a SafeLoader
    indexes = template["Resources"]["Table"]["Properties"]["GlobalSecondaryIndexes"]
    [reminders] = [index for index in indexes if index["IndexName"] == "gsi5"]
    fields = {name for name in Debt.__annotations__ if name not in ("pk", "sk") and not name.startswith("gsi")}
    assert set(reminders["Projection"]["NonKeyAttributes"]) == fields
