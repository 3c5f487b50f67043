"""The figures' items (`debts.aggregates`) name nobody, leave the workspace's export out, and go with its deletion."""

from __future__ import annotations

import json
from typing import Any

from collectra import store
from collectra.exports.entities import records_of
from collectra.store import keys
from tests.conftest import Account, new_debt
from tests.support.erasure import run_jobs_of


def analytics_items(workspace_id: str) -> list[dict[str, Any]]:
    return store.partition_items(keys.workspace(workspace_id)["pk"], keys.ANALYTICS_PREFIX, consistent=True)


def test_the_figures_items_hold_sums_by_date_and_currency_and_nothing_that_names_a_debtor(
    account: Account, debtor: dict[str, Any]
) -> None:
    debt = new_debt(account, debtor["id"], amount=4_321)
    paid = {"amount": 1_000, "received_on": "2026-11-02", "reference": "transfer from Émile"}
    assert account.browser.call("POST", f"/debts/{debt['id']}/payments", paid).status == 201

    found = analytics_items(account.workspace_id)

    assert found
    written = json.dumps(found, default=str)
    for personal in (debtor["id"], debtor["name"], debtor["email"], debt["id"], debt["invoice_number"], "Émile"):
        assert personal not in written
    assert all(records_of(item) == [] for item in found)  # derived from what the export holds: not exported again


def test_deleting_the_workspace_deletes_its_figures(account: Account, debtor: dict[str, Any]) -> None:
    new_debt(account, debtor["id"], amount=2_000)
    assert analytics_items(account.workspace_id)

    answer = account.browser.call("DELETE", "/workspace", {"password": account.password})
    assert answer.status == 202, answer.body
    run_jobs_of(account.workspace_id)

    assert analytics_items(account.workspace_id) == []
