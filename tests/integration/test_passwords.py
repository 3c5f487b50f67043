"""Forgotten and changed passwords: 202 whatever the email, single-use links, every session ends."""

from __future__ import annotations

import re

from local.brevo import BrevoStandIn
from tests.conftest import Account
from tests.support.http import Browser
from tests.support.world import item_count, messages_to


def reset_token(brevo: BrevoStandIn, address: str) -> str:
    email = messages_to(brevo, address)[-1]
    return re.search(r"reset-password\?token=([A-Za-z0-9_\-]+)", email["textContent"]).group(1)


def test_forgot_answers_202_for_any_address_but_emails_only_real_accounts(
    account: Account, brevo: BrevoStandIn
) -> None:
    nobody = f"nobody-{account.user_id}@example.com"
    real = Browser().call("POST", "/auth/password/forgot", {"email": account.email})
    unknown = Browser().call("POST", "/auth/password/forgot", {"email": nobody})

    assert real.status == unknown.status == 202
    assert real.body == unknown.body
    assert len(messages_to(brevo, account.email)) == 2  # verification + reset
    assert messages_to(brevo, nobody) == []


def test_reset_sets_the_password_once_and_ends_every_session(account: Account, brevo: BrevoStandIn) -> None:
    other_device = account.new_browser()
    Browser().call("POST", "/auth/password/forgot", {"email": account.email})
    token = reset_token(brevo, account.email)

    done = Browser().call("POST", "/auth/password/reset", {"token": token, "password": "a brand new passphrase"})
    again = Browser().call("POST", "/auth/password/reset", {"token": token, "password": "another passphrase"})

    assert done.status == 204
    assert again.status == 400
    assert account.browser.call("GET", "/auth/me").status == 401
    assert other_device.call("POST", "/auth/refresh").status == 401
    old = Browser().call("POST", "/auth/login", {"email": account.email, "password": account.password})
    new = Browser().call("POST", "/auth/login", {"email": account.email, "password": "a brand new passphrase"})
    assert (old.status, new.status) == (401, 200)


def test_reset_with_a_too_short_password_changes_nothing_and_keeps_the_link(
    account: Account, brevo: BrevoStandIn
) -> None:
    Browser().call("POST", "/auth/password/forgot", {"email": account.email})
    token = reset_token(brevo, account.email)
    before = item_count()

    refused = Browser().call("POST", "/auth/password/reset", {"token": token, "password": "short"})

    assert refused.status == 422
    assert item_count() == before
    assert Browser().call("POST", "/auth/password/reset", {"token": token, "password": "long enough now"}).status == 204


def test_reset_emails_are_limited_to_three_an_hour(account: Account, brevo: BrevoStandIn) -> None:
    for _ in range(5):
        assert Browser().call("POST", "/auth/password/forgot", {"email": account.email}).status == 202
    assert len(messages_to(brevo, account.email)) == 1 + 3


def test_change_password_needs_the_current_one(account: Account) -> None:
    before = item_count()
    refused = account.browser.call(
        "POST", "/auth/password/change", {"current_password": "not my password", "new_password": "next passphrase"}
    )
    assert refused.status == 422
    assert refused.json()["error"]["code"] == "wrong_current_password"
    assert item_count() == before


def test_change_password_keeps_this_device_and_ends_the_others(account: Account) -> None:
    other_device = account.new_browser()

    changed = account.browser.call(
        "POST", "/auth/password/change", {"current_password": account.password, "new_password": "next passphrase"}
    )

    assert changed.status == 200
    assert account.browser.call("GET", "/auth/me").status == 200
    assert account.browser.call("POST", "/auth/refresh").status == 200
    assert other_device.call("GET", "/auth/me").status == 401
    login = Browser().call("POST", "/auth/login", {"email": account.email, "password": "next passphrase"})
    assert login.status == 200
