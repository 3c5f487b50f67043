"""Driving the Stripe stand-in from tests: its control endpoints, its hosted pages, and its recorded events."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode, urlsplit

from local.client import http_request
from local.harness import Answer
from tests.conftest import STRIPE_WEBHOOK_SECRET
from tests.support.stripe_events import deliver


def control(base_url: str, path: str, body: dict[str, Any] | None = None, method: str = "POST") -> Any:
    status, _, raw = http_request(
        base_url,
        method,
        f"/_control/{path}",
        json.dumps(body or {}).encode() if method == "POST" else None,
        {"Content-Type": "application/json"},
    )
    assert status < 300, (path, status, raw)
    return json.loads(raw) if raw else None


def press(checkout_url: str, outcome: str) -> tuple[int, str | None]:
    """A debtor's button on the stand-in's hosted checkout page: pay, decline or delayed."""
    path = urlsplit(checkout_url).path
    status, headers, _ = http_request(
        checkout_url,
        "POST",
        path,
        urlencode({"outcome": outcome}).encode(),
        {"Content-Type": "application/x-www-form-urlencoded"},
    )
    return status, headers.get("location")


class Outbox:
    """The stand-in's recorded events, delivered to the webhook in this process when a test says so."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.seen = {entry["event"]["id"] for entry in control(base_url, "events", method="GET")["events"]}

    def new(self) -> list[dict[str, Any]]:
        """Events recorded since the last call (in the order Stripe created them)."""
        events = [entry["event"] for entry in control(self.base_url, "events", method="GET")["events"]]
        fresh = [event for event in events if event["id"] not in self.seen]
        self.seen |= {event["id"] for event in fresh}
        return fresh

    def deliver_new(self) -> list[Answer]:
        answers = [deliver(event, STRIPE_WEBHOOK_SECRET) for event in self.new()]
        assert all(answer.status == 200 for answer in answers), [answer.body for answer in answers]
        return answers
