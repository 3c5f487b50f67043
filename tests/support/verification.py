"""Verify an account's address the way its owner does: the link in the sign-up email, posted back.

Collectra emails nobody else for an account whose address is not verified, so tests that remind debtors or
invite people start from a verified account (the `account` fixture does this).
"""

from __future__ import annotations

import re

from local.brevo import BrevoStandIn
from tests.support.http import Browser
from tests.support.world import messages_to


def verify_by_link(browser: Browser, brevo: BrevoStandIn, address: str) -> None:
    """Follow the latest verification link emailed to `address`, signed in as its owner in `browser`."""
    links = [
        match.group(1)
        for message in messages_to(brevo, address)
        if (match := re.search(r"verify-email\?token=([A-Za-z0-9_\-]+)", message.get("textContent") or ""))
    ]
    assert links, f"no verification link was emailed to {address}"
    answer = browser.call("POST", "/auth/verify-email", {"token": links[-1]})
    assert answer.status == 204, answer.body
