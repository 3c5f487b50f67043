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

    answer = account.browser.call("PATCH", "/auth/me", {"email": new})

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

    taken = account.browser.call("PATCH", "/auth/me", {"email": signup["email"]})
    invalid = account.browser.call("PATCH", "/auth/me", {"email": "not an address", "name": "Changed"})
    extra = account.browser.call("PATCH", "/auth/me", {"role": "owner"})

    assert (taken.status, taken.json()["error"]["code"]) == (409, "email_taken")
    assert (invalid.status, extra.status) == (422, 422)
    assert account.browser.call("GET", "/auth/me").json()["user"]["name"] == "Grace Hopper"
