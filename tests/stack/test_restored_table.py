"""RestoredTableName: after a point-in-time restore, one parameter points every function at the restored table (its
TABLE_NAME and every DynamoDB permission, on the table and its indexes), while the stack's own table stays as it is.

Read as CloudFormation would resolve template.yaml (local/cfn.py), with the parameter set and unset.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from local.cfn import ACCOUNT_ID, REGION, Resolver
from local.template import function_environments, load_template, table_definitions
from stack.iam import Decision, Request, decide
from tests.support.http import ROOT
from tests.support.least_privilege import function_policies

TEMPLATE = load_template(ROOT / "template.yaml")
RESTORED = "collectra-dev-restored-2026-05-04"
OWN = "collectra-dev"


def _arn(table: str) -> str:
    return f"arn:aws:dynamodb:{REGION}:{ACCOUNT_ID}:table/{table}"


def _dynamodb_resources(statements: list[dict[str, Any]]) -> list[str]:
    found = []
    for statement in statements:
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        if any(str(action).startswith("dynamodb:") for action in actions):
            resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
            found += [str(resource) for resource in resources]
    return found


def _policies(overrides: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
    """Each function's statements as CloudFormation resolves them with these parameters."""
    resolver = Resolver(TEMPLATE, overrides)
    return {
        logical_id: [
            statement
            for policy in resource["Properties"].get("Policies") or []
            for statement in resolver.resolve(policy["Statement"])
        ]
        for logical_id, resource in TEMPLATE["Resources"].items()
        if resource.get("Type") == "AWS::Serverless::Function"
    }


@pytest.mark.parametrize(("overrides", "table"), [({"RestoredTableName": RESTORED}, RESTORED), ({}, OWN)])
def test_every_function_reads_and_writes_the_table_the_parameter_chooses(overrides: dict[str, str], table: str) -> None:
    environments = function_environments(TEMPLATE, overrides)
    policies = _policies(overrides)
    using = {logical_id for logical_id, variables in environments.items() if "TABLE_NAME" in variables}
    granted = {logical_id for logical_id, statements in policies.items() if _dynamodb_resources(statements)}

    assert len(using) > 60 and using == granted  # no function names one table and is allowed the other
    assert {environments[logical_id]["TABLE_NAME"] for logical_id in using} == {table}
    resources = {resource for logical_id in granted for resource in _dynamodb_resources(policies[logical_id])}
    assert _arn(table) in resources
    assert {re.sub(r"/index/[^/]+$", "", resource) for resource in resources} == {_arn(table)}
    assert {resource.rsplit("/", 1)[1] for resource in resources if "/index/" in resource} == {
        "gsi1",
        "gsi2",
        "gsi3",
        "gsi4",
        "gsi5",
    }
    assert Resolver(TEMPLATE, overrides).resolve(TEMPLATE["Outputs"]["TableName"]["Value"]) == table


def test_the_stacks_own_table_is_kept_as_it_is_and_the_emulator_makes_it() -> None:
    table = TEMPLATE["Resources"]["Table"]
    assert (table["DeletionPolicy"], table["UpdateReplacePolicy"]) == ("Retain", "Retain")
    assert "RestoredTableName" not in str(table)  # its definition does not depend on the parameter
    # The local emulator makes the stack's table whatever the parameter says, and by default the functions use it.
    for overrides in ({}, {"RestoredTableName": RESTORED}):
        assert [definition["TableName"] for definition in table_definitions(TEMPLATE, overrides)] == [OWN]
    assert {variables.get("TABLE_NAME") for variables in function_environments(TEMPLATE).values()} == {OWN, None}


def test_a_function_pointed_at_the_restored_table_may_not_touch_the_damaged_one() -> None:
    with_restored = function_policies({**TEMPLATE, "Parameters": _defaults_with(RestoredTableName=RESTORED)})
    context = {"dynamodb:LeadingKeys": ("USER#u1",)}
    for table, expected in ((RESTORED, Decision.ALLOWED), (OWN, Decision.IMPLICIT_DENY)):
        request = Request("dynamodb:BatchGetItem", _arn(table), context)
        assert decide(with_restored["MeFunction"], request) is expected
    unset = function_policies(TEMPLATE)
    assert decide(unset["MeFunction"], Request("dynamodb:BatchGetItem", _arn(OWN), context)) is Decision.ALLOWED


def _defaults_with(**values: str) -> dict[str, Any]:
    """The template's parameters with these defaults instead (what function_policies resolves against)."""
    parameters = {name: dict(spec) for name, spec in TEMPLATE["Parameters"].items()}
    for name, value in values.items():
        parameters[name]["Default"] = value
    return parameters


@pytest.mark.parametrize(
    ("name", "allowed"),
    [
        ("", True),
        ("collectra-prod-restored-2026-05-04", True),
        ("collectra-dev-restored-2026-05-04T0930", True),
        ("collectra-prod", False),  # the damaged table itself: nothing would change, and nothing be kept apart
        ("collectra-prod-restored-", False),
        ("some-other-table", False),
    ],
)
def test_the_parameter_takes_a_restored_tables_name_only(name: str, allowed: bool) -> None:
    pattern = TEMPLATE["Parameters"]["RestoredTableName"]["AllowedPattern"]
    assert (re.fullmatch(pattern, name) is not None) is allowed
