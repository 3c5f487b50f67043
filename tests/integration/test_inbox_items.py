"""collectra.inbox.items against the emulated table: what producers and resolvers rely on."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from collectra import store
from collectra.inbox import items
from collectra.store import keys
from local.emulator import Emulator
from tests.conftest import Account, new_debt

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


@pytest.fixture
def workspace_id(emulator: Emulator) -> str:
    return f"ws_{uuid.uuid4().hex}"


def test_a_retried_producer_adds_nothing(workspace_id: str) -> None:
    opened = items.open_item(
        workspace_id, kind="dispute", source="entry_1", debtor_id="dbt_1", debt_id="debt_1", now=NOW
    )
    again = items.open_item(
        workspace_id, kind="dispute", source="entry_1", debtor_id="dbt_1", debt_id="debt_1", now=NOW + timedelta(1)
    )

    assert (opened, again) == (True, False)
    assert items.open_count(workspace_id) == 1
    item = items.get(workspace_id, items.item_id("dispute", "entry_1"))
    assert item is not None and item["created_at"] == "2026-12-03T09:00:00Z"


def test_an_item_opened_in_a_transaction_that_is_sent_again_fails_by_its_name(workspace_id: str) -> None:
    def opening() -> store.Operation:
        return items.open_op(workspace_id, kind="question", source="entry_2", debtor_id="dbt_1", now=NOW)

    store.transact([opening(), store.put_op({**keys.workspace(workspace_id), "marker": 1})])

    with pytest.raises(store.ConditionsFailed) as failed:
        store.transact([opening(), store.put_op({**keys.workspace(workspace_id), "marker": 2})])
    assert failed.value.failed == {items.OPENING}
    assert items.open_count(workspace_id) == 1


def test_an_unknown_kind_is_refused(workspace_id: str) -> None:
    with pytest.raises(ValueError, match="kind"):
        items.open_item(workspace_id, kind="gossip", source="x", debtor_id="dbt_1", now=NOW)


def test_detail_keeps_one_line_of_a_long_text(workspace_id: str) -> None:
    items.open_item(
        workspace_id, kind="question", source="long", debtor_id="dbt_1", now=NOW, detail={"excerpt": "x" * 5_000}
    )

    item = items.get(workspace_id, items.item_id("question", "long"))
    assert item is not None and len(item["detail"]["excerpt"]) == items.DETAIL_TEXT_LIMIT


def test_close_matching_closes_only_the_kinds_of_that_debt(workspace_id: str) -> None:
    for kind, source, debt in [
        ("question", "q1", "debt_a"),
        ("dispute", "d1", "debt_a"),
        ("question", "q2", "debt_b"),
    ]:
        items.open_item(workspace_id, kind=kind, source=source, debtor_id="dbt_1", debt_id=debt, now=NOW)
    items.open_item(workspace_id, kind="question", source="q3", debtor_id="dbt_2", debt_id="debt_a", now=NOW)

    closing = items.close_matching(
        workspace_id, kinds=["question"], debt_id="debt_a", debtor_id="dbt_1", reason="answered", now=NOW
    )
    again = items.close_matching(
        workspace_id, kinds=["question"], debt_id="debt_a", debtor_id="dbt_1", reason="answered", now=NOW
    )

    assert (closing, again) == (1, 0)
    closed = items.get(workspace_id, items.item_id("question", "q1"))
    assert closed is not None
    assert (closed["state"], closed["closed_reason"], closed["closed_at"]) == (
        "done",
        "answered",
        "2026-12-03T09:00:00Z",
    )
    assert closed["gsi5pk"] == keys.inbox_items_by_debtor(workspace_id, "done")
    assert closed["gsi1pk"] == keys.inbox_items(workspace_id, "done")
    assert items.open_count(workspace_id) == 3


def test_close_matching_by_debtor_closes_their_items_whatever_the_debt(workspace_id: str) -> None:
    items.open_item(workspace_id, kind="undeliverable_address", source="b1", debtor_id="dbt_1", now=NOW)
    items.open_item(
        workspace_id, kind="undeliverable_address", source="b2", debtor_id="dbt_1", debt_id="debt_a", now=NOW
    )
    items.open_item(workspace_id, kind="undeliverable_address", source="b3", debtor_id="dbt_10", now=NOW)

    closing = items.close_matching(
        workspace_id, kinds=["undeliverable_address"], debtor_id="dbt_1", reason="address_corrected", now=NOW
    )

    assert closing == 2
    assert items.open_count(workspace_id) == 1  # dbt_10's, whose id begins like dbt_1's


def test_close_matching_finds_the_debtor_of_a_debt(account: Account, debtor: dict[str, object]) -> None:
    debt = new_debt(account, str(debtor["id"]))
    workspace_id = account.workspace_id
    items.open_item(
        workspace_id, kind="already_paid", source="p1", debtor_id=str(debtor["id"]), debt_id=debt["id"], now=NOW
    )

    closing = items.close_matching(workspace_id, kinds=["already_paid"], debt_id=debt["id"], reason="paid", now=NOW)

    assert closing == 1
    assert items.close_matching(workspace_id, kinds=["already_paid"], debt_id="debt_gone", reason="x", now=NOW) == 0


def test_created_between_finds_open_and_closed_items_in_the_range_only(workspace_id: str) -> None:
    for hours, source in [(-1, "before"), (0, "at_start"), (5, "inside"), (24, "at_end")]:
        items.open_item(workspace_id, kind="refund", source=source, debtor_id="dbt_1", now=NOW + timedelta(hours=hours))
    items.close_matching(workspace_id, kinds=["refund"], debtor_id="dbt_1", reason="seen", now=NOW)
    items.open_item(workspace_id, kind="refund", source="late", debtor_id="dbt_1", now=NOW + timedelta(hours=6))

    found = items.created_between(workspace_id, NOW, NOW + timedelta(days=1))

    assert [item["id"] for item in found] == [
        items.item_id("refund", source) for source in ("at_start", "inside", "late")
    ]
    assert [item["state"] for item in found] == ["done", "done", "open"]
