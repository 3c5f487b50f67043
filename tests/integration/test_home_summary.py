"""GET /workspace/summary: the home screen's figures in one call, from Queries only, and only the caller's own."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, cast

import pytest

from local.brevo import BrevoStandIn
from tests.conftest import PASSWORD, Account, new_debt
from tests.integration.test_debtor_page import form, link_token, post_answer
from tests.integration.test_late_payment_money import claim_charges, stored_debt
from tests.support.http import Browser
from tests.support.reminders import drain, plan
from tests.support.verification import verify_by_link


def summary(account: Account) -> dict[str, Any]:
    answer = account.browser.call("GET", "/workspace/summary")
    assert answer.status == 200, answer.body
    return dict(answer.json())


def pay(account: Account, debt: dict[str, Any], amount: int) -> None:
    answer = account.browser.call(
        "POST", f"/debts/{debt['id']}/payments", {"amount": amount, "received_on": "2026-11-20"}
    )
    assert answer.status == 201, answer.body


@pytest.fixture
def busy(account: Account, debtor: dict[str, Any]) -> dict[str, Any]:
    """A workspace with overdue debts in two currencies, payments, a cancelled debt and a debtor who wrote."""
    overdue = new_debt(account, debtor["id"], amount=10_000, due_on="2026-11-01")
    partly = new_debt(account, debtor["id"], amount=5_000, due_on="2026-10-15")
    dollars = new_debt(account, debtor["id"], amount=7_000, currency="USD", due_on="2026-11-02")
    later = new_debt(account, debtor["id"], amount=9_999, due_on="2027-06-01")
    paid = new_debt(account, debtor["id"], amount=2_000, due_on="2026-11-03")
    cancelled = new_debt(account, debtor["id"], amount=300, due_on="2026-11-04")
    disputed = new_debt(account, debtor["id"], amount=4_200, due_on="2026-11-05")
    pay(account, partly, 1_000)
    pay(account, paid, 2_000)
    assert account.browser.call("POST", f"/debts/{cancelled['id']}/cancel", {}).status == 200
    token = link_token(account, debtor["id"])
    shown = Browser().call("GET", f"/p/{token}")
    question = {"kind": "question", "debt_id": later["id"], "message": "Can I pay in two parts?"}
    assert post_answer(token, form(shown) | question).status == 303
    dispute = {"kind": "dispute", "debt_id": disputed["id"], "message": "Never delivered"}
    assert post_answer(token, form(shown) | dispute).status == 303
    return {"overdue": overdue, "partly": partly, "dollars": dollars, "later": later, "disputed": disputed}


def test_the_summary_adds_up_overdue_money_per_currency_and_counts_debts_by_status(
    account: Account, busy: dict[str, Any]
) -> None:
    figures = summary(account)

    assert figures["overdue"] == [
        {"currency": "EUR", "amount": 14_000, "count": 2},  # 10 000 + what is left of 5 000 once 1 000 came in
        {"currency": "USD", "amount": 7_000, "count": 1},
    ]
    assert figures["debts_by_status"] == {
        "open": 3,
        "partially_paid": 1,
        "paid": 1,
        "disputed": 1,
        "cancelled": 1,
        "written_off": 0,
        "in_plan": 0,
    }
    assert figures["debts_total"] == 7
    assert figures["payments"] == {
        "days": 7,
        "count": 2,
        "totals": [{"currency": "EUR", "amount": 3_000, "count": 2}],
    }
    assert figures["stripe_connected"] is False


def test_the_summary_shows_what_debtors_wrote_and_their_disputes_newest_first(
    account: Account, busy: dict[str, Any]
) -> None:
    figures = summary(account)

    messages = [(m["kind"], m["debt_id"], m["message"]) for m in figures["latest_debtor_messages"]]
    assert messages == [
        ("dispute", busy["disputed"]["id"], "Never delivered"),
        ("question", busy["later"]["id"], "Can I pay in two parts?"),
    ]
    assert figures["latest_debtor_messages"][0]["invoice_number"] == busy["disputed"]["invoice_number"]
    [dispute] = figures["latest_disputes"]
    assert (dispute["debt_id"], dispute["amount_outstanding"], dispute["currency"]) == (
        busy["disputed"]["id"],
        4_200,
        "EUR",
    )


def test_the_summary_is_one_batch_and_ten_queries(
    account: Account, busy: dict[str, Any], dynamodb_calls: list[str]
) -> None:
    summary(account)
    # Until the workspace is marked as having a verified owner (the planner, the sender or a reminder sent by hand
    # does it; a GET may not write), its owners are read too: one Query and one BatchGetItem more.
    # Ten: the debts in a payment plan are counted too (their own status partition, `in_plan`).
    assert sorted(dynamodb_calls) == ["BatchGetItem"] * 2 + ["Query"] * 11, dynamodb_calls
    from collectra.workspaces import sending_rights
    from collectra.workspaces.records import Workspace

    as_read = cast(Workspace, {"id": account.workspace_id})
    sending_rights.has_verified_owner(as_read, now=datetime.now(UTC))  # as the planner marks it
    dynamodb_calls.clear()

    summary(account)

    assert sorted(dynamodb_calls) == ["BatchGetItem"] + ["Query"] * 10, dynamodb_calls


def test_another_workspaces_debts_payments_and_messages_are_never_counted(
    account: Account, busy: dict[str, Any], brevo: BrevoStandIn
) -> None:
    email = f"other-{uuid.uuid4().hex[:8]}@example.com"
    other = Browser()
    body = {"email": email, "password": PASSWORD, "name": "Ada", "workspace_name": "Lovelace Ltd"}
    assert other.call("POST", "/auth/signup", body).status == 201
    verify_by_link(other, brevo, email)
    before = summary(account)

    empty = other.call("GET", "/workspace/summary").json()

    assert empty["overdue"] == [] and empty["debts_total"] == 0
    assert empty["latest_debtor_messages"] == [] and empty["latest_disputes"] == []
    assert empty["payments"] == {"days": 7, "count": 0, "totals": []}
    assert empty["reminders"]["sent"] == 0 and empty["reminders"]["next_at"] is None
    assert summary(account)["debts_by_status"] == before["debts_by_status"]


@pytest.mark.usefixtures("own_reminders_only")
def test_the_summary_counts_reminders_sent_and_says_when_the_next_look_is(account: Account) -> None:
    from datetime import UTC, datetime

    email = f"debtor-{uuid.uuid4().hex[:10]}@example.fr"
    person = account.browser.call(
        "POST", "/debtors", {"name": "Émile Zola", "email": email, "locale": "fr", "time_zone": "Europe/Paris"}
    ).json()
    new_debt(account, person["id"], due_on="2027-03-02")  # step -3 is due on Monday 1 March, from 08:00 in Paris
    plan(datetime.fromisoformat("2027-03-01T08:05:00+01:00").astimezone(UTC))
    drain()

    reminders = summary(account)["reminders"]

    assert (reminders["sent"], reminders["failed"], reminders["failing_debts"]) == (1, 0, 0)
    assert reminders["next_at"] is not None and reminders["next_at"] > "2027-03-01T07:05:00Z"
    assert reminders["engine_last_run_at"]
    assert reminders["waiting_reason"] is None


def test_the_summarys_payments_are_principal_the_late_payment_charges_paid_with_them_are_not(
    account: Account, debtor: dict[str, Any]
) -> None:
    claim_charges(account.browser, "statutory")  # compensation, then interest, then principal
    debt = new_debt(account, debtor["id"], amount=10_000, issued_on="2026-05-01", due_on="2026-06-01")

    pay(account, debt, 9_000)

    principal = stored_debt(account, debt["id"])["amount_paid"]
    assert 0 < principal < 9_000
    assert summary(account)["payments"] == {
        "days": 7,
        "count": 1,
        "totals": [{"currency": "EUR", "amount": principal, "count": 1}],
    }
