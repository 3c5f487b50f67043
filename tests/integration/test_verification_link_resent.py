"""Asking again for the link that verifies one's address emails a new one, and the new link verifies it."""

from __future__ import annotations

from local.brevo import BrevoStandIn
from tests.conftest import Account
from tests.support.verification import verify_by_link
from tests.support.world import messages_to


def test_a_verification_link_asked_for_again_is_emailed_and_verifies_the_address(
    unverified_account: Account, brevo: BrevoStandIn
) -> None:
    before = len(messages_to(brevo, unverified_account.email))

    answer = unverified_account.browser.call("POST", "/auth/verify-email/resend")

    assert answer.status == 202, answer.body
    assert len(messages_to(brevo, unverified_account.email)) == before + 1
    verify_by_link(unverified_account.browser, brevo, unverified_account.email)  # the new link, the latest
    again = unverified_account.browser.call("POST", "/auth/verify-email/resend")
    assert (again.status, again.json()["error"]["code"]) == (409, "already_verified")
