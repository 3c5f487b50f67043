"""Collectra is not an email relay: nobody unverified emails third parties, invitations are bounded and speak
in Collectra's words, and a removed or demoted inviter's links grant nothing (issue 12).

Through the doors users use: HTTP events through the real handlers, the planner's schedule and the sender's
SQS records; every email is read from the Brevo stand-in's outbox.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from local.brevo import BrevoStandIn
from tests.conftest import PASSWORD, Account, Clock, new_debt
from tests.support.http import Browser
from tests.support.reminders import drain, plan
from tests.support.team import invitation_token, invite, new_member
from tests.support.verification import verify_by_link
from tests.support.world import existing_item, messages_to

FIRST_REMINDER = "2027-03-01T09:00:00+01:00"  # step -3 of a debt due on Thursday 2027-03-04, in Paris


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def cycle(now: str) -> dict[str, Any]:
    summary = plan(at(now))
    drain()
    return summary


def new_person(account: Account) -> dict[str, Any]:
    body = {
        "name": "Victim Person",
        "email": f"someone-{uuid.uuid4().hex[:10]}@example.org",
        "locale": "en",
        "time_zone": "Europe/Paris",
    }
    answer = account.browser.call("POST", "/debtors", body)
    assert answer.status == 201, answer.body
    return dict(answer.json())


def error_code(answer: Any) -> str:
    return str(answer.json()["error"]["code"])


@pytest.fixture
def only_this_workspace(unverified_account: Account, monkeypatch: pytest.MonkeyPatch) -> None:
    """The planner sees only the unverified account's debts (the emulator holds every other test's)."""
    from tests.support.reminders import planner_sees

    planner_sees(monkeypatch, lambda debt: debt["workspace_id"] == unverified_account.workspace_id)


# ---------------------------------------------------------------- no email to others before verification


def test_an_unverified_account_cannot_remind_by_hand_nor_in_bulk(
    unverified_account: Account, brevo: BrevoStandIn
) -> None:
    person = new_person(unverified_account)
    debt = new_debt(unverified_account, person["id"], due_on="2026-11-01")

    one = unverified_account.browser.call("POST", f"/debts/{debt['id']}/remind")
    many = unverified_account.browser.call("POST", "/debts/remind", {"debt_ids": [debt["id"]]})
    drain()

    assert (one.status, error_code(one)) == (403, "email_not_verified")
    assert (many.status, error_code(many)) == (403, "email_not_verified")
    assert messages_to(brevo, person["email"]) == []


def test_an_unverified_account_cannot_invite(unverified_account: Account, brevo: BrevoStandIn) -> None:
    address = f"target-{uuid.uuid4().hex[:10]}@example.org"

    answer = unverified_account.browser.call("POST", "/workspace/members", {"email": address, "role": "member"})

    assert (answer.status, error_code(answer)) == (403, "email_not_verified")
    assert messages_to(brevo, address) == []
    assert unverified_account.browser.call("GET", "/workspace/members").json()["invitations"] == []


@pytest.mark.usefixtures("only_this_workspace")
def test_scheduled_reminders_wait_for_a_verified_owner_and_are_not_lost(
    unverified_account: Account, browser: Browser, brevo: BrevoStandIn
) -> None:
    person = new_person(unverified_account)
    new_debt(unverified_account, person["id"], due_on="2027-03-04")

    held = cycle(FIRST_REMINDER)
    assert messages_to(brevo, person["email"]) == []
    assert held["skipped"].get("owner_not_verified") == 1
    status = unverified_account.browser.call("GET", "/workspace/reminders/status").json()
    assert status["waiting_reason"] == "owner_not_verified"

    verify_by_link(browser, brevo, unverified_account.email)
    cycle("2027-03-01T10:01:00+01:00")  # an hour later: the step waited, it was not dropped

    [email] = messages_to(brevo, person["email"])
    assert email["sender"]["name"] == "Mallory Ltd via Collectra"


def test_a_verified_admin_cannot_remind_for_a_workspace_no_owner_has_verified(
    unverified_account: Account, brevo: BrevoStandIn
) -> None:
    """The invitation came before verification was required; its admin is verified by the link they followed."""
    from collectra import store
    from collectra.store import keys

    store.update(keys.user(unverified_account.user_id), "SET email_verified = :yes", values={":yes": True})
    admin, _ = new_member(unverified_account.browser, brevo, "admin")
    store.update(keys.user(unverified_account.user_id), "SET email_verified = :no", values={":no": False})
    debt = new_debt(unverified_account, new_person(unverified_account)["id"], due_on="2026-11-01")

    answer = admin.call("POST", f"/debts/{debt['id']}/remind")

    assert (answer.status, error_code(answer)) == (403, "owner_not_verified")


# ---------------------------------------------------------------- invitations


def test_an_address_gets_one_invitation_email_an_hour(account: Account, brevo: BrevoStandIn, clock: Clock) -> None:
    address = f"target-{uuid.uuid4().hex[:10]}@example.org"
    invite(account.browser, brevo, "member", address)

    again = [account.browser.call("POST", "/workspace/members", {"email": address, "role": "member"}) for _ in range(3)]

    assert [(answer.status, error_code(answer)) for answer in again] == [(429, "invitation_rate_limited")] * 3
    assert len(messages_to(brevo, address)) == 1
    clock.advance(hours=1, seconds=1)
    assert account.new_browser().call("POST", "/workspace/members", {"email": address, "role": "member"}).status == 201
    assert len(messages_to(brevo, address)) == 2


def test_a_workspace_has_at_most_fifty_invitations_pending(account: Account, brevo: BrevoStandIn) -> None:
    for _ in range(50):
        invite(account.browser, brevo, "member")
    address = f"target-{uuid.uuid4().hex[:10]}@example.org"

    answer = account.browser.call("POST", "/workspace/members", {"email": address, "role": "member"})

    assert (answer.status, error_code(answer)) == (409, "too_many_invitations")
    assert messages_to(brevo, address) == []
    assert len(account.browser.call("GET", "/workspace/members").json()["invitations"]) == 50


def test_an_invitation_subject_holds_no_user_text_and_the_sender_is_the_workspace_via_collectra(
    browser: Browser, brevo: BrevoStandIn, unique_email: str
) -> None:
    lure = 'Your account is locked <click> "now"'
    body = {"email": unique_email, "password": PASSWORD, "name": "URGENT: verify", "workspace_name": lure}
    assert browser.call("POST", "/auth/signup", body).status == 201
    verify_by_link(browser, brevo, unique_email)

    address, _ = invite(browser, brevo, "member")

    [email] = messages_to(brevo, address)
    assert email["subject"] == "You are invited to join a workspace on Collectra"
    assert email["sender"]["name"] == "Your account is locked click now via Collectra"


# ---------------------------------------------------------------- an inviter's rights, read again


def test_invitations_sent_by_a_removed_member_are_withdrawn(account: Account, brevo: BrevoStandIn) -> None:
    admin, admin_id = new_member(account.browser, brevo, "admin")
    address, token = invite(admin, brevo, "member")
    kept_address, _ = invite(account.browser, brevo, "member")

    assert account.browser.call("DELETE", f"/workspace/members/{admin_id}").status == 204

    pending = account.browser.call("GET", "/workspace/members").json()["invitations"]
    assert [item["email"] for item in pending] == [kept_address]
    answer = Browser().call("POST", "/auth/invitations/accept", {"token": token, "name": "Eve", "password": PASSWORD})
    assert answer.status == 400
    assert address not in {
        member["email"] for member in account.browser.call("GET", "/workspace/members").json()["members"]
    }


def test_an_inviter_demoted_since_cannot_bring_anyone_in(account: Account, brevo: BrevoStandIn) -> None:
    admin, admin_id = new_member(account.browser, brevo, "admin")
    _, token = invite(admin, brevo, "member")
    demoted = account.browser.call("PATCH", f"/workspace/members/{admin_id}", {"role": "member"})
    assert demoted.status == 200, demoted.body

    answer = Browser().call("POST", "/auth/invitations/accept", {"token": token, "name": "Eve", "password": PASSWORD})

    assert (answer.status, error_code(answer)) == (400, "invitation_withdrawn")
    assert len(account.browser.call("GET", "/workspace/members").json()["members"]) == 2


def test_the_invitation_link_still_works_while_its_inviter_may_invite(account: Account, brevo: BrevoStandIn) -> None:
    admin, _ = new_member(account.browser, brevo, "admin")
    address, _ = invite(admin, brevo, "member")

    body = {"token": invitation_token(brevo, address), "name": "Newcomer", "password": PASSWORD}
    assert Browser().call("POST", "/auth/invitations/accept", body).status == 200


# ---------------------------------------------------------------- make dev


@pytest.mark.gateway
def test_the_demo_seed_verifies_its_owner_from_the_outbox_so_make_remind_sends(
    gateway: Any, brevo: BrevoStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    from local.client import WebClient
    from local.seed import DEMO_EMAIL, DEMO_PASSWORD, seed_demo

    monkeypatch.setenv("COLLECTRA_BREVO_URL", brevo.url)  # as `make dev` sets it before seeding

    seed_demo(gateway.url)

    client = WebClient(gateway.url)
    assert client.call("POST", "/auth/login", {"email": DEMO_EMAIL, "password": DEMO_PASSWORD}).status == 200
    assert client.call("GET", "/auth/me").json()["user"]["email_verified"] is True


def test_reading_why_reminders_wait_writes_nothing(account: Account, dynamodb_calls: list[str]) -> None:
    """The status and summary GETs only read: a workspace whose verified owner is not yet marked on it has its
    owners read, never the mark written (those functions may not update the table)."""
    from collectra import store
    from collectra.store import keys

    store.update(keys.workspace(account.workspace_id), "REMOVE verified_owner_at")
    dynamodb_calls.clear()

    status = account.browser.call("GET", "/workspace/reminders/status")
    summary = account.browser.call("GET", "/workspace/summary")
    assert (status.status, summary.status) == (200, 200), (status.body, summary.body)
    assert status.json()["waiting_reason"] is summary.json()["reminders"]["waiting_reason"] is None
    assert set(dynamodb_calls) <= {"GetItem", "BatchGetItem", "Query"}, dynamodb_calls
    assert "verified_owner_at" not in existing_item(keys.workspace(account.workspace_id))
