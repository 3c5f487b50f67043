"""A person corrects their own account: PATCH /auth/me and POST /auth/email/confirm."""

from __future__ import annotations

import re
import uuid
from typing import Any

from local.brevo import BrevoStandIn
from tests.conftest import PASSWORD, Account
from tests.support.http import Browser
from tests.support.world import messages_to


def confirmation_token(brevo: BrevoStandIn, address: str) -> str:
    match = re.search(r"confirm-email\?token=([A-Za-z0-9_\-]+)", messages_to(brevo, address)[-1]["textContent"])
    assert match, "no confirmation link"
    return match.group(1)


def signs_in(email: str) -> bool:
    return Browser().call("POST", "/auth/login", {"email": email, "password": PASSWORD}).status == 200


def test_a_name_is_corrected_at_once(account: Account) -> None:
    answer = account.browser.call("PATCH", "/auth/me", {"name": "Grace B. Hopper"})

    assert answer.status == 200, answer.body
    assert answer.json()["session"]["user"]["name"] == "Grace B. Hopper"
    assert account.browser.call("GET", "/auth/me").json()["user"]["name"] == "Grace B. Hopper"


def test_a_new_email_takes_effect_only_once_confirmed_and_the_old_address_is_told(
    account: Account, brevo: BrevoStandIn
) -> None:
    new = f"grace-{uuid.uuid4().hex[:8]}@example.org"

    answer = account.browser.call("PATCH", "/auth/me", {"email": new, "current_password": PASSWORD})

    assert answer.json()["email_change_sent_to"] == new
    assert answer.json()["session"]["user"]["email"] == account.email  # not yet
    assert "is being changed" in messages_to(brevo, account.email)[-1]["subject"]
    assert signs_in(account.email) and not signs_in(new)

    token = confirmation_token(brevo, new)
    assert Browser().call("POST", "/auth/email/confirm", {"token": token}).status == 204

    assert signs_in(new) and not signs_in(account.email)
    me: dict[str, Any] = account.new_browser_for(new).call("GET", "/auth/me").json()
    assert (me["user"]["email"], me["user"]["email_verified"]) == (new, True)
    assert Browser().call("POST", "/auth/email/confirm", {"token": token}).status == 400  # once only


def test_an_address_of_another_account_is_refused_and_bad_input_changes_nothing(
    account: Account, browser: Browser, unique_email: str
) -> None:
    other = Browser()
    signup = {
        "email": f"other-{uuid.uuid4().hex[:8]}@example.com",
        "password": PASSWORD,
        "name": "O",
        "workspace_name": "O",
    }
    assert other.call("POST", "/auth/signup", signup).status == 201

    taken = account.browser.call("PATCH", "/auth/me", {"email": signup["email"], "current_password": PASSWORD})
    invalid = account.browser.call("PATCH", "/auth/me", {"email": "not an address", "name": "Changed"})
    extra = account.browser.call("PATCH", "/auth/me", {"role": "owner"})

    assert (taken.status, taken.json()["error"]["code"]) == (409, "email_taken")
    assert (invalid.status, extra.status) == (422, 422)
    assert account.browser.call("GET", "/auth/me").json()["user"]["name"] == "Grace Hopper"


def cancel_token(brevo: BrevoStandIn, address: str) -> str:
    match = re.search(r"cancel-email-change\?token=([A-Za-z0-9_\-]+)", messages_to(brevo, address)[-1]["textContent"])
    assert match, "no cancel link"
    return match.group(1)


def change_email(account: Account, brevo: BrevoStandIn) -> str:
    """Ask for a new address (with the password) and confirm it from that address; the new address."""
    new = f"moved-{uuid.uuid4().hex[:8]}@example.org"
    asked = account.browser.call("PATCH", "/auth/me", {"email": new, "current_password": PASSWORD})
    assert asked.status == 200, asked.body
    assert Browser().call("POST", "/auth/email/confirm", {"token": confirmation_token(brevo, new)}).status == 204
    return new


def test_an_email_change_needs_the_current_password(account: Account, brevo: BrevoStandIn) -> None:
    new = f"thief-{uuid.uuid4().hex[:8]}@example.org"

    missing = account.browser.call("PATCH", "/auth/me", {"email": new, "name": "Changed"})
    wrong = account.browser.call("PATCH", "/auth/me", {"email": new, "current_password": "not my password"})

    assert (missing.status, missing.json()["error"]["code"]) == (422, "wrong_current_password")
    assert (wrong.status, wrong.json()["error"]["code"]) == (422, "wrong_current_password")
    assert messages_to(brevo, new) == []
    assert account.browser.call("GET", "/auth/me").json()["user"]["name"] == "Grace Hopper"


def test_confirming_a_new_address_ends_every_other_session(account: Account, brevo: BrevoStandIn) -> None:
    other_device = account.new_browser()

    change_email(account, brevo)

    assert other_device.call("GET", "/auth/me").status == 401
    assert other_device.call("POST", "/auth/refresh").status == 401
    # The device that asked goes on: its next refresh renews it.
    assert account.browser.call("POST", "/auth/refresh").status == 200
    assert account.browser.call("GET", "/auth/me").status == 200


def test_the_old_address_undoes_a_confirmed_change_and_ends_every_session(
    account: Account, brevo: BrevoStandIn
) -> None:
    # Given a thief with a stolen session who moved the account to their address
    thief = account.browser
    new = change_email(account, brevo)
    thief.call("POST", "/auth/refresh")

    # When the real owner uses the link sent to the old address
    cancelled = Browser().call("POST", "/auth/email/cancel", {"token": cancel_token(brevo, account.email)})

    # Then the account is theirs again and the thief is out
    assert cancelled.status == 204
    assert signs_in(account.email) and not signs_in(new)
    assert thief.call("GET", "/auth/me").status == 401
    assert thief.call("POST", "/auth/refresh").status == 401
    me = account.new_browser().call("GET", "/auth/me").json()
    assert (me["user"]["email"], me["user"]["email_verified"]) == (account.email, True)


def test_cancelling_before_confirmation_voids_the_confirmation_link(account: Account, brevo: BrevoStandIn) -> None:
    new = f"later-{uuid.uuid4().hex[:8]}@example.org"
    account.browser.call("PATCH", "/auth/me", {"email": new, "current_password": PASSWORD})

    assert Browser().call("POST", "/auth/email/cancel", {"token": cancel_token(brevo, account.email)}).status == 204

    assert Browser().call("POST", "/auth/email/confirm", {"token": confirmation_token(brevo, new)}).status == 400
    assert signs_in(account.email) and not signs_in(new)
    assert account.browser.call("GET", "/auth/me").status == 401
