"""Everything a workspace owns, found by Query alone: `collectra.workspaces.contents`.

The workspace is made through the HTTP doors (tests/support/populated.py); what it owns is read from the
emulator's memory (`all_items`) and compared with what the module finds.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest

from local.brevo import BrevoStandIn
from local.stripe import StripeStandIn
from tests.conftest import Account, Clock
from tests.support.populated import Populated, owned_by, populate
from tests.support.world import all_items


@pytest.fixture
def populated(
    account: Account, stripe_api: StripeStandIn, brevo: BrevoStandIn, clock: Clock, own_reminders_only: None
) -> Populated:
    return populate(account, stripe_api, brevo, clock)


def key_of(item: dict[str, Any]) -> tuple[str, str]:
    return (item["pk"], item["sk"])


def test_every_item_the_workspace_owns_is_found_once_and_by_query_alone(
    populated: Populated, dynamodb_calls: list[str]
) -> None:
    from collectra.workspaces.contents import owned_items, partitions

    workspace_id = populated.account.workspace_id
    expected = owned_by(workspace_id, all_items())
    dynamodb_calls.clear()

    found = [item for item, _ in owned_items(workspace_id)]
    listed = list(partitions(workspace_id))

    assert Counter(key_of(item) for item in found) == Counter(key_of(item) for item in expected)
    assert sorted(listed) == sorted({item["pk"] for item in expected}) and len(listed) == len(set(listed))
    assert set(dynamodb_calls) == {"Query"}
    kinds = {item["pk"].split("#")[2] if item["pk"].count("#") > 1 else item["sk"].split("#")[0] for item in found}
    assert {"PAYMENT", "DEBT", "DEBTOR", "MEMBER", "INVITE", "WORKSPACE", "INVOICE", "EXTREF"} <= kinds
    history = {item["sk"].split("#")[0] for item in found if "#DEBT#" in item["pk"]}
    assert {"T", "L", "CLAIM"} <= history  # timeline, ledger and a reminder's claim
    assert any(item["sk"].startswith("CLAIM#") and "id" in item for item in found)  # the claim that is its email


def test_a_debts_history_comes_before_the_debt_so_deleting_in_order_never_loses_the_way(
    populated: Populated,
) -> None:
    from collectra.workspaces.contents import is_debt, owned_items

    seen_debts: set[str] = set()
    for item, _ in owned_items(populated.account.workspace_id):
        if is_debt(item):
            seen_debts.add(item["id"])
        elif "#DEBT#" in item["pk"]:
            assert item["pk"].rsplit("#", 1)[1] not in seen_debts


@pytest.mark.parametrize("readers", [1, 8])
def test_a_worker_stopped_anywhere_resumes_from_its_position_and_misses_nothing(
    populated: Populated, readers: int
) -> None:
    from collectra.workspaces.contents import Position, owned_items

    workspace_id = populated.account.workspace_id
    whole = [(key_of(item), position) for item, position in owned_items(workspace_id, readers=readers)]
    assert any(position.history_of for _, position in whole)  # some stops fall inside a debt's history

    for stop in range(len(whole)):
        carried = json.loads(json.dumps(whole[stop][1].as_dict()))  # as a queue message would carry it
        rest = [key_of(item) for item, _ in owned_items(workspace_id, start=Position.from_dict(carried))]
        assert rest == [key for key, _ in whole[stop + 1 :]], stop


def test_deleting_what_was_yielded_then_resuming_deletes_everything(populated: Populated) -> None:
    from collectra import store
    from collectra.workspaces.contents import owned_items

    workspace_id = populated.account.workspace_id
    position = None
    for _ in range(100):  # a worker that handles five items per run
        run = list(zip(range(5), owned_items(workspace_id, start=position), strict=False))
        if not run:
            break
        for _, (item, _) in run:
            store.client().delete_item(
                TableName=store.table_name(), Key={"pk": {"S": item["pk"]}, "sk": {"S": item["sk"]}}
            )
        position = run[-1][1][1]

    assert owned_by(workspace_id, all_items()) == []


def test_every_lookup_pointing_into_the_workspace_is_derived_from_what_it_owns(populated: Populated) -> None:
    from collectra.workspaces.contents import account_keys, linked_global_keys, member_user_id, owned_items

    workspace_id = populated.account.workspace_id
    everything = all_items()
    owned = {key_of(item) for item in owned_by(workspace_id, everything)}
    pointing_in = {
        key_of(item)
        for item in everything
        if key_of(item) not in owned
        and workspace_id in json.dumps(item, default=str)  # a day's closing state of the figures is bytes
        and not item["sk"].startswith("SESSION#")  # a member's sign-in, theirs with their account
        and item["sk"] != "PROFILE"  # a member's account, which names the workspace they last used
    }
    linked = set()
    members = []
    for item, _ in owned_items(workspace_id):
        linked |= {(key["pk"], key["sk"]) for key in linked_global_keys(item)}
        members += [user_id] if (user_id := member_user_id(item)) else []

    assert {pk.split("#")[0] for pk, _ in pointing_in} >= {"STRIPE-ACCOUNT", "STRIPE-PI", "USER", "TOKEN"}
    assert pointing_in <= linked
    assert sorted(members) == sorted([populated.account.user_id, populated.member_id])
    owner = populated.account.user_id
    user = next(item for item in everything if key_of(item) == (f"USER#{owner}", "PROFILE"))
    assert {(k["pk"], k["sk"]) for k in account_keys(user)} == {
        (f"USER#{owner}", "PROFILE"),
        (f"EMAIL#{populated.account.email}", "USER"),
    }


def test_a_position_that_is_not_one_is_refused() -> None:
    from collectra.workspaces.contents import Position

    with pytest.raises(ValueError, match="phase"):
        Position.from_dict({"phase": "everything"})
    with pytest.raises(ValueError, match="keys"):
        Position.from_dict({"phase": "main", "after": {"pk": 3}})
