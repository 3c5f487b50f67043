"""The generated template deploys what the hand-written one did (tests/stack/template_before.yaml, frozen when the
template became generated), except for the differences listed here, each with its reason.
"""

from __future__ import annotations

import copy
from fnmatch import fnmatch
from glob import escape

from tests.stack.compare import FUNCTION, differences, grants, load
from tests.support.http import ROOT

BEFORE = load(str(ROOT / "tests/stack/template_before.yaml"))
AFTER = load(str(ROOT / "template.yaml"))


def limited_to_key_families() -> dict[str, str]:
    """Each DynamoDB grant the template now limits to its function's key families (`dynamodb:LeadingKeys`): the
    same action on the same resource, once without the condition and now with it. Nothing else is excused."""
    intended = {}
    for logical_id, resource in AFTER["Resources"].items():
        if resource.get("Type") != FUNCTION:
            continue
        before = grants(BEFORE["Resources"].get(logical_id, {}))
        for effect, action, target, condition in grants(resource):
            if "dynamodb:LeadingKeys" in condition and (effect, action, target, "null") in before:
                reason = "limited to the function's key families (stack/key_families.py)"
                intended[escape(f"{logical_id} grant - {effect} {action} on {target}")] = reason
                intended[escape(f"{logical_id} grant + {effect} {action} on {target} if {condition}")] = reason
    return intended


INDEX = '{"Fn::Sub": "${Table.Arn}/index/*"}'
NARROWED = "Query narrowed from every index to those its code queries (tests/iam/test_least_privilege.py)"
MISSING = "the code makes this call and the hand-written template did not grant it (AccessDenied on AWS)"

# Pattern (fnmatch, over the lines `differences` reports) -> why the template deploys it differently now.
INTENDED: dict[str, str] = limited_to_key_families() | {
    # Only Query and Scan are authorized on an index: item and batch actions granted there allowed nothing.
    '*grant - Allow dynamodb:[!Q]* on {"Fn::Sub": "${Table.Arn}/index/*': "an item action on an index grants nothing",
    **{
        f"{name}Function grant - Allow dynamodb:Query on {escape(INDEX)}": NARROWED
        for name in (
            "DebtTimeline",
            "DebtorAnswer",
            "DebtorPage",
            "DebtorPay",
            "DeleteDebtor",
            "ImportDebts",
            "ListDebtors",
            "ListDebts",
        )
    },
    **{
        f"{name}Function grant + Allow dynamodb:Query on *index/{index}*": NARROWED
        for name, index in (
            ("DebtorAnswer", "gsi3"),
            ("DebtorPage", "gsi3"),
            ("DebtorPay", "gsi3"),
            ("DeleteDebtor", "gsi1"),
            ("DeleteDebtor", "gsi3"),
            ("ImportDebts", "gsi2"),
            ("ListDebtors", "gsi1"),
            ("ListDebtors", "gsi2"),
            ("ListDebts", "gsi1"),
            ("ListDebts", "gsi2"),
            ("ListDebts", "gsi3"),
            ("ListDebts", "gsi4"),
        )
    },
    **{
        f"{name}Function grant + Allow dynamodb:{action} on *Table*Arn*": MISSING
        for name, action in (
            ("DebtorPage", "GetItem"),
            ("DebtorPay", "ConditionCheckItem"),
            ("InviteMember", "Query"),
            ("RemindDebt", "Query"),
            ("RemindersStatus", "GetItem"),
        )
    },
}


def test_the_generated_template_deploys_what_the_hand_written_one_did() -> None:
    found = differences(BEFORE, AFTER)
    unexplained = [line for line in found if not any(fnmatch(line, pattern) for pattern in INTENDED)]
    assert unexplained == []
    stale = [pattern for pattern in INTENDED if not any(fnmatch(line, pattern) for line in found)]
    assert stale == [], "an intended difference that no longer happens: remove it"


def test_statement_grouping_and_order_do_not_count() -> None:
    regrouped = copy.deepcopy(BEFORE)
    properties = regrouped["Resources"]["ListDebtsFunction"]["Properties"]
    [policy] = properties["Policies"]
    dynamodb, secrets = policy["Statement"]
    split = [
        {"Effect": "Allow", "Action": [action], "Resource": resource}
        for action in reversed(dynamodb["Action"])
        for resource in dynamodb["Resource"]
    ]
    properties["Policies"] = [{"Statement": [secrets]}, {"Statement": split}]
    assert differences(BEFORE, regrouped) == []


def test_a_lost_or_added_permission_is_a_difference() -> None:
    changed = copy.deepcopy(BEFORE)
    statements = changed["Resources"]["ListDebtsFunction"]["Properties"]["Policies"][0]["Statement"]
    statements[0]["Action"].remove("dynamodb:Query")
    statements[1]["Condition"] = {"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}
    found = differences(BEFORE, changed)
    assert len([line for line in found if line.startswith("ListDebtsFunction grant - Allow dynamodb:Query on")]) == 2
    assert any(line.startswith("ListDebtsFunction grant + Allow secretsmanager:GetSecretValue") for line in found)


def test_an_environment_or_property_change_is_a_difference() -> None:
    changed = copy.deepcopy(BEFORE)
    changed["Globals"]["Function"]["Environment"]["Variables"].pop("TABLE_NAME")
    changed["Resources"]["LoginFunction"]["Properties"]["MemorySize"] = 512
    changed["Resources"]["Api"]["Properties"]["RouteSettings"].pop("POST /auth/login")
    found = differences(BEFORE, changed)
    assert "LoginFunction.Properties.MemorySize: 1024 -> 512" in found
    assert 'LoginFunction environment TABLE_NAME: {"Ref": "Table"} -> (none)' in found
    assert any(line.startswith("Api.Properties.RouteSettings.POST /auth/login:") for line in found)
    assert len([line for line in found if line.endswith('environment TABLE_NAME: {"Ref": "Table"} -> (none)')]) == 73
