"""Signing in through POST /auth/login: no user enumeration, and throttled guessing."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher, Type, extract_parameters

from collectra import store
from collectra.auth import passwords, throttle
from collectra.store import keys
from tests.conftest import Account, Clock
from tests.support.http import Browser
from tests.support.world import existing_item


def log_in(email: str, password: str, source_ip: str | None = None) -> object:
    return Browser(source_ip).call("POST", "/auth/login", {"email": email, "password": password})


def test_correct_password_signs_in_with_cookies(account: Account) -> None:
    answer = Browser().call("POST", "/auth/login", {"email": account.email.upper(), "password": account.password})

    assert answer.status == 200
    assert answer.json()["user"]["id"] == account.user_id
    assert set(answer.set_cookies()) == {"access_token", "refresh_token"}


def test_wrong_password_and_unknown_email_answer_alike(account: Account) -> None:
    nobody = f"nobody-{account.user_id}@example.com"
    wrong_password = Browser().call("POST", "/auth/login", {"email": account.email, "password": "not it at all"})
    unknown_email = Browser().call("POST", "/auth/login", {"email": nobody, "password": "not it at all"})

    assert wrong_password.status == unknown_email.status == 401
    assert wrong_password.json() == unknown_email.json()
    assert wrong_password.cookies == unknown_email.cookies == []


def test_unknown_email_costs_the_same_password_work(
    emulator: object, unique_email: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    verified: list[str] = []
    real_verify = passwords.verify_password

    def counting_verify(password_hash: str, password: str) -> bool:
        verified.append(password_hash)
        return real_verify(password_hash, password)

    monkeypatch.setattr(passwords, "verify_password", counting_verify)

    Browser().call("POST", "/auth/login", {"email": unique_email, "password": "whatever it is"})

    assert len(verified) == 1  # one full argon2id verification, against a decoy hash


def test_repeated_failures_for_an_account_get_429_with_retry_after(account: Account, clock: Clock) -> None:
    statuses = []
    for attempt in range(10):
        answer = Browser().call("POST", "/auth/login", {"email": account.email, "password": f"guess number {attempt}"})
        statuses.append(answer.status)

    assert statuses[:5] == [401] * 5
    assert 429 in statuses
    throttled = Browser().call("POST", "/auth/login", {"email": account.email, "password": account.password})
    assert throttled.status == 429
    assert int(throttled.headers["retry-after"]) > 0
    assert throttled.json()["error"]["code"] == "too_many_requests"


def test_lock_is_short_and_a_good_sign_in_afterwards_clears_it(account: Account, clock: Clock) -> None:
    for attempt in range(5):
        Browser().call("POST", "/auth/login", {"email": account.email, "password": f"guess number {attempt}"})
    assert Browser().call("POST", "/auth/login", {"email": account.email, "password": account.password}).status == 429

    clock.advance(seconds=16)
    assert Browser().call("POST", "/auth/login", {"email": account.email, "password": account.password}).status == 200
    assert Browser().call("POST", "/auth/login", {"email": account.email, "password": "one more miss"}).status == 401


def test_a_throttled_unknown_address_looks_like_a_real_one(unique_email: str, emulator: object) -> None:
    answers = [
        Browser().call("POST", "/auth/login", {"email": unique_email, "password": f"guess {n}"}).status
        for n in range(6)
    ]
    assert answers[-1] == 429


def test_one_source_address_guessing_many_accounts_is_throttled(emulator: object) -> None:
    attacker = "192.0.2.99"
    statuses = [
        Browser(attacker)
        .call("POST", "/auth/login", {"email": f"victim{n}@example.com", "password": "password1"})
        .status
        for n in range(31)
    ]
    assert statuses[:30] == [401] * 30
    assert statuses[30] == 429


# The attempt is reserved (a conditional write) before the password is checked; a success then writes its session.
@pytest.mark.parametrize(("outcome", "calls"), [("success", 4), ("failure", 3)])
def test_login_makes_at_most_four_dynamodb_calls(
    account: Account, outcome: str, calls: int, dynamodb_calls: list[str]
) -> None:
    password = account.password if outcome == "success" else "not the password"
    Browser().call("POST", "/auth/login", {"email": account.email, "password": password})
    assert len(dynamodb_calls) <= calls


def test_a_password_hashed_with_weaker_parameters_is_rehashed_at_sign_in(account: Account) -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1, type=Type.ID).hash(account.password)
    store.update(keys.user(account.user_id), "SET password_hash = :weak", values={":weak": weak})

    assert Browser().call("POST", "/auth/login", {"email": account.email, "password": account.password}).status == 200

    rehashed = existing_item(keys.user(account.user_id))["password_hash"]
    assert rehashed != weak
    assert extract_parameters(rehashed).memory_cost >= 19 * 1024
    assert Browser().call("POST", "/auth/login", {"email": account.email, "password": account.password}).status == 200


def test_sign_ins_that_succeed_never_count_against_their_source_address(account: Account) -> None:
    # Each attempt is reserved on the address's counter before the check; a success gives it back.
    office = "192.0.2.150"
    body = {"email": account.email, "password": account.password}
    statuses = {
        Browser(office).call("POST", "/auth/login", body).status for _ in range(throttle.SOURCE_IP.free_failures + 2)
    }
    assert statuses == {200}
