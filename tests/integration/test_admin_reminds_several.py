"""A verified admin may remind several debts at once for a workspace whose owner is verified but has never
reminded: the owners are read once, and the workspace is remembered as vouched for."""

from __future__ import annotations

from typing import Any

from collectra.store import keys
from local.brevo import BrevoStandIn
from tests.conftest import Account, new_debt
from tests.support.team import new_member
from tests.support.world import get_item


def test_an_admin_reminding_several_debts_finds_the_verified_owner_and_remembers_it(
    account: Account, debtor: dict[str, Any], brevo: BrevoStandIn
) -> None:
    admin, _ = new_member(account.browser, brevo, "admin")
    debt = new_debt(account, debtor["id"])
    assert account.browser.call("POST", f"/debts/{debt['id']}/dispute").status == 200
    assert "verified_owner_at" not in (get_item(keys.workspace(account.workspace_id)) or {})

    answer = admin.call("POST", "/debts/remind", {"debt_ids": [debt["id"]]})

    assert answer.status == 200, answer.body
    assert [(result["queued"], result["reason"]) for result in answer.json()["results"]] == [(False, "disputed")]
    assert "verified_owner_at" in (get_item(keys.workspace(account.workspace_id)) or {})
