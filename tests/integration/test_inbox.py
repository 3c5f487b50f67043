"""GET /workspace/inbox and PATCH /workspace/inbox/{id}: members list, filter, assign and close what needs them."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

from collectra.inbox import items
from local.brevo import BrevoStandIn
from tests.conftest import Account, new_debt
from tests.support.meanwhile import meanwhile
from tests.support.team import new_member

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def inbox(account: Account, query: str = "") -> dict[str, Any]:
    answer = account.browser.call("GET", f"/workspace/inbox{query}")
    assert answer.status == 200, answer.body
    return dict(answer.json())


def seed(
    account: Account, kind: str, source: str, debtor_id: str, *, debt_id: str | None = None, hours: int = 0
) -> str:
    items.open_item(
        account.workspace_id,
        kind=kind,
        source=source,
        debtor_id=debtor_id,
        debt_id=debt_id,
        now=NOW + timedelta(hours=hours),
        detail={"excerpt": f"about {source}"},
    )
    return items.item_id(kind, source)


def patch(account: Account, item_id: str, body: dict[str, Any]) -> Any:
    return account.browser.call("PATCH", f"/workspace/inbox/{item_id}", body)


def test_the_inbox_lists_open_items_newest_first_named_with_their_debtor_and_invoice(
    account: Account, debtor: dict[str, Any]
) -> None:
    debt = new_debt(account, debtor["id"])
    older = seed(account, "question", "q1", debtor["id"], debt_id=debt["id"], hours=0)
    newer = seed(account, "undeliverable_address", "b1", debtor["id"], hours=1)

    listed = inbox(account)

    assert [item["id"] for item in listed["items"]] == [newer, older]
    assert listed["open_count"] == 2 and listed["next_cursor"] is None
    assert listed["items"][1] == {
        "id": older,
        "kind": "question",
        "state": "open",
        "debtor_id": debtor["id"],
        "debtor_name": "Émile Zola",
        "debt_id": debt["id"],
        "invoice_number": debt["invoice_number"],
        "detail": {"excerpt": "about q1"},
        "assignee_id": None,
        "created_at": "2026-12-03T09:00:00Z",
        "updated_at": "2026-12-03T09:00:00Z",
        "closed_at": None,
        "closed_reason": None,
    }
    assert listed["items"][0]["invoice_number"] is None


def test_the_inbox_pages_with_a_cursor_and_filters_by_kind_and_assignee(
    account: Account, debtor: dict[str, Any]
) -> None:
    ids = [seed(account, "dispute" if n % 2 else "refund", f"s{n}", debtor["id"], hours=n) for n in range(5)]
    for item_id in ids[:3]:
        assert patch(account, item_id, {"assignee_id": account.user_id}).status == 200

    first = inbox(account, "?limit=2")
    second = inbox(account, f"?limit=2&cursor={first['next_cursor']}")
    disputes = inbox(account, "?kind=dispute")
    mine = inbox(account, f"?assignee={account.user_id}")
    my_refunds = inbox(account, f"?assignee={account.user_id}&kind=refund")

    assert [item["id"] for item in first["items"] + second["items"]] == [ids[4], ids[3], ids[2], ids[1]]
    assert [item["id"] for item in disputes["items"]] == [ids[3], ids[1]]
    assert [item["id"] for item in mine["items"]] == [ids[2], ids[1], ids[0]]
    assert [item["id"] for item in my_refunds["items"]] == [ids[2], ids[0]]
    assert {listed["open_count"] for listed in (first, disputes, mine, my_refunds)} == {5}


def test_a_cursor_of_another_list_or_a_bad_filter_is_refused_by_name(account: Account) -> None:
    other_list = account.browser.call("GET", "/workspace/inbox?state=done&cursor=eyJwayI6IngifQ")
    bad_kind = account.browser.call("GET", "/workspace/inbox?kind=gossip")

    assert other_list.status == 422 and other_list.json()["error"]["details"] == [{"field": "query.cursor"}]
    assert bad_kind.status == 422 and "kind" in bad_kind.body


def test_closing_an_item_moves_it_to_done_and_reopening_brings_it_back(
    account: Account, debtor: dict[str, Any]
) -> None:
    item_id = seed(account, "refund", "r1", debtor["id"])

    closed = patch(account, item_id, {"state": "done"})
    done = inbox(account, "?state=done")
    reopened = patch(account, item_id, {"state": "open"})

    assert closed.status == 200, closed.body
    assert (closed.json()["state"], closed.json()["closed_reason"]) == ("done", "closed")
    assert closed.json()["closed_at"] is not None
    assert [item["id"] for item in done["items"]] == [item_id] and done["open_count"] == 0
    assert (reopened.json()["state"], reopened.json()["closed_at"], reopened.json()["closed_reason"]) == (
        "open",
        None,
        None,
    )
    assert inbox(account)["open_count"] == 1


def test_only_a_current_member_can_be_assigned(account: Account, debtor: dict[str, Any], unique_email: str) -> None:
    item_id = seed(account, "dispute", "d1", debtor["id"])

    stranger = patch(account, item_id, {"assignee_id": "usr_not_a_member"})
    nothing = patch(account, item_id, {})
    null_state = patch(account, item_id, {"state": None})

    assert stranger.status == 422 and stranger.json()["error"]["details"] == [{"field": "body.assignee_id"}]
    assert nothing.status == 422 and null_state.status == 422
    assert inbox(account)["items"][0]["assignee_id"] is None


def test_another_workspaces_item_is_not_found(account: Account, debtor: dict[str, Any]) -> None:
    items.open_item("ws_someone_else", kind="refund", source="theirs", debtor_id=debtor["id"], now=NOW)

    answer = patch(account, items.item_id("refund", "theirs"), {"state": "done"})

    assert answer.status == 404
    assert items.get("ws_someone_else", items.item_id("refund", "theirs"))["state"] == "open"  # type: ignore[index]


def test_a_member_assigning_while_another_closes_both_land(
    account: Account, debtor: dict[str, Any], brevo: BrevoStandIn
) -> None:
    colleague, colleague_id = new_member(account.browser, brevo, "member")
    item_id = seed(account, "dispute", "d2", debtor["id"])

    def assign() -> int:
        return colleague.call("PATCH", f"/workspace/inbox/{item_id}", {"assignee_id": colleague_id}).status

    with meanwhile("UpdateInboxItemFunction", "UpdateItem", assign) as other:
        closed = patch(account, item_id, {"state": "done"})

    assert (closed.status, other.answer) == (200, 200)
    assert (closed.json()["state"], closed.json()["assignee_id"]) == ("done", colleague_id)
    assert [item["id"] for item in inbox(account, f"?state=done&assignee={colleague_id}")["items"]] == [item_id]
    assert inbox(account, f"?assignee={colleague_id}")["items"] == []


def test_members_closing_and_assigning_from_many_threads_all_land(
    account: Account, debtor: dict[str, Any], brevo: BrevoStandIn
) -> None:
    colleague, colleague_id = new_member(account.browser, brevo, "member")
    item_ids = [seed(account, "question", f"t{n}", debtor["id"], hours=n) for n in range(4)]
    requests = [(account.browser, item_id, {"state": "done"}) for item_id in item_ids] + [
        (colleague, item_id, {"assignee_id": colleague_id}) for item_id in item_ids
    ]

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(lambda r: r[0].call("PATCH", f"/workspace/inbox/{r[1]}", r[2]).status, requests))

    assert statuses == [200] * 8
    done = inbox(account, f"?state=done&assignee={colleague_id}")
    assert sorted(item["id"] for item in done["items"]) == sorted(item_ids)
    assert done["open_count"] == 0


def test_a_page_costs_three_dynamodb_calls_and_a_filtered_one_four(
    account: Account, debtor: dict[str, Any], dynamodb_calls: list[str]
) -> None:
    seed(account, "refund", "c1", debtor["id"])

    dynamodb_calls.clear()
    inbox(account)
    plain = list(dynamodb_calls)
    dynamodb_calls.clear()
    inbox(account, "?kind=refund")
    filtered = list(dynamodb_calls)

    # The caller, the list's Query, the page's debtors and debts, the open count.
    assert plain == ["BatchGetItem", "Query", "BatchGetItem", "Query"]
    assert filtered == ["BatchGetItem", "Query", "BatchGetItem", "BatchGetItem", "Query"]  # + the page's items
