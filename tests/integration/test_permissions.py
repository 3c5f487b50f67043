"""Every route of the template, called with every role, answers as the permission table says.

The table is `collectra.access.ROUTES` (route → permission) with `PERMISSIONS` (permission → roles): the
same table `current_principal` enforces. Requests carry valid bodies and name objects that do not exist,
so a role that may call a route gets past the check (200, 404, a domain 400 or 422...) and one that may not gets 403
`insufficient_role`, and nothing else decides the answer.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from collectra.access import PERMISSIONS, ROUTES, Role
from local.brevo import BrevoStandIn
from local.emulator import Emulator
from tests.conftest import PASSWORD
from tests.support.http import Browser, template_routes
from tests.support.team import new_member
from tests.support.verification import verify_by_link

MISSING = "zz_missing"
STEPS = [{"offset_days": 0, "tone": "friendly", "template": "friendly"}]
# A valid request for every signed-in route that reads a body; a route missing here fails the test with 422.
BODIES: dict[str, Any] = {
    "PATCH /auth/me": {},
    "PUT /auth/preferences": {"theme": "dark"},
    "POST /auth/password/change": {"current_password": "not it", "new_password": "another long passphrase"},
    "POST /auth/switch-workspace": {"workspace_id": MISSING},
    "PATCH /workspace": {},
    "PUT /workspace/reminder-policy": {"steps": STEPS},
    "POST /workspace/reminder-templates/preview": {"template": "friendly"},
    "POST /workspace/members": {"email": "invitee@example.com", "role": "member"},
    "PATCH /workspace/members/{id}": {"role": "member"},
    "PATCH /workspace/members/me/notifications": {"disputes_at_once": False},
    "POST /debtors": {"name": "Permission Check SARL", "email": "ap@permission.example"},
    "PATCH /debtors/{id}": {"version": 1, "name": "Renamed"},
    "POST /debts": {
        "debtor_id": MISSING,
        "invoice_number": "INV-1",
        "amount": 1_000,
        "currency": "EUR",
        "due_on": "2026-12-31",
    },
    "PATCH /debts/{id}": {"version": 1, "description": "x"},
    "PATCH /workspace/inbox/{id}": {"state": "done"},
    "POST /workspace/inbox/{id}/answer": {"message": "We received it, thank you."},
    "POST /debts/{id}/payments": {"amount": 100, "received_on": "2026-01-01"},
    "POST /debts/{id}/promise": {"on": "2026-12-31"},
    "POST /debts/{id}/waiver": {"interest": True, "compensation": True},
    "PUT /debts/{id}/reminder-steps": {"steps": STEPS, "version": 1},
    "POST /debts/remind": {"debt_ids": [MISSING]},
    "POST /debtors/{id}/plans": {
        "debt_ids": [MISSING],
        "instalments": [{"due_on": "2199-01-01"}, {"due_on": "2199-02-01"}],
    },
    "DELETE /account": {"password": "not the password"},
    "DELETE /workspace": {"password": "not the password"},
}
QUERIES = {"DELETE /debts/{id}/reminder-steps": "?version=1", "POST /debts/import": "?dry_run=true"}
CSV = {"POST /debts/import": "Customer,Invoice,Amount,Due date\nAda,INV-9,12.00,2026-12-31\n"}

SIGNED_IN = sorted(key for key in map(" ".join, template_routes()) if ROUTES.get(key) is not None)


def test_the_table_names_every_route_of_the_template_and_nothing_else() -> None:
    assert set(ROUTES) == set(map(" ".join, template_routes()))
    assert {permission for permission in ROUTES.values() if permission} <= set(PERMISSIONS)


@pytest.fixture(scope="module")
def team(emulator: Emulator, brevo: BrevoStandIn) -> dict[Role, Browser]:
    owner = Browser()
    body = {
        "email": f"owner-{uuid.uuid4().hex[:10]}@example.com",
        "password": PASSWORD,
        "name": "Permission Owner",
        "workspace_name": "Permissions Ltd",
    }
    assert owner.call("POST", "/auth/signup", body).status == 201
    verify_by_link(owner, brevo, body["email"])  # an unverified owner could not invite
    admin, _ = new_member(owner, brevo, Role.ADMIN.value)
    member, _ = new_member(owner, brevo, Role.MEMBER.value)
    return {Role.OWNER: owner, Role.ADMIN: admin, Role.MEMBER: member}


def call(browser: Browser, route_key: str) -> Any:
    method, path = route_key.split(" ", 1)
    path = path.replace("{id}", MISSING) + QUERIES.get(route_key, "")
    if route_key in CSV:
        return browser.call(method, path, raw_body=CSV[route_key], headers={"content-type": "text/csv"})
    return browser.call(method, path, BODIES.get(route_key))


@pytest.mark.parametrize("route_key", SIGNED_IN)
@pytest.mark.parametrize("role", list(Role))
def test_each_role_gets_what_the_table_allows(team: dict[Role, Browser], role: Role, route_key: str) -> None:
    answer = call(team[role], route_key)

    if role in PERMISSIONS[str(ROUTES[route_key])]:
        # Past the check: any answer but a refusal, a crash, or a request the schema turned away before it.
        refused = answer.status in (401, 403) or answer.status >= 500
        assert not refused and "invalid_input" not in (answer.body or ""), (role, route_key, answer.body)
    else:
        assert (answer.status, answer.json()["error"]["code"]) == (403, "insufficient_role"), (route_key, answer.body)


@pytest.mark.parametrize("route_key", SIGNED_IN)
def test_no_signed_in_route_answers_without_a_session(route_key: str) -> None:
    answer = call(Browser(), route_key)

    assert answer.status == 401, (route_key, answer.body)
