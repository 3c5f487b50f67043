"""GET /workspace/analytics/summary through real API Gateway events: the figures per currency, as of a business day,
booked by when changes were recorded, read in at most two DynamoDB calls, for the caller's workspace only."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from contextvars import copy_context
from datetime import date, timedelta
from typing import Any

from tests.conftest import PASSWORD, Account, Clock, new_debt
from tests.support.http import Browser


def summary(account: Account, as_of: str | None = None) -> dict[str, Any]:
    path = "/workspace/analytics/summary" + (f"?as_of={as_of}" if as_of else "")
    answer = account.browser.call("GET", path)
    assert answer.status == 200, answer.body
    return dict(answer.json())


def of(figures: dict[str, Any], currency: str) -> dict[str, Any]:
    return next(entry for entry in figures["currencies"] if entry["currency"] == currency)


def pay(account: Account, debt: dict[str, Any], amount: int, received_on: str) -> None:
    body = {"amount": amount, "received_on": received_on}
    answer = account.browser.call("POST", f"/debts/{debt['id']}/payments", body)
    assert answer.status == 201, answer.body


def test_aging_and_the_months_money_are_per_currency_and_never_summed(account: Account, debtor: dict[str, Any]) -> None:
    today = date.fromisoformat(summary(account)["today"])

    def owed(amount: int, due_in: int, currency: str = "EUR") -> dict[str, Any]:
        due = str(today + timedelta(days=due_in))
        return new_debt(account, debtor["id"], amount=amount, currency=currency, issued_on=None, due_on=due)

    late = owed(10_000, -45)
    owed(4_000, -100)
    owed(2_500, 10)
    written = owed(700, -5)
    owed(9_000, -3, "USD")
    pay(account, late, 3_000, str(today))
    assert account.browser.call("POST", f"/debts/{written['id']}/write-off", {}).status == 200

    figures = summary(account)

    euros, dollars = of(figures, "EUR"), of(figures, "USD")
    assert euros["aging"] == {
        "not_due": {"amount": 2_500, "count": 1},
        "days_1_30": {"amount": 0, "count": 0},
        "days_31_60": {"amount": 7_000, "count": 1},
        "days_61_90": {"amount": 0, "count": 0},
        "days_over_90": {"amount": 4_000, "count": 1},
        "total": {"amount": 13_500, "count": 3},
    }
    assert dollars["aging"]["days_1_30"] == {"amount": 9_000, "count": 1}
    assert dollars["aging"]["total"] == {"amount": 9_000, "count": 1}
    this_month = euros["months"][-1]
    assert this_month["month"] == str(today)[:7]
    assert this_month["invoiced"] == 10_000 + 4_000 + 2_500 + 700
    assert (this_month["collected_manual"], this_month["collected_page"]) == (3_000, 0)
    assert this_month["written_off"] == 700
    assert this_month["ending_receivable"] == 13_500
    assert of(figures, "USD")["months"][-1]["collected_manual"] == 0
    assert len(euros["months"]) == 12
    assert [week["week_start"] for week in euros["forecast"]] == [str(today + timedelta(days=7 * i)) for i in range(8)]
    assert sum(week["predicted"] for week in euros["forecast"]) == 13_500  # no promise: all of it is predicted


def test_a_payment_booked_today_for_last_month_changes_todays_figures_not_yesterdays(
    account: Account, debtor: dict[str, Any], clock: Clock
) -> None:
    today = date.fromisoformat(summary(account)["today"])
    debt = new_debt(account, debtor["id"], amount=8_000, due_on=str(today - timedelta(days=40)))
    clock.advance(days=1, hours=1)
    account.browser = account.new_browser()  # signed in again: the session's token has expired meanwhile
    before = summary(account, str(today))  # the day is over: this read also writes its closing figures

    pay(account, debt, 8_000, received_on=str(today - timedelta(days=35)))

    assert of(summary(account, str(today)), "EUR") == of(before, "EUR")  # the report of that day, re-run: the same
    assert of(before, "EUR")["aging"]["total"] == {"amount": 8_000, "count": 1}
    latest = summary(account)
    paid_on = date.fromisoformat(latest["today"])
    now = of(latest, "EUR")
    assert now["aging"]["total"] == {"amount": 0, "count": 0}
    assert sum(month["collected_manual"] for month in now["months"]) == 8_000
    assert now["average_days_to_pay"] == (paid_on - date(2026, 10, 1)).days  # from issued_on to the day it was booked


def test_the_summary_reads_at_most_two_dynamodb_calls_and_never_scans(
    account: Account, debtor: dict[str, Any], clock: Clock, dynamodb_calls: list[str]
) -> None:
    for amount in (1_000, 2_000, 3_000):
        new_debt(account, debtor["id"], amount=amount)
    clock.advance(days=2)
    account.browser = account.new_browser()
    summary(account)  # the first read after the days are over closes them (one conditional Put)
    dynamodb_calls.clear()

    summary(account)

    assert len(dynamodb_calls) <= 2, dynamodb_calls
    assert "Scan" not in dynamodb_calls
    assert "PutItem" not in dynamodb_calls


def test_an_as_of_after_today_or_not_a_date_is_refused_naming_the_field(account: Account) -> None:
    today = date.fromisoformat(summary(account)["today"])

    for wrong in (str(today + timedelta(days=1)), "2026-13-01", "yesterday"):
        answer = account.browser.call("GET", f"/workspace/analytics/summary?as_of={wrong}")
        assert answer.status == 422, answer.body
        assert "as_of" in str(answer.json()["error"])


def test_payments_booked_at_once_by_several_people_are_all_counted(account: Account, debtor: dict[str, Any]) -> None:
    today = summary(account)["today"]
    owed = [new_debt(account, debtor["id"], amount=1_000 + i) for i in range(6)]
    browsers = [account.new_browser() for _ in owed]

    def book(index: int) -> int:
        body = {"amount": 400, "received_on": today}
        return browsers[index].call("POST", f"/debts/{owed[index]['id']}/payments", body).status

    with ThreadPoolExecutor(max_workers=len(owed)) as pool:
        statuses = list(pool.map(lambda i: copy_context().run(book, i), range(len(owed))))

    assert statuses == [201] * len(owed)
    euros = of(summary(account), "EUR")
    assert euros["months"][-1]["collected_manual"] == 400 * len(owed)
    assert euros["aging"]["total"]["amount"] == sum(1_000 + i - 400 for i in range(len(owed)))


def test_another_workspaces_figures_are_not_seen(account: Account, debtor: dict[str, Any]) -> None:
    new_debt(account, debtor["id"], amount=5_000)
    other = Browser()
    body = {"email": "other-" + account.email, "password": PASSWORD, "name": "Ada", "workspace_name": "Ada Ltd"}
    assert other.call("POST", "/auth/signup", body).status == 201

    answer = other.call("GET", "/workspace/analytics/summary")

    assert answer.status == 200, answer.body
    assert answer.json()["currencies"] == []
