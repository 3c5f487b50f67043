"""Guessing a password in a burst, over real HTTP: the local gateway runs the login function in several
worker processes at once, as Lambda scales out, so the attempts really are concurrent (in-process handlers
cannot be: Powertools keeps the current event on the class)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from collectra.auth import throttle
from local.client import WebClient
from local.gateway import Gateway
from tests.conftest import WEB_ORIGIN
from tests.support.web import signed_up

pytestmark = pytest.mark.gateway

BURST = 20


def test_a_burst_of_wrong_passwords_gets_no_more_guesses_than_the_limit(gateway: Gateway) -> None:
    # Given an account
    _, email = signed_up(gateway, "Guessed Co")

    # When 20 wrong passwords arrive at the same moment
    def guess(n: int) -> int:
        client = WebClient(gateway.url, origin=WEB_ORIGIN)
        return client.call("POST", "/auth/login", {"email": email, "password": f"wrong guess number {n}"}).status

    with ThreadPoolExecutor(BURST) as pool:
        statuses = list(pool.map(guess, range(BURST)))

    # Then no more of them were checked than the limit allows; the others were refused unchecked
    checked = statuses.count(401)
    assert 1 <= checked <= throttle.ACCOUNT.free_failures + 1, statuses
    assert statuses.count(429) == BURST - checked, statuses
