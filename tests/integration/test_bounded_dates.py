"""Dates far from today (a typing error: year 1, year 9999) are refused at the door, before any rule does
arithmetic on them: 422 naming the field, or the import row's error, and nothing half-written."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Account, new_debt
from tests.support.world import item_count

OUT_OF_RANGE = ["0001-01-05", "1899-12-31", "2200-01-01", "9999-12-31"]


def debt_body(debtor_id: str, **fields: Any) -> dict[str, Any]:
    return {"debtor_id": debtor_id, "invoice_number": "D-1", "amount": 100, "currency": "EUR"} | fields


@pytest.mark.parametrize("day", OUT_OF_RANGE)
def test_a_debt_due_out_of_range_is_422_and_writes_nothing(account: Account, debtor: dict[str, Any], day: str) -> None:
    before = item_count()

    answer = account.browser.call("POST", "/debts", debt_body(debtor["id"], due_on=day))

    assert answer.status == 422, answer.body
    assert [d["field"] for d in answer.json()["error"]["details"]] == ["body.due_on"]
    assert item_count() == before


def test_an_issue_date_out_of_range_is_422(account: Account, debtor: dict[str, Any]) -> None:
    answer = account.browser.call(
        "POST", "/debts", debt_body(debtor["id"], issued_on="0001-01-01", due_on="2026-12-01")
    )

    assert answer.status == 422
    assert [d["field"] for d in answer.json()["error"]["details"]] == ["body.issued_on"]


def test_the_first_and_last_accepted_days_are_accepted(account: Account, debtor: dict[str, Any]) -> None:
    early = new_debt(account, debtor["id"], issued_on="1900-01-01", due_on="1900-01-01")
    late = new_debt(account, debtor["id"], issued_on=None, due_on="2199-12-31")

    assert (early["due_on"], late["due_on"]) == ("1900-01-01", "2199-12-31")


def test_moving_a_due_date_out_of_range_is_422_and_changes_nothing(account: Account, debtor: dict[str, Any]) -> None:
    debt = new_debt(account, debtor["id"], issued_on=None)  # no issue date to be after the new due date

    answer = account.browser.call("PATCH", f"/debts/{debt['id']}", {"version": 1, "due_on": "0001-01-05"})

    assert answer.status == 422
    assert account.browser.call("GET", f"/debts/{debt['id']}").json()["version"] == 1


def test_a_payment_received_out_of_range_is_422(account: Account, debtor: dict[str, Any]) -> None:
    debt = new_debt(account, debtor["id"])

    answer = account.browser.call("POST", f"/debts/{debt['id']}/payments", {"amount": 100, "received_on": "0001-01-01"})

    assert answer.status == 422
    assert [d["field"] for d in answer.json()["error"]["details"]] == ["body.received_on"]


def test_a_list_filtered_by_a_date_out_of_range_is_422(account: Account) -> None:
    answer = account.browser.call("GET", "/debts?due_before=0001-01-01")

    assert answer.status == 422
    assert [d["field"] for d in answer.json()["error"]["details"]] == ["query.due_before"]


def test_an_import_row_due_out_of_range_is_that_rows_error_and_every_good_row_is_written(account: Account) -> None:
    # Given 40 rows, the 26th due in year 1 (a typing error: once a 500 after the first 25 were written)
    lines = ["Invoice,Customer,Email,Amount,Currency,Due date"]
    for n in range(40):
        due = "0001-01-05" if n == 25 else "2027-03-01"
        lines.append(f"Y-{n:03d},Customer {n % 7},y{n % 7}@example.com,{n + 1}.00,EUR,{due}")

    answer = account.browser.call(
        "POST", "/debts/import", raw_body="\n".join(lines) + "\n", headers={"content-type": "text/csv; charset=utf-8"}
    )

    # Then the row is refused, naming the column and the bounds, and the 39 others are all written
    assert answer.status == 200, answer.body
    report = answer.json()
    assert (report["created"], report["rejected"]) == (39, 1)
    assert [(e["row"], e["column"]) for e in report["errors"]] == [(27, "Due date")]
    assert "between 1900-01-01 and 2199-12-31" in report["errors"][0]["reason"]
    debts = account.browser.call("GET", "/debts?limit=100").json()["items"]
    assert sorted(d["invoice_number"] for d in debts) == [f"Y-{n:03d}" for n in range(40) if n != 25]
    debtors = account.browser.call("GET", "/debtors?limit=100").json()["items"]
    assert sum(d["open_debts"] for d in debtors) == 39
