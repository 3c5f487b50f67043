"""A debtor's detail says how long they take to pay (their paid debts) and how many promises they kept."""

from __future__ import annotations

from typing import Any

from collectra import store
from collectra.store import keys
from tests.conftest import Account, Clock, new_debt
from tests.integration.test_aging_report import at, new_debtor
from tests.support.meanwhile import meanwhile


def detail(account: Account, debtor_id: str) -> dict[str, Any]:
    answer = account.browser.call("GET", f"/debtors/{debtor_id}")
    assert answer.status == 200, answer.body
    return dict(answer.json())


def pay(account: Account, debt: dict[str, Any], amount: int) -> None:
    answer = account.browser.call(
        "POST", f"/debts/{debt['id']}/payments", {"amount": amount, "received_on": "2027-01-01"}
    )
    assert answer.status == 201, answer.body


def test_days_to_pay_run_from_the_invoice_date_to_the_day_the_debt_became_paid(account: Account, clock: Clock) -> None:
    clock.now = at("2027-01-10T11:00:00+01:00")
    account.browser = account.new_browser()
    debtor = new_debtor(account.browser, "Alice Martin")
    invoiced = new_debt(account, debtor["id"], amount=3_000, issued_on="2027-01-01", due_on="2027-01-31")
    recorded = new_debt(account, debtor["id"], amount=5_000, issued_on=None, due_on="2027-02-28")
    still_open = new_debt(account, debtor["id"], amount=9_000, issued_on="2026-12-01", due_on="2027-01-15")
    assert detail(account, debtor["id"])["days_to_pay"] == {"average": None, "paid_debts": 0, "average_days_late": None}

    clock.now = at("2027-01-21T09:00:00+01:00")
    account.browser = account.new_browser()
    pay(account, invoiced, 3_000)  # 20 days after its invoice date
    pay(account, recorded, 1_000)
    pay(account, still_open, 1_000)
    clock.now = at("2027-02-09T12:00:00+01:00")
    account.browser = account.new_browser()
    pay(account, recorded, 4_000)  # 30 days after it was recorded (no invoice date), 19 days before it was due

    shown = detail(account, debtor["id"])
    # Late: 21 January for 31 January (-10), 9 February for 28 February (-19)
    assert shown["days_to_pay"] == {"average": 25.0, "paid_debts": 2, "average_days_late": -14.5}
    listed = account.browser.call("GET", "/debtors").json()["items"]
    assert [d["days_to_pay"] for d in listed if d["id"] == debtor["id"]] == [shown["days_to_pay"]]


def test_two_debts_of_one_debtor_paid_at_once_both_count(account: Account, debtor: dict[str, Any]) -> None:
    first = new_debt(account, debtor["id"], amount=1_000)
    second = new_debt(account, debtor["id"], amount=2_000)

    with meanwhile("RecordPaymentFunction", "TransactWriteItems", lambda: pay(account, second, 2_000)):
        pay(account, first, 1_000)

    shown = detail(account, debtor["id"])
    assert shown["days_to_pay"]["paid_debts"] == 2
    assert shown["open_debts"] == 0


def test_the_kept_promise_rate_comes_from_the_debtors_counters(account: Account, debtor: dict[str, Any]) -> None:
    assert detail(account, debtor["id"])["promises"] == {"kept": 0, "broken": 0, "kept_rate": None}
    store.update(  # as the promises' checks count them
        keys.debtor(account.workspace_id, debtor["id"]),
        "ADD promises_kept :kept, promises_broken :broken",
        values={":kept": 3, ":broken": 1},
    )

    assert detail(account, debtor["id"])["promises"] == {"kept": 3, "broken": 1, "kept_rate": 0.75}
