"""A debt's late-payment charges in its view: computed for the business's today under the workspace's terms and
the debtor's kind, read at the cost the issue allows (GET /debts/{id}: one more read, only when claimed)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from tests.conftest import Account, Clock, new_debt

MID_MARCH_2026 = datetime(2026, 3, 15, 12, tzinfo=UTC)
EU = {"enabled": True, "jurisdiction": "EU"}


@pytest.fixture
def mid_march_2026(clock: Clock) -> Clock:
    """Asked for before `account`, whose session must not be issued after its clock's now."""
    clock.now = MID_MARCH_2026
    return clock


def _claiming(account: Account, **settings: Any) -> None:
    answer = account.browser.call("PATCH", "/workspace", {"late_payment": EU | settings})
    assert answer.status == 200, answer.body


def _late_debt(account: Account, debtor_id: str) -> dict[str, Any]:
    return new_debt(account, debtor_id, amount=100_000, issued_on="2026-01-01", due_on="2026-01-31")


def test_a_late_debt_shows_interest_and_compensation_to_today(
    mid_march_2026: Clock, account: Account, debtor: dict[str, Any]
) -> None:
    _claiming(account)
    debt = _late_debt(account, debtor["id"])

    charges = account.browser.call("GET", f"/debts/{debt['id']}").json()["charges"]

    # Directive 2011/7/EU: the ECB rate of 1 January 2026 (2.15) + 8 points = 10.15 % a year, actual/365, from
    # 1 February to 15 March inclusive (43 days) on EUR 1,000.00: 100000 x 0.1015 x 43 / 365 = 1195.75 -> 1196.
    assert charges["interest"] == {
        "accrued": 1_196,
        "paid": 0,
        "due": 1_196,
        "waived": False,
        "from": "2026-02-01",
        "to": "2026-03-15",
        "rates_missing_from": None,
        "basis": "actual/365",
        "periods": [
            {
                "from": "2026-02-01",
                "to": "2026-03-15",
                "days": 43,
                "principal": 100_000,
                "rate": "10.15",
                "reference_rate": "2.15",
                "margin": "8.00",
                "contractual": False,
            }
        ],
    }
    assert charges["compensation"] == {"amount": 4_000, "paid": 0, "due": 4_000, "waived": False}
    assert (charges["principal_outstanding"], charges["total_due"]) == (100_000, 100_000 + 1_196 + 4_000)
    assert (charges["jurisdiction"], charges["not_claimed"]) == ("EU", None)


def test_a_workspace_that_claims_nothing_shows_no_charges(
    mid_march_2026: Clock, account: Account, debtor: dict[str, Any]
) -> None:
    debt = _late_debt(account, debtor["id"])

    assert account.browser.call("GET", f"/debts/{debt['id']}").json()["charges"] is None


def test_a_consumer_owes_no_eu_directive_charges(mid_march_2026: Clock, account: Account) -> None:
    _claiming(account)
    consumer = account.browser.call(
        "POST", "/debtors", {"name": "Jo Private", "email": "jo@private.example", "kind": "consumer"}
    ).json()
    debt = _late_debt(account, consumer["id"])

    charges = account.browser.call("GET", f"/debts/{debt['id']}").json()["charges"]

    assert (charges["interest"]["due"], charges["compensation"]["due"]) == (0, 0)
    assert (charges["not_claimed"], charges["total_due"]) == ("consumer", 100_000)


def test_reading_a_debt_reads_its_debtor_once_and_only_when_charges_are_claimed(
    mid_march_2026: Clock, account: Account, debtor: dict[str, Any], dynamodb_calls: list[str]
) -> None:
    debt = _late_debt(account, debtor["id"])
    dynamodb_calls.clear()
    account.browser.call("GET", f"/debts/{debt['id']}")
    assert dynamodb_calls == ["BatchGetItem"], dynamodb_calls  # the session's read holds the debt

    _claiming(account)
    dynamodb_calls.clear()
    account.browser.call("GET", f"/debts/{debt['id']}")
    assert dynamodb_calls == ["BatchGetItem", "GetItem"], dynamodb_calls  # and its debtor, whose kind counts

    dynamodb_calls.clear()
    shown = account.browser.call("GET", f"/debts/{debt['id']}?include=debtor").json()
    assert dynamodb_calls == ["BatchGetItem", "BatchGetItem"], dynamodb_calls  # the debtor asked for serves both
    assert shown["charges"]["interest"]["due"] == 1_196


def test_a_list_shows_charges_when_it_reads_the_debtors(
    mid_march_2026: Clock, account: Account, debtor: dict[str, Any], dynamodb_calls: list[str]
) -> None:
    _claiming(account)
    debt = _late_debt(account, debtor["id"])

    with_debtors = account.browser.call("GET", "/debts?include=debtors").json()["items"]
    without = account.browser.call("GET", "/debts").json()["items"]

    assert [d["charges"]["total_due"] for d in with_debtors if d["id"] == debt["id"]] == [105_196]
    assert [d["charges"] for d in without] == [None]


def test_a_recorded_payment_answers_with_what_is_left_of_the_charges(
    mid_march_2026: Clock, account: Account, debtor: dict[str, Any], dynamodb_calls: list[str]
) -> None:
    _claiming(account)
    debt = _late_debt(account, debtor["id"])

    paid = account.browser.call("POST", f"/debts/{debt['id']}/payments", {"amount": 100, "received_on": "2026-03-15"})

    assert paid.status == 201, paid.body
    # Principal first: the 1.00 pays principal; the day it was paid still counts at the old principal.
    charges = paid.json()["charges"]
    assert (charges["principal_outstanding"], charges["interest"]["due"], charges["compensation"]["due"]) == (
        99_900,
        1_196,
        4_000,
    )
    assert charges == account.browser.call("GET", f"/debts/{debt['id']}").json()["charges"]


def test_the_answer_of_a_change_leaves_charges_to_the_next_read(
    mid_march_2026: Clock, account: Account, debtor: dict[str, Any], dynamodb_calls: list[str]
) -> None:
    _claiming(account)
    debt = _late_debt(account, debtor["id"])
    dynamodb_calls.clear()

    paused = account.browser.call("POST", f"/debts/{debt['id']}/pause")

    assert paused.status == 200, paused.body
    assert paused.json()["charges"] is None
    assert "GetItem" not in dynamodb_calls  # a change reads no debtor to answer


@pytest.fixture
def unrecorded_half_year(clock: Clock) -> Clock:
    clock.now = datetime(2190, 3, 15, 12, tzinfo=UTC)  # a half-year no data holds
    return clock


def test_a_missing_reference_rate_shows_no_interest_and_is_reported(
    unrecorded_half_year: Clock, account: Account, debtor: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    _claiming(account)
    debt = new_debt(account, debtor["id"], amount=100_000, issued_on="2190-01-01", due_on="2190-01-31")
    capsys.readouterr()

    charges = account.browser.call("GET", f"/debts/{debt['id']}").json()["charges"]

    assert (charges["interest"]["due"], charges["not_claimed"]) == (0, "rates_missing")
    assert (charges["interest"]["to"], charges["interest"]["rates_missing_from"]) == (None, "2190-02-01")
    assert charges["compensation"]["due"] == 4_000  # the fixed sum needs no rate
    printed = capsys.readouterr().out.replace(" ", "")
    assert '"ReferenceRateMissing":[1' in printed or '"ReferenceRateMissing":1' in printed, printed[-2000:]
    assert debtor["name"] not in printed and debtor["email"] not in printed
