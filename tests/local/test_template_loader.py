"""template.yaml is read, not copied: short tags, routes, environments, tables and secrets come from it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from local.cfn import CfnLoader, Resolver
from local.emulator import Emulator, bootstrap, client
from local.template import (
    CorsConfiguration,
    bucket_definitions,
    cors_configuration,
    load_template,
    routes,
    secret_names,
    table_definitions,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    return load_template(ROOT / "template.yaml")


def _yaml(text: str) -> Any:
    return yaml.load(text, Loader=CfnLoader)  # noqa: S506 - a SafeLoader subclass


def test_short_tags_become_long_form_intrinsics() -> None:
    loaded = _yaml(
        """
        a: !Ref Thing
        b: !Sub "x-${Env}"
        c: !GetAtt Table.Arn
        d: !Join [",", [a, !Ref B]]
        e: !If [IsProd, 1, 2]
        f: !Sub ["${A}-${B}", {A: 1, B: !Ref C}]
        g: !Equals [!Ref Env, prod]
        """
    )
    assert loaded == {
        "a": {"Ref": "Thing"},
        "b": {"Fn::Sub": "x-${Env}"},
        "c": {"Fn::GetAtt": ["Table", "Arn"]},
        "d": {"Fn::Join": [",", ["a", {"Ref": "B"}]]},
        "e": {"Fn::If": ["IsProd", 1, 2]},
        "f": {"Fn::Sub": ["${A}-${B}", {"A": 1, "B": {"Ref": "C"}}]},
        "g": {"Fn::Equals": [{"Ref": "Env"}, "prod"]},
    }


def test_intrinsics_resolve_against_parameters_and_pseudo_parameters() -> None:
    template = _yaml(
        """
        Parameters:
          Env: {Type: String, Default: dev}
          Days: {Type: Number, Default: 30}
        Conditions:
          IsProd: !Equals [!Ref Env, prod]
        Resources:
          Table:
            Type: AWS::DynamoDB::Table
            Properties: {TableName: !Sub "t-${Env}"}
        """
    )
    resolver = Resolver(template, {"Env": "prod"})
    assert resolver.resolve({"Ref": "Days"}) == "30"
    assert resolver.resolve(_yaml('!Sub "${AWS::Region}:${Table}:${!Literal}"')) == "us-east-1:t-prod:${Literal}"
    assert resolver.resolve(_yaml("!GetAtt Table.Arn")) == "arn:aws:dynamodb:us-east-1:123456789012:table/t-prod"
    assert resolver.resolve(_yaml("!If [IsProd, yes-prod, not-prod]")) == "yes-prod"
    assert resolver.resolve(_yaml('!Join ["-", [a, !Ref Env]]')) == "a-prod"
    assert resolver.resolve({"k": {"Ref": "AWS::NoValue"}, "j": 1}) == {"j": 1}


def test_an_unknown_override_is_an_error_not_a_silent_default(template: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="EnvironmentNam"):
        routes(template, {"EnvironmentNam": "prod"})


def test_table_definitions_are_the_templates_table(template: dict[str, Any]) -> None:
    (definition,) = table_definitions(template)
    assert definition["TableName"] == "collectra-dev"
    assert definition["BillingMode"] == "PAY_PER_REQUEST"
    assert definition["TimeToLiveAttributeName"] == "expires_at"
    assert definition["KeySchema"] == [
        {"AttributeName": "pk", "KeyType": "HASH"},
        {"AttributeName": "sk", "KeyType": "RANGE"},
    ]
    assert "PointInTimeRecoverySpecification" not in definition  # not a create_table argument
    # What a restore leaves behind, so the emulator's table has them as AWS's has (local/restore_check.py).
    assert definition["PointInTimeRecoveryEnabled"] is True
    assert definition["SSESpecification"] == {"Enabled": True}
    assert table_definitions(template, {"EnvironmentName": "prod"})[0]["TableName"] == "collectra-prod"


def test_table_definitions_follow_the_template_not_a_copy(template: dict[str, Any]) -> None:
    """Whatever the template says about its tables, field by field."""
    for definition, (_, resource) in zip(
        table_definitions(template),
        [(k, r) for k, r in template["Resources"].items() if r["Type"] == "AWS::DynamoDB::Table"],
        strict=True,
    ):
        props = resource["Properties"]
        assert definition["KeySchema"] == props["KeySchema"]
        assert definition["AttributeDefinitions"] == props["AttributeDefinitions"]
        assert definition["BillingMode"] == props["BillingMode"]
        assert [i["IndexName"] for i in definition.get("GlobalSecondaryIndexes", [])] == [
            i["IndexName"] for i in props.get("GlobalSecondaryIndexes", [])
        ]


def test_routes_carry_the_function_and_its_resolved_environment(template: dict[str, Any]) -> None:
    by_key = {route.route_key: route for route in routes(template)}
    login = by_key["POST /auth/login"]

    assert (login.logical_id, login.code_uri, login.handler) == ("LoginFunction", "functions/auth/", "login.handler")
    assert login.function_name == "collectra-dev-login"
    assert login.layers == ("layers/common/",)
    assert login.environment["TABLE_NAME"] == "collectra-dev"
    assert login.environment["ENVIRONMENT"] == "dev"
    assert login.environment["WEB_ORIGIN"] == "http://localhost:5173"
    assert login.environment["JWT_SECRET_NAME"] == "collectra/dev/jwt-signing-key"
    assert login.environment["POWERTOOLS_SERVICE_NAME"] == "collectra"
    assert all(isinstance(value, str) for value in login.environment.values())

    overridden = {r.route_key: r for r in routes(template, {"EnvironmentName": "prod", "WebOrigin": "https://x.io"})}
    assert overridden["POST /auth/login"].environment["TABLE_NAME"] == "collectra-prod"
    assert overridden["POST /auth/login"].environment["WEB_ORIGIN"] == "https://x.io"


def test_every_http_api_event_of_the_template_is_a_route(template: dict[str, Any]) -> None:
    expected = {
        (event["Properties"]["Method"], event["Properties"]["Path"], logical_id)
        for logical_id, resource in template["Resources"].items()
        if resource["Type"] == "AWS::Serverless::Function"
        for event in resource["Properties"].get("Events", {}).values()
        if event["Type"] == "HttpApi"
    }
    assert {(r.method, r.path, r.logical_id) for r in routes(template)} == expected


def test_function_environment_merges_globals_and_only_http_api_events_count() -> None:
    template = _yaml(
        """
        Globals:
          Function:
            Timeout: 5
            Environment: {Variables: {SHARED: g, OVERRIDDEN: g}}
        Resources:
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              CodeUri: fn/
              Handler: app.handler
              Environment: {Variables: {OVERRIDDEN: own, OWN: own}}
              Events:
                Http: {Type: HttpApi, Properties: {Method: get, Path: /x}}
                Tick: {Type: Schedule, Properties: {Schedule: rate(1 minute)}}
                Everything: {Type: HttpApi}
        """
    )
    found = routes(template)
    assert [(r.method, r.path, r.route_key) for r in found] == [
        ("GET", "/x", "GET /x"),
        ("ANY", "$default", "$default"),
    ]
    assert found[0].environment == {"SHARED": "g", "OVERRIDDEN": "own", "OWN": "own"}
    assert found[0].timeout == 5


def test_secret_names_are_the_secret_name_parameters(template: dict[str, Any]) -> None:
    assert secret_names(template) == {
        "JwtSecretName": "collectra/dev/jwt-signing-key",
        "BrevoApiKeySecretName": "collectra/dev/brevo-api-key",
        "BrevoWebhookSecretName": "collectra/dev/brevo-webhook-token",
        "PageLinkSecretName": "collectra/dev/page-link-key",
        "StripeApiKeySecretName": "collectra/dev/stripe-api-key",
        "StripeWebhookSecretName": "collectra/dev/stripe-webhook-secrets",
    }
    assert secret_names(template, {"JwtSecretName": "other"})["JwtSecretName"] == "other"


def test_cors_configuration_is_the_http_apis(template: dict[str, Any]) -> None:
    assert cors_configuration(template, {"WebOrigin": "https://app.example"}) == CorsConfiguration(
        allow_origins=("https://app.example",),
        allow_credentials=True,
        allow_headers=("content-type", "x-requested-with"),
        allow_methods=("GET", "POST", "PUT", "PATCH", "DELETE"),
        max_age=600,
    )


def test_bootstrap_creates_the_templates_tables_and_secrets_idempotently(template: dict[str, Any]) -> None:
    with Emulator(port=0) as emulator:
        bootstrap(emulator.url, template)
        secrets = client("secretsmanager", emulator.url)
        jwt_key = secrets.get_secret_value(SecretId="collectra/dev/jwt-signing-key")["SecretString"]

        bootstrap(emulator.url, template, secret_values={"BrevoApiKeySecretName": "xkeysib-local"})

        dynamodb = client("dynamodb", emulator.url)
        table = dynamodb.describe_table(TableName="collectra-dev")["Table"]
        (definition,) = table_definitions(template)
        assert table["KeySchema"] == definition["KeySchema"]
        assert sorted(i["IndexName"] for i in table["GlobalSecondaryIndexes"]) == sorted(
            i["IndexName"] for i in definition["GlobalSecondaryIndexes"]
        )
        ttl = dynamodb.describe_time_to_live(TableName="collectra-dev")["TimeToLiveDescription"]
        assert (ttl["TimeToLiveStatus"], ttl["AttributeName"]) == ("ENABLED", "expires_at")
        backups = dynamodb.describe_continuous_backups(TableName="collectra-dev")["ContinuousBackupsDescription"]
        assert backups["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "ENABLED"
        assert table["SSEDescription"]["Status"] == "ENABLED"
        assert len(jwt_key) >= 48
        assert secrets.get_secret_value(SecretId="collectra/dev/jwt-signing-key")["SecretString"] == jwt_key
        assert secrets.get_secret_value(SecretId="collectra/dev/brevo-api-key")["SecretString"] == "xkeysib-local"
        with pytest.raises(ValueError, match="NotASecret"):
            bootstrap(emulator.url, template, secret_values={"NotASecret": "x"})


def test_bucket_definitions_are_the_templates_buckets_in_the_shape_of_s3s_api(template: dict[str, Any]) -> None:
    definitions = bucket_definitions(template, {"EnvironmentName": "prod", "ExportRetentionDays": "3"})
    [export] = [definition for definition in definitions if "-exports-" in definition["Bucket"]]

    assert export["Bucket"] == "collectra-prod-exports-123456789012-us-east-1"
    [encryption] = export["ServerSideEncryptionConfiguration"]["Rules"]
    assert encryption == {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}, "BucketKeyEnabled": True}
    assert export["PublicAccessBlockConfiguration"] == dict.fromkeys(
        ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"), True
    )
    [rule] = export["LifecycleConfiguration"]["Rules"]
    assert rule["Expiration"] == {"Days": 3} and rule["AbortIncompleteMultipartUpload"] == {"DaysAfterInitiation": 1}


def test_a_lifecycle_rule_the_emulator_cannot_honour_is_an_error_not_a_silent_difference() -> None:
    template = _yaml(
        """
