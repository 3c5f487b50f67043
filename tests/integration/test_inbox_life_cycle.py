"""The inbox's life cycle through the doors that open and resolve its items: the debtor's page, a member's actions
on a debt or a debtor, Brevo's webhook, the reminder sender and Stripe's webhook."""

from __future__ import annotations

from typing import Any

from tests.conftest import Account, new_debt
from tests.integration.test_debtor_page import form, link_token, post_answer
from tests.support.http import Browser


def inbox(account: Account, query: str = "") -> dict[str, Any]:
    answer = account.browser.call("GET", f"/workspace/inbox{query}")
    assert answer.status == 200, answer.body
    return dict(answer.json())


def the_item(account: Account, kind: str) -> dict[str, Any]:
    """The one item of `kind`, open or done."""
    found = [item for state in ("open", "done") for item in inbox(account, f"?state={state}&kind={kind}")["items"]]
    assert len(found) == 1, found
    return dict(found[0])


def answer_from_the_page(account: Account, debtor_id: str, kind: str, debt_id: str, message: str = "") -> None:
    token = link_token(account, debtor_id)
    shown = Browser().call("GET", f"/p/{token}")
    fields = form(shown) | {"kind": kind, "debt_id": debt_id, "message": message}
    assert post_answer(token, fields).status == 303


def test_a_question_from_the_page_opens_an_item_a_note_on_the_debt_answers(
    account: Account, debtor: dict[str, Any]
) -> None:
    debt = new_debt(account, debtor["id"])

    answer_from_the_page(account, debtor["id"], "question", debt["id"], "Can I pay in two parts?")
    opened = the_item(account, "question")
    account.browser.call("POST", f"/debts/{debt['id']}/cancel", {"note": "Agreed by phone: cancelled"})
    closed = the_item(account, "question")

    assert (opened["state"], opened["debt_id"], opened["debtor_name"]) == ("open", debt["id"], "Émile Zola")
    assert opened["detail"] == {"excerpt": "Can I pay in two parts?"}
    assert (closed["state"], closed["closed_reason"]) == ("done", "answered_by_note")


def test_a_question_about_all_debts_is_one_item_about_the_debtor(account: Account, debtor: dict[str, Any]) -> None:
    debts = [new_debt(account, debtor["id"]) for _ in range(3)]

    answer_from_the_page(account, debtor["id"], "question", "all", "Why three invoices?")

    item = the_item(account, "question")
    assert (item["debt_id"], item["invoice_number"], item["debtor_id"]) == (None, None, debtor["id"])
    account.browser.call("POST", f"/debts/{debts[1]['id']}/write-off", {"note": "Told them: duplicate"})
    assert the_item(account, "question")["closed_reason"] == "answered_by_note"


def test_a_dispute_from_the_page_opens_an_item_reopening_the_debt_resolves(
    account: Account, debtor: dict[str, Any]
) -> None:
    debt = new_debt(account, debtor["id"])
    answer_from_the_page(account, debtor["id"], "dispute", debt["id"], "Never delivered")
    assert the_item(account, "dispute")["state"] == "open"
    assert inbox(account)["open_count"] == 1

    reopened = account.browser.call("POST", f"/debts/{debt['id']}/reopen", {})

    assert reopened.status == 200, reopened.body
    item = the_item(account, "dispute")
    assert (item["state"], item["closed_reason"]) == ("done", "debt_reopened")
    assert inbox(account)["open_count"] == 0


def test_a_dispute_cancelled_is_resolved_too(account: Account, debtor: dict[str, Any]) -> None:
    debt = new_debt(account, debtor["id"])
    answer_from_the_page(account, debtor["id"], "dispute", debt["id"], "Wrong amount")

    account.browser.call("POST", f"/debts/{debt['id']}/cancel", {})

    assert the_item(account, "dispute")["closed_reason"] == "debt_cancelled"


def test_an_already_paid_claim_is_resolved_by_the_payment_recorded(account: Account, debtor: dict[str, Any]) -> None:
    debt = new_debt(account, debtor["id"], amount=5_000)
    other = new_debt(account, debtor["id"])
    answer_from_the_page(account, debtor["id"], "already_paid", debt["id"], "Paid by transfer on the 3rd")
    answer_from_the_page(account, debtor["id"], "already_paid", other["id"])

    paid = account.browser.call("POST", f"/debts/{debt['id']}/payments", {"amount": 5_000, "received_on": "2026-12-03"})

    assert paid.status == 201, paid.body
    states = {item["debt_id"]: item for item in inbox(account, "?state=done&kind=already_paid")["items"]}
    assert list(states) == [debt["id"]] and states[debt["id"]]["closed_reason"] == "payment_recorded"
    assert [item["debt_id"] for item in inbox(account, "?kind=already_paid")["items"]] == [other["id"]]


def test_a_promise_from_the_page_opens_nothing(account: Account, debtor: dict[str, Any]) -> None:
    from datetime import date, timedelta

    debt = new_debt(account, debtor["id"])
    token = link_token(account, debtor["id"])
    fields = form(Browser().call("GET", f"/p/{token}")) | {
        "kind": "promise",
        "debt_id": debt["id"],
        "promise_date": (date.today() + timedelta(days=10)).isoformat(),
    }

    assert post_answer(token, fields).status == 303
    assert inbox(account)["items"] == []
