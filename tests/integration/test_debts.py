"""Debts through their HTTP routes: the ledger, the state machine, optimistic locking, the timeline."""

from __future__ import annotations

from typing import Any

import pytest

from collectra.debts.service import ledger_sum
from tests.conftest import Account, new_debt
from tests.support.world import item_count


def test_a_debt_shows_what_is_paid_outstanding_and_overdue(account: Account, debtor: dict[str, Any]) -> None:
    debt = new_debt(account, debtor["id"], amount=12_500, due_on="2026-11-01")

    assert (debt["status"], debt["amount_paid"], debt["amount_outstanding"]) == ("open", 0, 12_500)
    assert debt["days_overdue"] > 0
    assert account.browser.call("GET", "/debtors/" + debtor["id"]).json()["open_debts"] == 1


def test_invoice_numbers_are_unique_in_a_workspace(account: Account, debtor: dict[str, Any]) -> None:
    debt = new_debt(account, debtor["id"])
    before = item_count()
    again = account.browser.call(
        "POST",
        "/debts",
        {
            "debtor_id": debtor["id"],
            "invoice_number": debt["invoice_number"],
            "amount": 1,
            "currency": "EUR",
            "due_on": "2026-12-01",
        },
    )
    assert again.status == 409
    assert again.json()["error"]["code"] == "invoice_number_taken"
    assert item_count() == before


def test_a_debt_for_an_unknown_debtor_is_refused(account: Account) -> None:
    before = item_count()
    answer = account.browser.call(
        "POST",
        "/debts",
        {"debtor_id": "dbt_nope", "invoice_number": "X-1", "amount": 100, "currency": "EUR", "due_on": "2026-12-01"},
    )
    assert answer.status == 404
    assert answer.json()["error"]["code"] == "debtor_not_found"
    assert item_count() == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"amount": 0}, "body.amount"),
        ({"amount": 12.5}, "body.amount"),
        ({"currency": "EURO"}, "body.currency"),
        ({"due_on": "2026-02-30"}, "body.due_on"),
        ({"issued_on": "2026-12-02", "due_on": "2026-12-01"}, "body"),
        ({"line_items": [{"description": "Work", "quantity": 2, "unit_amount": 40}]}, "body"),
    ],
)
def test_bad_debt_input_is_refused_and_writes_nothing(
    account: Account, debtor: dict[str, Any], change: dict[str, Any], field: str
) -> None:
    body = {
        "debtor_id": debtor["id"],
        "invoice_number": "BAD-1",
        "amount": 100,
        "currency": "EUR",
        "due_on": "2026-12-01",
    } | change
    before = item_count()
    answer = account.browser.call("POST", "/debts", body)
    assert answer.status == 422
    assert any(d["field"].startswith(field) for d in answer.json()["error"]["details"])
    assert item_count() == before


def test_payments_move_the_debt_to_partially_paid_then_paid(account: Account, debtor: dict[str, Any]) -> None:
    debt = new_debt(account, debtor["id"], amount=10_000)
    path = f"/debts/{debt['id']}/payments"

    first = account.browser.call("POST", path, {"amount": 4_000, "received_on": "2026-11-20"}).json()
    second = account.browser.call(
        "POST", path, {"amount": 6_000, "received_on": "2026-11-21", "method": "cheque"}
    ).json()

    assert (first["status"], first["amount_paid"], first["amount_outstanding"]) == ("partially_paid", 4_000, 6_000)
    assert (second["status"], second["amount_paid"], second["amount_outstanding"]) == ("paid", 10_000, 0)
    assert ledger_sum(account.workspace_id, debt["id"]) == second["amount_paid"]
    assert account.browser.call("GET", "/debtors/" + debtor["id"]).json()["open_debts"] == 0


def test_a_payment_larger_than_outstanding_is_refused(account: Account, debtor: dict[str, Any]) -> None:
    debt = new_debt(account, debtor["id"], amount=1_000)
    answer = account.browser.call(
        "POST", f"/debts/{debt['id']}/payments", {"amount": 1_001, "received_on": "2026-11-20"}
    )
    assert answer.status == 422
    assert answer.json()["error"]["code"] == "overpayment"
    assert ledger_sum(account.workspace_id, debt["id"]) == 0


