"""Corrections that move what other records hang on: a debtor's new business reference and a debt's new invoice
number free the old ones for others, and a debt whose amount is corrected down to what was paid is settled."""

from __future__ import annotations

import uuid
from typing import Any

from tests.conftest import Account, new_debt


def test_a_debtors_new_reference_frees_the_old_one(account: Account, debtor: dict[str, Any]) -> None:
    renamed = account.browser.call(
        "PATCH", f"/debtors/{debtor['id']}", {"version": debtor["version"], "external_ref": f"C-{uuid.uuid4().hex[:6]}"}
    )
    assert renamed.status == 200, renamed.body

    other = account.browser.call(
        "POST", "/debtors", {"name": "Nana Coupeau", "email": "nana@example.fr", "external_ref": debtor["external_ref"]}
    )

    assert other.status == 201, other.body


def test_a_debts_new_invoice_number_frees_the_old_one(account: Account, debtor: dict[str, Any]) -> None:
    debt = new_debt(account, debtor["id"])
    renamed = account.browser.call(
        "PATCH", f"/debts/{debt['id']}", {"version": debt["version"], "invoice_number": f"{debt['invoice_number']}-B"}
    )
    assert renamed.status == 200, renamed.body

    other = new_debt(account, debtor["id"], invoice_number=debt["invoice_number"])

    assert other["invoice_number"] == debt["invoice_number"]


def test_an_amount_corrected_down_to_what_was_paid_settles_the_debt(account: Account, debtor: dict[str, Any]) -> None:
    debt = new_debt(account, debtor["id"], amount=10_000)
    path = f"/debts/{debt['id']}"
    paid = account.browser.call("POST", f"{path}/payments", {"amount": 6_000, "received_on": "2026-11-20"})
    assert account.browser.call("GET", f"/debtors/{debtor['id']}").json()["open_debts"] == 1

    corrected = account.browser.call("PATCH", path, {"version": paid.json()["version"], "amount": 6_000})

    assert (corrected.status, corrected.json()["status"]) == (200, "paid")
    assert account.browser.call("GET", f"/debtors/{debtor['id']}").json()["open_debts"] == 0
