"""The other doors that count failures per address believe CloudFront's viewer address too, with the origin
secret: the debtor page's forms (a guessed link) and accepting an invitation (a wrong password)."""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

import pytest

from local.brevo import BrevoStandIn
from tests.conftest import PASSWORD, Account
from tests.integration import test_viewer_address
from tests.integration.test_viewer_address import _EDGES, _VIEWERS, failures, through_cloudfront
from tests.support.debtor_page import FORM
from tests.support.http import Browser
from tests.support.team import invite

origin_secret = test_viewer_address.origin_secret  # the fixture: the stack's secret, deployed for the test


@pytest.mark.parametrize("form", ["answer", "pay", "plan"])
def test_a_guessed_link_posted_through_cloudfront_counts_against_the_viewer(origin_secret: str, form: str) -> None:
    viewer, edge = next(_VIEWERS), next(_EDGES)

    answer = Browser(edge).call(
        "POST",
        f"/p/{'g' * 40}/{form}",
        raw_body=urlencode({"kind": "question", "csrf_token": "guessed"}),
        headers={**FORM, **through_cloudfront(viewer, origin_secret)},
        csrf_header=False,
    )

    assert answer.status == 404
    assert failures("page-ip", viewer) == 1
    assert failures("page-ip", edge) == 0


def test_a_wrong_password_accepting_an_invitation_through_cloudfront_counts_against_the_viewer(
    account: Account, brevo: BrevoStandIn, origin_secret: str
) -> None:
    invitee = f"invitee-{uuid.uuid4().hex[:10]}@example.com"
    body = {"email": invitee, "password": PASSWORD, "name": "Ada Lovelace", "workspace_name": "Lovelace Ltd"}
    assert Browser().call("POST", "/auth/signup", body).status == 201
    _, token = invite(account.browser, brevo, "member", invitee)
    viewer, edge = next(_VIEWERS), next(_EDGES)

    answer = Browser(edge).call(
        "POST",
        "/auth/invitations/accept",
        {"token": token, "password": "not the password"},
        headers=through_cloudfront(viewer, origin_secret),
    )

    assert answer.status == 401
    assert failures("login-ip", viewer) == 1
    assert failures("login-ip", edge) == 0