@pytest.mark.parametrize(
    ("steps", "final"),
    [
        (["dispute", "reopen"], "open"),
        (["dispute", "cancel"], "cancelled"),
        (["write-off"], "written_off"),
        (["cancel"], "cancelled"),
    ],
)
def test_allowed_transitions(account: Account, debtor: dict[str, Any], steps: list[str], final: str) -> None:
    debt = new_debt(account, debtor["id"])
    for step in steps:
        answer = account.browser.call("POST", f"/debts/{debt['id']}/{step}")
        assert answer.status == 200, (step, answer.body)
    assert account.browser.call("GET", f"/debts/{debt['id']}").json()["status"] == final


@pytest.mark.parametrize(
    ("before", "refused"),
    [
        (["cancel"], "payments"),
        (["cancel"], "dispute"),
        (["write-off"], "cancel"),
        ([], "reopen"),
        (["dispute"], "payments"),
        (["cancel"], "pause"),
    ],
)
def test_other_transitions_are_409_and_change_nothing(
    account: Account, debtor: dict[str, Any], before: list[str], refused: str
) -> None:
    debt = new_debt(account, debtor["id"])
    for step in before:
        account.browser.call("POST", f"/debts/{debt['id']}/{step}")
    state = account.browser.call("GET", f"/debts/{debt['id']}").json()
    body = {"amount": 100, "received_on": "2026-11-20"} if refused == "payments" else None

    answer = account.browser.call("POST", f"/debts/{debt['id']}/{refused}", body)

    assert answer.status == 409
    assert answer.json()["error"]["code"] == "invalid_transition"
    assert account.browser.call("GET", f"/debts/{debt['id']}").json() == state


def test_a_stale_version_never_loses_an_update(account: Account, debtor: dict[str, Any]) -> None:
    debt = new_debt(account, debtor["id"])
    path = f"/debts/{debt['id']}"
    assert account.browser.call("PATCH", path, {"version": debt["version"], "description": "First"}).status == 200

    stale = account.browser.call("PATCH", path, {"version": debt["version"], "description": "Second"})

    assert stale.status == 409
    assert account.browser.call("GET", path).json()["description"] == "First"


def test_the_amount_cannot_go_below_what_was_paid(account: Account, debtor: dict[str, Any]) -> None:
    debt = new_debt(account, debtor["id"], amount=10_000)
    paid = account.browser.call("POST", f"/debts/{debt['id']}/payments", {"amount": 5_000, "received_on": "2026-11-20"})
    answer = account.browser.call("PATCH", f"/debts/{debt['id']}", {"version": paid.json()["version"], "amount": 4_000})
    assert answer.status == 422


def test_an_amount_and_its_invoice_lines_never_disagree(account: Account, debtor: dict[str, Any]) -> None:
    lines = [{"description": "Boiler", "quantity": 2, "unit_amount": 5_000}]
    debt = new_debt(account, debtor["id"], amount=10_000, line_items=lines)

    for change, field in (
        ({"amount": 12_000}, "body.amount"),
        ({"line_items": [{**lines[0], "quantity": 3}]}, "body.line_items"),
    ):
        refused = account.browser.call("PATCH", f"/debts/{debt['id']}", {**change, "version": debt["version"]})
        assert refused.status == 422, refused.body
        assert refused.json()["error"]["details"][0]["field"] == field

    no_quantity = [{"description": "Boiler", "unit_amount": 12_140}]  # a quantity left out is one
    refused = account.browser.call("PATCH", f"/debts/{debt['id']}", {"line_items": no_quantity, "version": 1})
    assert refused.status == 422, refused.body

    both = {"amount": 15_000, "line_items": [{**lines[0], "quantity": 3}], "version": debt["version"]}
    changed = account.browser.call("PATCH", f"/debts/{debt['id']}", both)
    assert changed.status == 200, changed.body
    assert (changed.json()["amount"], changed.json()["version"]) == (15_000, debt["version"] + 1)


def test_pause_and_resume_are_recorded_once(account: Account, debtor: dict[str, Any]) -> None:
    debt = new_debt(account, debtor["id"])
    assert account.browser.call("POST", f"/debts/{debt['id']}/pause").json()["reminders_paused"] is True
    assert account.browser.call("POST", f"/debts/{debt['id']}/pause").status == 200
    assert account.browser.call("POST", f"/debts/{debt['id']}/resume").json()["reminders_paused"] is False
    kinds = [e["type"] for e in account.browser.call("GET", f"/debts/{debt['id']}/timeline").json()["items"]]
    assert kinds.count("reminders_paused") == 1
    assert kinds.count("reminders_resumed") == 1


