"""Forgotten and changed passwords: 202 whatever the email, single-use links, every session ends."""

from __future__ import annotations

import re
import statistics
import time
import uuid

import pytest

from local.brevo import BrevoStandIn
from local.harness import Answer
from tests.conftest import PASSWORD, Account
from tests.support.http import Browser
from tests.support.reset_emails import deliver_reset_emails
from tests.support.world import item_count, messages_to


def reset_token(brevo: BrevoStandIn, address: str) -> str:
    deliver_reset_emails()
    email = messages_to(brevo, address)[-1]
    match = re.search(r"reset-password\?token=([A-Za-z0-9_\-]+)", email["textContent"])
    assert match, f"no reset link was emailed to {address}"
    return match.group(1)


def test_forgot_answers_202_for_any_address_but_emails_only_real_accounts(
    account: Account, brevo: BrevoStandIn
) -> None:
    nobody = f"nobody-{account.user_id}@example.com"
    real = Browser().call("POST", "/auth/password/forgot", {"email": account.email})
    unknown = Browser().call("POST", "/auth/password/forgot", {"email": nobody})

    assert real.status == unknown.status == 202
    assert real.body == unknown.body
    deliver_reset_emails()
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
    deliver_reset_emails()
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


# ---------------------------------------------------------------- one takeover link at a time


def ask_for_reset(account: Account, brevo: BrevoStandIn) -> str:
    assert Browser().call("POST", "/auth/password/forgot", {"email": account.email}).status == 202
    return reset_token(brevo, account.email)


def reset_with(token: str, password: str = "a brand new passphrase") -> int:  # noqa: S107 - a test's password
    return Browser().call("POST", "/auth/password/reset", {"token": token, "password": password}).status


def test_a_new_reset_link_voids_the_previous_one(account: Account, brevo: BrevoStandIn) -> None:
    first = ask_for_reset(account, brevo)
    second = ask_for_reset(account, brevo)

    assert reset_with(first) == 400
    assert reset_with(second) == 204


def test_changing_the_password_voids_pending_reset_links(account: Account, brevo: BrevoStandIn) -> None:
    pending = ask_for_reset(account, brevo)

    changed = account.browser.call(
        "POST", "/auth/password/change", {"current_password": PASSWORD, "new_password": "next passphrase"}
    )

    assert changed.status == 200
    assert reset_with(pending) == 400


def test_asking_for_a_new_email_voids_pending_reset_links(account: Account, brevo: BrevoStandIn) -> None:
    pending = ask_for_reset(account, brevo)

    asked = account.browser.call(
        "PATCH", "/auth/me", {"email": f"new-{account.user_id}@example.org", "current_password": PASSWORD}
    )

    assert asked.status == 200
    assert reset_with(pending) == 400


def test_a_reset_voids_a_pending_email_change(account: Account, brevo: BrevoStandIn) -> None:
    new = f"new-{account.user_id}@example.org"
    account.browser.call("PATCH", "/auth/me", {"email": new, "current_password": PASSWORD})
    confirmation = re.search(r"confirm-email\?token=([A-Za-z0-9_\-]+)", messages_to(brevo, new)[-1]["textContent"])
    assert confirmation

    assert reset_with(ask_for_reset(account, brevo)) == 204

    assert Browser().call("POST", "/auth/email/confirm", {"token": confirmation.group(1)}).status == 400


# ---------------------------------------------------------------- guessable passwords (ASVS 6.2.11-12)

WEAK = ["password123", "qwertyuiop", "Grace Hopper!"]  # the last is strong but for the person's own name


def assert_too_weak(answer: Answer, field: str) -> None:
    error = answer.json()["error"]
    assert (answer.status, error["code"]) == (422, "password_too_weak")
    assert error["details"][0]["field"] == field
    assert error["details"][0]["message"] and error["details"][0]["suggestions"]


@pytest.mark.parametrize("weak", WEAK)
def test_sign_up_refuses_a_guessable_password(weak: str, browser: Browser, unique_email: str) -> None:
    body = {"email": unique_email, "password": weak, "name": "Grace Hopper", "workspace_name": "Hopper & Co"}

    answer = browser.call("POST", "/auth/signup", body)

    assert_too_weak(answer, "body.password")
    assert Browser().call("POST", "/auth/login", {"email": unique_email, "password": weak}).status == 401


def test_reset_and_change_refuse_a_guessable_password(account: Account, brevo: BrevoStandIn) -> None:
    token = ask_for_reset(account, brevo)
    reset = Browser().call("POST", "/auth/password/reset", {"token": token, "password": "Grace Hopper!"})
    change = account.browser.call(
        "POST", "/auth/password/change", {"current_password": PASSWORD, "new_password": "password123"}
    )

    assert_too_weak(reset, "body.password")
    assert_too_weak(change, "body.new_password")
    assert reset_with(token) == 204  # the link still works with a good password


def test_invitation_acceptance_refuses_a_guessable_password(account: Account, brevo: BrevoStandIn) -> None:
    from tests.support.team import invite

    _, token = invite(account.browser, brevo, "member")

    answer = Browser().call(
        "POST", "/auth/invitations/accept", {"token": token, "name": "Ada Lovelace", "password": "Ada Lovelace!"}
    )

    assert_too_weak(answer, "body.password")


# ---------------------------------------------------------------- no timing oracle


def test_a_known_and_an_unknown_address_take_the_same_time_to_answer(emulator: object) -> None:
    # Given accounts that never asked for a reset (so none is past its hourly limit), and unknown addresses
    rounds = 40
    known = []
    for _ in range(rounds):
        address = f"timed-{uuid.uuid4().hex[:12]}@example.com"
        body = {"email": address, "password": PASSWORD, "name": "Timed", "workspace_name": "Timed Co"}
        assert Browser().call("POST", "/auth/signup", body).status == 201
        known.append(address)
    unknown = [f"nobody-{uuid.uuid4().hex[:12]}@example.com" for _ in range(rounds)]

    # When each asks for a reset link, alternately, so that load on the machine falls on both alike
    def timed(address: str) -> float:
        start = time.perf_counter()
        assert Browser().call("POST", "/auth/password/forgot", {"email": address}).status == 202
        return time.perf_counter() - start

    timed(f"warm-up-{uuid.uuid4().hex[:12]}@example.com")  # the function's first call imports and connects
    durations: dict[str, list[float]] = {"known": [], "unknown": []}
    for n, pair in enumerate(zip(known, unknown, strict=True)):
        order = ("known", "unknown") if n % 2 else ("unknown", "known")  # neither always goes first
        for kind in order:
            durations[kind].append(timed(pair[0] if kind == "known" else pair[1]))
    deliver_reset_emails()

    # Then the medians are within 20% of each other
    ratio = statistics.median(durations["known"]) / statistics.median(durations["unknown"])
    assert 1 / 1.2 <= ratio <= 1.2, durations
