"""A user of one workspace can reach nothing of another: every debtors/debts route, every id."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import pytest

from tests.conftest import Account, new_debt
from tests.support.http import Browser, template_routes
from tests.support.world import all_items

ID_ROUTES = sorted(
    (method, path)
    for method, path in template_routes()
    if path.startswith(("/debts/", "/debtors/", "/plans/")) and "{id}" in path
)
SOON = [(date.today() + timedelta(days=days)).isoformat() for days in (2, 9)]
BODIES: dict[tuple[str, str], Any] = {
    ("PATCH", "/debtors/{id}"): {"version": 1, "name": "Taken over"},
    ("PATCH", "/debts/{id}"): {"version": 1, "description": "Taken over"},
    ("POST", "/debts/{id}/payments"): {"amount": 1, "received_on": "2026-11-20"},
    ("POST", "/debts/{id}/promise"): {"on": (date.today() + timedelta(days=7)).isoformat()},
    ("POST", "/debts/{id}/waiver"): {"interest": True, "compensation": True},
    ("POST", "/debtors/{id}/plans"): {"debt_ids": ["debt_x"], "instalments": [{"due_on": on} for on in SOON]},
    ("POST", "/plans/{id}/approve"): {"version": 1},
    ("POST", "/plans/{id}/decline"): {"reason": "Taken over", "version": 1},
    ("POST", "/plans/{id}/cancel"): {"reason": "Taken over", "version": 1},
    ("PUT", "/debts/{id}/reminder-steps"): {
        "version": 1,
        "steps": [{"offset_days": 0, "tone": "firm", "template": "firm"}],
    },
}
# Query strings a route needs before it looks the id up.
QUERIES: dict[tuple[str, str], str] = {("DELETE", "/debts/{id}/reminder-steps"): "?version=1"}


@pytest.fixture
def victim(emulator: object) -> dict[str, str]:
    """Another business, with a debtor and a debt."""
    browser, email = Browser(), f"victim-{uuid.uuid4().hex[:12]}@example.com"
    signed = browser.call(
        "POST",
        "/auth/signup",
        {
            "email": email,
            "password": "a long passphrase",
            "name": "V",
            "workspace_name": "V",
        },
    )
    account = Account(email, browser, signed.json())
    debtor = browser.call("POST", "/debtors", {"name": "Victim's Customer", "email": "vc@example.com"}).json()
    debt = new_debt(account, debtor["id"])
    plan = browser.call(
        "POST",
        f"/debtors/{debtor['id']}/plans",
        {"debt_ids": [debt["id"]], "instalments": [{"due_on": on} for on in SOON]},
    )
    assert plan.status == 201, plan.body
    return {"debtor": debtor["id"], "debt": debt["id"], "plan": plan.json()["id"], "workspace": account.workspace_id}


@pytest.mark.parametrize(("method", "path"), ID_ROUTES, ids=[f"{m} {p}" for m, p in ID_ROUTES])
def test_another_workspaces_ids_are_not_found(account: Account, victim: dict[str, str], method: str, path: str) -> None:
    target = victim[next(kind for kind in ("debtor", "debt", "plan") if path.startswith(f"/{kind}s/"))]
    before = all_items(f"WS#{victim['workspace']}")

    target_path = path.replace("{id}", target) + QUERIES.get((method, path), "")
    answer = account.browser.call(method, target_path, BODIES.get((method, path)))

    assert answer.status == 404, answer.body
    after = all_items(f"WS#{victim['workspace']}")
    assert after == before


def test_lists_never_show_another_workspaces_records(account: Account, victim: dict[str, str]) -> None:
    debtors = account.browser.call("GET", "/debtors").json()["items"]
    debts = account.browser.call("GET", f"/debts?debtor_id={victim['debtor']}").json()["items"]
    assert victim["debtor"] not in [d["id"] for d in debtors]
    assert debts == []


def test_a_debt_cannot_be_recorded_against_another_workspaces_debtor(account: Account, victim: dict[str, str]) -> None:
    answer = account.browser.call(
        "POST",
        "/debts",
        {
            "debtor_id": victim["debtor"],
            "invoice_number": "X-9",
            "amount": 100,
            "currency": "EUR",
            "due_on": "2026-12-01",
        },
    )
    assert answer.status == 404
    assert answer.json()["error"]["code"] == "debtor_not_found"


def test_every_debts_route_with_an_id_is_covered() -> None:
    assert len(ID_ROUTES) >= 15
