"""Staying signed in and signing out: refresh rotation, reuse detection, logout, /auth/me."""

from __future__ import annotations

from collectra.auth.sessions import GRACE_SECONDS
from tests.conftest import Account, Clock
from tests.support.http import Browser


def test_me_names_the_user_workspace_and_role(account: Account) -> None:
    answer = account.browser.call("GET", "/auth/me")

    assert answer.status == 200
    body = answer.json()
    assert body["user"]["email"] == account.email
    assert body["workspace"]["id"] == account.workspace_id
    assert body["role"] == "owner"
    assert answer.headers["cache-control"] == "no-store"


def test_me_without_cookie_is_401(browser: Browser) -> None:
    answer = browser.call("GET", "/auth/me")
    assert answer.status == 401
    assert answer.json()["error"]["code"] == "not_signed_in"


def test_refresh_without_a_refresh_cookie_is_401_and_clears_nothing(browser: Browser) -> None:
    """A fresh browser's sign-in screen asks for a refresh while the user signs in: that 401 must not carry
    cookie deletions, which would land after the sign-in's cookies and end the new session."""
    answer = browser.call("POST", "/auth/refresh")

    assert answer.status == 401
    assert answer.json()["error"]["code"] == "no_session"
    assert answer.set_cookies() == {}


def test_refresh_rotates_both_tokens(account: Account) -> None:
    before = dict(account.browser.jar)

    answer = account.browser.call("POST", "/auth/refresh")

    assert answer.status == 200
    assert account.browser.jar["refresh_token"] != before["refresh_token"]
    assert account.browser.jar["access_token"] != before["access_token"]
    assert account.browser.call("GET", "/auth/me").status == 200


def test_reused_refresh_token_revokes_the_whole_family(account: Account, clock: Clock) -> None:
    stolen = account.browser.jar["refresh_token"]
    assert account.browser.call("POST", "/auth/refresh").status == 200  # the real user moves on
    clock.advance(seconds=GRACE_SECONDS + 1)  # past the grace that a second tab gets

    thief = Browser()
    thief.jar["refresh_token"] = stolen
    reuse = thief.call("POST", "/auth/refresh")

    assert reuse.status == 401
    assert reuse.json()["error"]["code"] == "refresh_token_reused"
    assert {c.name: c.attributes["max-age"] for c in reuse.set_cookies().values()} == {
        "access_token": "0",
        "refresh_token": "0",
    }
    # The family is dead for everyone: the real user's fresh tokens stop working too.
    assert account.browser.call("GET", "/auth/me").status == 401
    assert account.browser.call("POST", "/auth/refresh").status == 401


def test_logout_clears_cookies_and_kills_the_access_token_at_once(account: Account) -> None:
    access_token = account.browser.jar["access_token"]
    refresh_token = account.browser.jar["refresh_token"]

    answer = account.browser.call("POST", "/auth/logout")

    assert answer.status == 204
    cleared = answer.set_cookies()
    assert cleared["access_token"].attributes["max-age"] == "0"
    assert cleared["refresh_token"].attributes["max-age"] == "0"
    assert cleared["refresh_token"].attributes["path"] == "/auth"
    replay = Browser()
    replay.jar.update(access_token=access_token, refresh_token=refresh_token)
    assert replay.call("GET", "/auth/me").status == 401
    assert replay.call("POST", "/auth/refresh").status == 401


def test_logout_ends_only_this_device(account: Account) -> None:
    other_device = account.new_browser()

    account.browser.call("POST", "/auth/logout")

    assert other_device.call("GET", "/auth/me").status == 200


def test_logout_without_a_session_still_answers_204(browser: Browser) -> None:
    assert browser.call("POST", "/auth/logout").status == 204


def test_auth_endpoints_stay_within_three_dynamodb_calls(account: Account, dynamodb_calls: list[str]) -> None:
    for method, path in [("GET", "/auth/me"), ("POST", "/auth/refresh"), ("POST", "/auth/logout")]:
        dynamodb_calls.clear()
        account.browser.call(method, path)
        assert len(dynamodb_calls) <= 3, (path, dynamodb_calls)


def test_logout_with_a_stale_refresh_cookie_revokes_the_family_and_this_session(account: Account) -> None:
    # Given a thief who copied the refresh cookie and rotated it first
    victim_access_token = account.browser.jar["access_token"]
    thief = Browser()
    thief.jar["refresh_token"] = account.browser.jar["refresh_token"]
    assert thief.call("POST", "/auth/refresh").status == 200

    # When the victim signs out with the now stale refresh cookie
    assert account.browser.call("POST", "/auth/logout").status == 204

    # Then the victim's access token and the thief's tokens are all dead
    replay = Browser()
    replay.jar["access_token"] = victim_access_token
    assert replay.call("GET", "/auth/me").status == 401
    assert thief.call("GET", "/auth/me").status == 401
    assert thief.call("POST", "/auth/refresh").status == 401


def test_logout_ends_the_session_of_the_access_token_whatever_the_refresh_cookie(account: Account) -> None:
    # Given a device whose refresh cookie names another (foreign or garbled) session
    access_token = account.browser.jar["access_token"]
    account.browser.jar["refresh_token"] = "usr_x.ses_x.not-a-real-token"

    assert account.browser.call("POST", "/auth/logout").status == 204

    replay = Browser()
    replay.jar["access_token"] = access_token
    assert replay.call("GET", "/auth/me").status == 401


def test_two_tabs_refreshing_with_the_same_token_both_stay_signed_in(account: Account) -> None:
    # Given two tabs of one browser holding the same refresh token
    other_tab = Browser()
    other_tab.jar.update(account.browser.jar)

    # When both refresh with it, one just after the other
    first = account.browser.call("POST", "/auth/refresh")
    second = other_tab.call("POST", "/auth/refresh")

    # Then both are renewed with the same refresh token, and the family lives on
    assert (first.status, second.status) == (200, 200)
    assert other_tab.jar["refresh_token"] == account.browser.jar["refresh_token"]
    assert other_tab.call("GET", "/auth/me").status == 200
    assert account.browser.call("POST", "/auth/refresh").status == 200
    assert account.browser.call("GET", "/auth/me").status == 200


def test_the_replaced_token_after_the_grace_revokes_the_family(account: Account, clock: Clock) -> None:
    replaced = account.browser.jar["refresh_token"]
    assert account.browser.call("POST", "/auth/refresh").status == 200

    clock.advance(seconds=GRACE_SECONDS + 1)
    late = Browser()
    late.jar["refresh_token"] = replaced

    assert late.call("POST", "/auth/refresh").json()["error"]["code"] == "refresh_token_reused"
    assert account.browser.call("GET", "/auth/me").status == 401


def test_a_session_ends_90_days_after_sign_in_however_often_it_is_refreshed(account: Account, clock: Clock) -> None:
    for _ in range(3):  # day 87: still renewed, within every 30-day window
        clock.advance(days=29)
        assert account.browser.call("POST", "/auth/refresh").status == 200

    clock.advance(days=3, seconds=1)

    assert account.browser.call("POST", "/auth/refresh").status == 401
