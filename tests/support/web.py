"""A business's staff over real HTTP, through the local gateway: signed up in a workspace of its own."""

from __future__ import annotations

import uuid

from local.client import WebClient
from local.gateway import Gateway
from tests.conftest import WEB_ORIGIN


def signed_up(gateway: Gateway, workspace_name: str = "Web Co") -> tuple[WebClient, str]:
    """A new account and workspace, signed in from the web app's origin; the client and its email."""
    client = WebClient(gateway.url, origin=WEB_ORIGIN)
    email = f"http-{uuid.uuid4().hex[:10]}@example.com"
    body = {"email": email, "password": "a long passphrase", "name": "Web User", "workspace_name": workspace_name}
    reply = client.call("POST", "/auth/signup", body)
    assert reply.status == 201, reply.body
    return client, email
