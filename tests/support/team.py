"""Bring people into a workspace the way users do: an invitation email, and its link accepted."""

from __future__ import annotations

import re
import uuid

from local.brevo import BrevoStandIn
from tests.support.http import Browser
from tests.support.world import messages_to

PASSWORD = "a long passphrase"


def invitation_token(brevo: BrevoStandIn, address: str) -> str:
    match = re.search(r"join\?token=([A-Za-z0-9_\-]+)", messages_to(brevo, address)[-1]["textContent"])
    assert match, f"no invitation link was emailed to {address}"
    return match.group(1)


def invite(inviter: Browser, brevo: BrevoStandIn, role: str, address: str | None = None) -> tuple[str, str]:
    """Invite an address (a fresh one by default); the address and the token its email carries."""
    address = address or f"teammate-{uuid.uuid4().hex[:10]}@example.com"
    answer = inviter.call("POST", "/workspace/members", {"email": address, "role": role})
    assert answer.status == 201, answer.body
    return address, invitation_token(brevo, address)


def new_member(inviter: Browser, brevo: BrevoStandIn, role: str, name: str = "Ada Lovelace") -> tuple[Browser, str]:
    """A new person invited with `role`, who signs up from the link: their browser (signed in there) and user id."""
    _, token = invite(inviter, brevo, role)
    browser = Browser()
    answer = browser.call("POST", "/auth/invitations/accept", {"token": token, "name": name, "password": PASSWORD})
    assert answer.status == 200, answer.body
    return browser, str(answer.json()["user"]["id"])
