"""The security promises, each checked through an HTTP event: cookies, CSRF, token forgery, secrets."""

from __future__ import annotations

import time

import jwt
import pytest

from collectra.auth import tokens
from collectra.store import keys
from tests.conftest import Account
from tests.support.http import Browser
from tests.support.world import all_items, existing_item


def test_cookies_are_exactly_the_policy_ones_with_their_attributes(account: Account) -> None:
    answer = Browser().call("POST", "/auth/login", {"email": account.email, "password": account.password})
    cookies = answer.set_cookies()

    access, refresh = cookies["access_token"].attributes, cookies["refresh_token"].attributes
    assert set(cookies) == {"access_token", "refresh_token"}
    assert access["httponly"] is True and access["secure"] is True
    assert access["samesite"] == "Lax" and access["path"] == "/"
    assert 0 < int(access["max-age"]) <= 15 * 60
    assert refresh["httponly"] is True and refresh["secure"] is True
    assert refresh["samesite"] == "Strict" and refresh["path"] == "/auth"
    assert int(refresh["max-age"]) == 30 * 24 * 3600


def test_preferences_cookie_is_readable_by_the_page_for_a_year_and_holds_no_identity(account: Account) -> None:
    answer = account.browser.call("PUT", "/auth/preferences", {"locale": "fr", "theme": "dark", "date_format": "iso"})

    assert answer.status == 200
    (cookie,) = answer.set_cookies().values()
    assert cookie.name == "_collectra_session"
    assert "httponly" not in cookie.attributes
    assert cookie.attributes["secure"] is True and cookie.attributes["samesite"] == "Lax"
    assert int(cookie.attributes["max-age"]) == 365 * 24 * 3600
    assert cookie.value == "date_format=iso&locale=fr&theme=dark"
    for secret in (account.user_id, account.email, account.workspace_id, account.browser.jar["access_token"]):
        assert secret not in cookie.value


def test_unknown_preference_is_refused(account: Account) -> None:
    answer = account.browser.call("PUT", "/auth/preferences", {"email": account.email})
    assert answer.status == 422
    assert answer.cookies == []


def test_cookie_authenticated_write_without_csrf_header_is_refused_and_changes_nothing(account: Account) -> None:
    refused = account.browser.call("POST", "/auth/logout", csrf_header=False)

    assert refused.status == 403
    assert refused.json()["error"]["code"] == "csrf_rejected"
    assert account.browser.call("GET", "/auth/me").status == 200  # still signed in


def test_write_from_a_foreign_origin_is_refused_and_changes_nothing(account: Account) -> None:
    refused = account.browser.call("PATCH", "/workspace", {"name": "Pwned"}, headers={"origin": "https://evil.example"})

    assert refused.status == 403
    assert account.browser.call("GET", "/workspace").json()["name"] == "Hopper & Co"


def test_write_from_the_web_origin_passes(account: Account) -> None:
    answer = account.browser.call(
        "PATCH", "/workspace", {"name": "Hopper & Daughters"}, headers={"origin": "https://app.collectra.example"}
    )
    assert answer.status == 200


def _forged(account: Account, **changes: object) -> dict[str, object]:
    claims = jwt.decode(account.browser.jar["access_token"], options={"verify_signature": False})
    claims.update(changes)
    return claims


def _me_with(token: str) -> int:
    browser = Browser()
    browser.jar["access_token"] = token
    return browser.call("GET", "/auth/me").status


def test_unsigned_token_alg_none_is_refused(account: Account) -> None:
    token = jwt.encode(_forged(account), key="", algorithm="none")
    assert _me_with(token) == 401


def test_token_signed_with_another_key_is_refused(account: Account) -> None:
    assert _me_with(jwt.encode(_forged(account), "not-the-key-" * 4, algorithm="HS256")) == 401


def test_token_signed_with_another_algorithm_is_refused(account: Account) -> None:
    key = tokens._signing_key()
    assert _me_with(jwt.encode(_forged(account), key, algorithm="HS512")) == 401


@pytest.mark.parametrize(
    "changes",
    [
        {"exp": int(time.time()) - 60, "iat": int(time.time()) - 1000},
        {"aud": "someone-else"},
        {"iss": "someone-else"},
        {"sub": None},
    ],
    ids=["expired", "wrong-audience", "wrong-issuer", "no-subject"],
)
def test_genuinely_signed_but_invalid_token_is_refused(account: Account, changes: dict[str, object]) -> None:
    claims = {k: v for k, v in _forged(account, **changes).items() if v is not None}
    assert _me_with(jwt.encode(claims, tokens._signing_key(), algorithm="HS256")) == 401


def test_token_for_a_workspace_the_user_is_not_in_is_refused(account: Account) -> None:
    other = Browser()
    other.call(
        "POST",
        "/auth/signup",
        {
            "email": f"eve-{account.user_id}@example.com",
            "password": "another passphrase",
            "name": "Eve",
            "workspace_name": "Eve Inc",
        },
    )
    eve_workspace = other.call("GET", "/workspace").json()["id"]
    claims = _forged(account, wid=eve_workspace)
    assert _me_with(jwt.encode(claims, tokens._signing_key(), algorithm="HS256")) == 401


def test_no_answer_ever_contains_a_password_hash_or_token_hash(account: Account) -> None:
    answers = [
        account.browser.call("GET", "/auth/me"),
        account.browser.call("POST", "/auth/refresh"),
        account.browser.call("GET", "/workspace"),
        Browser().call("POST", "/auth/login", {"email": account.email, "password": account.password}),
    ]
    user = existing_item(keys.user(account.user_id))
    secrets = [user["password_hash"]] + [item["token_hash"] for item in all_items() if "token_hash" in item]
    for answer in answers:
        text = answer.body + " ".join(answer.cookies) + " ".join(answer.headers.values())
        assert "password_hash" not in text and "token_hash" not in text
        for secret in secrets:
            assert secret not in text


def test_refresh_token_is_stored_only_as_a_hash(account: Account) -> None:
    refresh_token = account.browser.jar["refresh_token"]
    flattened = repr(all_items())
    assert refresh_token not in flattened
    assert refresh_token.rsplit(".", 1)[1] not in flattened