Resources:
  Archive:
    Type: AWS::S3::Bucket
    Properties:
      LifecycleConfiguration:
        Rules: [{Status: Enabled, Transitions: [{StorageClass: GLACIER, TransitionInDays: 1}]}]
"""
    )
    with pytest.raises(ValueError, match="Transitions"):
        bucket_definitions(template)


def test_bootstrap_creates_the_templates_buckets_as_configured_and_again_changes_nothing(
    template: dict[str, Any],
) -> None:
    with Emulator(port=0) as emulator:
        bootstrap(emulator.url, template)
        bootstrap(emulator.url, template)

        s3 = client("s3", emulator.url)
        definitions = bucket_definitions(template)
        [definition] = [definition for definition in definitions if "-exports-" in definition["Bucket"]]
        name = definition["Bucket"]
        # The exports' bucket and the web app's (which CloudFront serves on AWS).
        assert sorted(b["Name"] for b in s3.list_buckets()["Buckets"]) == sorted(d["Bucket"] for d in definitions)
        encryption = s3.get_bucket_encryption(Bucket=name)["ServerSideEncryptionConfiguration"]["Rules"][0]
        assert encryption["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
        assert all(s3.get_public_access_block(Bucket=name)["PublicAccessBlockConfiguration"].values())
        [rule] = s3.get_bucket_lifecycle_configuration(Bucket=name)["Rules"]
        assert rule["Expiration"] == {"Days": 7}
