"""The Brevo client's connections (issue 15: one TLS context per process, not one per email)."""

from __future__ import annotations

import io
import ssl
import urllib.request
from typing import Any

import pytest

from collectra.email import brevo

MESSAGE = brevo.Message(
    to_email="debtor@example.com",
    to_name=None,
    subject="A reminder",
    html="<p>Hello</p>",
    text="Hello",
    sender_email="no-reply@collectra.example",
    sender_name="Collectra",
)


def test_every_email_of_a_process_is_sent_through_one_verifying_tls_context(monkeypatch: pytest.MonkeyPatch) -> None:
    contexts: list[Any] = []

    def brevo_answers(request: urllib.request.Request, *, timeout: float, context: Any = None) -> io.BytesIO:
        contexts.append(context)
        return io.BytesIO(b'{"messageId": "<m@smtp-relay.brevo.com>"}')

    monkeypatch.setattr(urllib.request, "urlopen", brevo_answers)
    monkeypatch.setattr(brevo, "secret", lambda name: "brevo-api-key")
    monkeypatch.setenv("BREVO_API_URL", "https://api.brevo.com")
    monkeypatch.setenv("BREVO_API_KEY_SECRET_NAME", "collectra/test/brevo-api-key")

    assert [brevo.send(MESSAGE), brevo.send(MESSAGE)] == ["<m@smtp-relay.brevo.com>"] * 2

    first, second = contexts
    assert isinstance(first, ssl.SSLContext) and second is first
    assert first.verify_mode == ssl.CERT_REQUIRED and first.check_hostname