def test_the_timeline_tells_the_story_oldest_first(account: Account, debtor: dict[str, Any]) -> None:
    debt = new_debt(account, debtor["id"], amount=10_000)
    account.browser.call(
        "PATCH", f"/debts/{debt['id']}", {"version": 1, "due_on": "2026-12-15", "description": "Boiler"}
    )
    account.browser.call("POST", f"/debts/{debt['id']}/payments", {"amount": 10_000, "received_on": "2026-11-20"})

    entries = account.browser.call("GET", f"/debts/{debt['id']}/timeline").json()["items"]

    assert [e["type"] for e in entries] == ["created", "edited", "payment_recorded", "status_changed"]
    assert entries[1]["data"]["due_on"] == {"from": "2026-11-01", "to": "2026-12-15"}
    assert entries[3]["data"] == {"from": "open", "to": "paid"}
    assert entries[0]["actor"] == {"kind": "user", "id": account.user_id}


def test_lists_filter_and_sort(account: Account, debtor: dict[str, Any]) -> None:
    early = new_debt(account, debtor["id"], amount=300, due_on="2026-01-10", issued_on="2026-01-01")
    late = new_debt(account, debtor["id"], amount=100, due_on="2099-06-01", currency="USD")
    middle = new_debt(account, debtor["id"], amount=200, due_on="2027-03-01")
    account.browser.call("POST", f"/debts/{middle['id']}/dispute")

    def ids(query: str) -> list[str]:
        return [d["id"] for d in account.browser.call("GET", "/debts" + query).json()["items"]]

    assert ids("") == [early["id"], middle["id"], late["id"]]
    assert ids("?sort=-due_on") == [late["id"], middle["id"], early["id"]]
    assert ids("?sort=outstanding") == [late["id"], middle["id"], early["id"]]
    assert ids("?status=disputed") == [middle["id"]]
    assert ids("?overdue=true") == [early["id"]]
    assert ids("?currency=USD") == [late["id"]]
    assert ids("?due_after=2027-01-01&due_before=2027-12-31") == [middle["id"]]
    assert ids(f"?debtor_id={debtor['id']}&status=open") == [early["id"], late["id"]]


def test_a_list_names_its_debtors_in_one_read_when_asked(
    account: Account, debtor: dict[str, Any], dynamodb_calls: list[str]
) -> None:
    other = account.browser.call(
        "POST", "/debtors", {"name": "Zoe Other", "company": "Other GmbH", "email": "zoe@example.de", "locale": "de"}
    ).json()
    for owner, count in ((debtor, 3), (other, 2)):
        for _ in range(count):
            new_debt(account, owner["id"])

    dynamodb_calls.clear()
    page = account.browser.call("GET", "/debts?include=debtors").json()

    assert {d["debtor_id"] for d in page["items"]} == set(page["debtors"]) == {debtor["id"], other["id"]}
    assert page["debtors"][other["id"]] == {"name": "Zoe Other", "company": "Other GmbH", "erased": False}
    assert dynamodb_calls.count("BatchGetItem") == 2, dynamodb_calls  # the session's, and the page's debtors
    assert account.browser.call("GET", "/debts").json()["debtors"] == {}  # not asked: not read


def test_a_debt_names_its_debtor_when_asked(
    account: Account, debtor: dict[str, Any], dynamodb_calls: list[str]
) -> None:
    debt = new_debt(account, debtor["id"])
    dynamodb_calls.clear()

    shown = account.browser.call("GET", f"/debts/{debt['id']}?include=debtor").json()

    assert shown["debtor"] == {"name": "Émile Zola", "company": None, "erased": False}
    assert dynamodb_calls == ["BatchGetItem", "BatchGetItem"], dynamodb_calls
    assert account.browser.call("GET", f"/debts/{debt['id']}").json()["debtor"] is None


def test_get_and_change_make_at_most_two_dynamodb_calls(
    account: Account, debtor: dict[str, Any], dynamodb_calls: list[str]
) -> None:
    debt = new_debt(account, debtor["id"])
    for method, path, body, resolves in [
        ("GET", f"/debts/{debt['id']}", None, False),
        ("GET", "/debts", None, False),
        ("POST", f"/debts/{debt['id']}/pause", None, False),
        ("POST", f"/debts/{debt['id']}/payments", {"amount": 100, "received_on": "2026-11-20"}, True),
    ]:
        dynamodb_calls.clear()
        assert account.browser.call(method, path, body).status in (200, 201)
        # A payment also reads the debtor's open inbox entries it may resolve (one Query; debts/resolved.py).
        assert len(dynamodb_calls) <= 2 + resolves, (path, dynamodb_calls)
