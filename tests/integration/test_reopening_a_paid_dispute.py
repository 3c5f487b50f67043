"""A disputed debt whose amount the business corrects down to what was already paid is settled when the dispute
is reopened: it is paid, and its debtor owes one debt fewer."""

from __future__ import annotations

from typing import Any

from tests.conftest import Account, new_debt


def test_reopening_a_dispute_over_a_debt_corrected_to_what_was_paid_settles_it(
    account: Account, debtor: dict[str, Any]
) -> None:
    browser = account.browser
    debt = new_debt(account, debtor["id"], amount=12_500)
    path = f"/debts/{debt['id']}"
    assert browser.call("POST", f"{path}/payments", {"amount": 5_000, "received_on": "2026-11-20"}).status == 201
    disputed = browser.call("POST", f"{path}/dispute", {"note": "only 50.00 was ever agreed"}).json()
    corrected = browser.call("PATCH", path, {"version": disputed["version"], "amount": 5_000})
    assert (corrected.status, corrected.json()["status"]) == (200, "disputed")
    assert browser.call("GET", f"/debtors/{debtor['id']}").json()["open_debts"] == 1

    reopened = browser.call("POST", f"{path}/reopen")

    assert (reopened.status, reopened.json()["status"]) == (200, "paid")
    assert browser.call("GET", f"/debtors/{debtor['id']}").json()["open_debts"] == 0
