"""Behind CloudFront, the per-address counters (sign-in, debtor pages' guessing) count the viewer, not the edge:
but only when the request carries the origin secret CloudFront adds. A forged CloudFront-Viewer-Address
sent straight to the API is ignored."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator

import boto3
import pytest

from collectra.store import keys
from tests.conftest import Account
from tests.support.http import Browser, harness
from tests.support.world import get_item

_EDGES = (f"130.176.{n // 250}.{n % 250 + 1}" for n in itertools.count())
_VIEWERS = (f"2001:db8:{n:x}::7" for n in itertools.count(1 + uuid.uuid4().int % 50_000))


@pytest.fixture
def origin_secret(emulator: object) -> Iterator[str]:
    """The stack's origin-verify secret, as CloudFormation would create it, named in the functions' environment."""
    name = f"collectra/test/origin-verify-{uuid.uuid4().hex[:8]}"
    value = uuid.uuid4().hex + uuid.uuid4().hex
    boto3.client("secretsmanager").create_secret(Name=name, SecretString=value)
    with harness().redeployed({"ORIGIN_VERIFY_SECRET_NAME": name}):
        yield value


def through_cloudfront(viewer: str, verify: str | None) -> dict[str, str]:
    headers = {"CloudFront-Viewer-Address": f"{viewer}:{40000 + len(viewer)}"}
    if verify is not None:
        headers["X-Origin-Verify"] = verify
    return headers


def failures(scope: str, address: str) -> int:
    counter = get_item(keys.throttle(scope, address))
    return 0 if counter is None else int(counter["failures"])


def test_a_failed_sign_in_through_cloudfront_counts_against_the_viewer(account: Account, origin_secret: str) -> None:
    viewer, edge = next(_VIEWERS), next(_EDGES)
    answer = Browser(edge).call(
        "POST",
        "/auth/login",
        {"email": account.email, "password": "not the password"},
        headers=through_cloudfront(viewer, origin_secret),
    )

    assert answer.status == 401
    assert failures("login-ip", viewer) == 1
    assert failures("login-ip", edge) == 0


@pytest.mark.parametrize("verify", [None, "a forged value", ""], ids=["no secret", "wrong secret", "empty secret"])
def test_a_viewer_address_without_the_secret_is_ignored_at_sign_in(
    account: Account, origin_secret: str, verify: str | None
) -> None:
    viewer, source = next(_VIEWERS), next(_EDGES)
    answer = Browser(source).call(
        "POST",
        "/auth/login",
        {"email": account.email, "password": "not the password"},
        headers=through_cloudfront(viewer, verify),
    )

    assert answer.status == 401
    assert failures("login-ip", source) == 1
    assert failures("login-ip", viewer) == 0


def test_one_viewer_guessing_page_links_through_many_edges_is_stopped(origin_secret: str) -> None:
    viewer = next(_VIEWERS)
    statuses = [
        Browser(next(_EDGES))
        .call("GET", f"/p/{'v' * 40}{n:03d}", headers=through_cloudfront(viewer, origin_secret))
        .status
        for n in range(21)
    ]

    assert statuses[:20] == [404] * 20
    assert statuses[20] == 429
    assert failures("page-ip", viewer) >= 20


def test_forged_viewer_addresses_do_not_move_the_guessing_counter_off_the_source(origin_secret: str) -> None:
    guesser = Browser(next(_EDGES))
    statuses = [
        guesser.call(
            "GET", f"/p/{'f' * 40}{n:03d}", headers=through_cloudfront(next(_VIEWERS), "not " + origin_secret)
        ).status
        for n in range(21)
    ]

    assert statuses[:20] == [404] * 20
    assert statuses[20] == 429  # a new forged address each time did not escape the source address's counter
    assert failures("page-ip", guesser.source_ip) >= 20
