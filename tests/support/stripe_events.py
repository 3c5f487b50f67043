"""Stripe's side of the webhook, for tests: events shaped and signed the way Stripe shapes and signs them."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

from local.harness import Answer
from local.stripe import stripe_signature
from tests.support.http import Browser

API_VERSION = "2026-10-28.endive"


def signature(payload: bytes, secret: str, *, at: int | None = None, extra_secrets: tuple[str, ...] = ()) -> str:
    """A Stripe-Signature header for `payload`: one v1 per secret, as during a rotation."""
    return stripe_signature(payload, [secret, *extra_secrets], at=int(time.time()) if at is None else at)


def event(
    kind: str, obj: dict[str, Any], *, account: str | None, livemode: bool = False, **fields: Any
) -> dict[str, Any]:
    return {
        "id": f"evt_{uuid.uuid4().hex[:24]}",
        "object": "event",
        "api_version": API_VERSION,
        "created": int(time.time()),
        "livemode": livemode,
        "account": account,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": kind,
        "data": {"object": obj},
    } | fields


def deliver(
    sent: dict[str, Any] | bytes,
    secret: str,
    *,
    at: int | None = None,
    header: str | None = None,
    base64_body: bool = False,
) -> Answer:
    """POST the event to /webhooks/stripe as Stripe does (through the function, in this process)."""
    payload = sent if isinstance(sent, bytes) else json.dumps(sent).encode()
    headers = {
        "content-type": "application/json; charset=utf-8",
        "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
    }
    headers["stripe-signature"] = header if header is not None else signature(payload, secret, at=at)
    if base64_body:
        headers["content-type"] = "application/octet-stream"  # API Gateway base64-encodes binary bodies
    return Browser(source_ip="3.18.12.63").call(
        "POST", "/webhooks/stripe", raw_body=payload.decode(), headers=headers, csrf_header=False, send_cookies=False
    )
