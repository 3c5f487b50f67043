"""Sign-in requests at the same moment, over real HTTP: the local gateway runs each function in several
worker processes at once, as Lambda scales out, so the requests really are concurrent (in-process handlers
cannot be: Powertools keeps the current event on the class)."""

from __future__ import annotations

import threading
import time
import urllib.error
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest

from collectra.auth import throttle
from local.client import Reply, WebClient
from local.gateway import Gateway
from tests.conftest import WEB_ORIGIN
from tests.support.web import signed_up

pytestmark = pytest.mark.gateway

BURST = 20


def _sent(request: Callable[[], Reply]) -> int:
    """The status of a request sent again, as a browser would, when the local gateway's small listen backlog
    (http.server's 5) refuses a connection of the burst before it reaches a function."""
    for _ in range(3):
        try:
            return request().status
        except (ConnectionError, urllib.error.URLError):
            time.sleep(0.05)
    return request().status


def test_a_burst_of_wrong_passwords_gets_no_more_guesses_than_the_limit(gateway: Gateway) -> None:
    # Given an account
    _, email = signed_up(gateway, "Guessed Co")

    # When 20 wrong passwords arrive at the same moment
    def guess(n: int) -> int:
        client = WebClient(gateway.url, origin=WEB_ORIGIN)
        return _sent(lambda: client.call("POST", "/auth/login", {"email": email, "password": f"wrong guess {n}"}))

    with ThreadPoolExecutor(BURST) as pool:
        statuses = list(pool.map(guess, range(BURST)))

    # Then no more of them were checked than the limit allows; the others were refused unchecked
    checked = statuses.count(401)
    assert 1 <= checked <= throttle.ACCOUNT.free_failures + 1, statuses
    assert statuses.count(429) == BURST - checked, statuses


def test_two_tabs_refreshing_at_the_same_instant_both_stay_signed_in(gateway: Gateway) -> None:
    # Given two tabs of one browser holding the same refresh token
    browser, _ = signed_up(gateway, "Two Tabs Co")
    tabs = [WebClient(gateway.url, jar=dict(browser.jar), origin=WEB_ORIGIN) for _ in range(2)]
    start = threading.Barrier(len(tabs))

    # When both refresh with it at the same instant
    def refresh(tab: WebClient) -> int:
        start.wait()
        return _sent(lambda: tab.call("POST", "/auth/refresh"))

    with ThreadPoolExecutor(len(tabs)) as pool:
        statuses = list(pool.map(refresh, tabs))

    # Then both are renewed with the one new refresh token, which goes on working
    assert statuses == [200, 200]
    assert tabs[0].jar["refresh_token"] == tabs[1].jar["refresh_token"]
    assert [tab.call("GET", "/auth/me").status for tab in tabs] == [200, 200]
    assert tabs[0].call("POST", "/auth/refresh").status == 200
