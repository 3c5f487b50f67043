"""What the stand-in holds: accounts, objects, events and their deliveries, idempotent answers; one lock.

Every change happens with `lock` held; deliveries happen without it (a webhook receiver may call back).
"""

from __future__ import annotations

import copy
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import stripe

from local.stripe import objects, webhooks
from local.stripe.errors import StripeError, no_such

Obj = dict[str, Any]

# What Stripe stamps on events for an endpoint of stripe-python's version, the one Collectra pins.
API_VERSION: str = stripe.api_version
APPLICATION_NAME = "Collectra"
IDEMPOTENCY_SECONDS = 24 * 3600  # Stripe forgets an idempotency key after 24 hours


@dataclass
class EventRecord:
    event: Obj
    payload: bytes  # the exact bytes sent, so that a redelivery is the same event
    deliveries: list[int | None] = field(default_factory=list)  # status codes; None when nobody answered

    @property
    def delivered(self) -> bool:
        return any(status is not None and 200 <= status < 300 for status in self.deliveries)

    @property
    def delivery_success(self) -> bool:
        """What `GET /v1/events?delivery_success=` filters on: false while a delivery is pending (held, not made
        yet) or failed (no 2xx); true once one succeeded, or when there was no endpoint to deliver to."""
        return self.delivered or (not self.deliveries and not self.event.get("pending_webhooks"))

    def summary(self) -> Obj:
        return {"event": copy.deepcopy(self.event), "deliveries": list(self.deliveries), "delivered": self.delivered}


@dataclass
class Failure:
    """A control's order: answer `status` to `method path` (for `account`, None: the platform) `times` times
    (None: until the stand-in stops), as Stripe does when it fails."""

    method: str
    path: str
    account: str | None
    status: int
    times: int | None


@dataclass
class Saved:
    """A response kept under its idempotency key."""

    endpoint: str
    params: Obj
    status: int
    body: Obj
    request_id: str
    at: float


class State:
    def __init__(self, api_key: str, webhook_secret: str, webhook_url: str | None) -> None:
        self.api_key = api_key
        self.webhook_secret = webhook_secret
        self.webhook_url = webhook_url
        self.base_url = ""
        self.lock = threading.Lock()
        self.offset = 0  # seconds the clock was moved on
        self.application: Obj = {"id": objects.new_id("ca_", 32), "object": "application", "name": APPLICATION_NAME}
        self.platform = objects.account(objects.new_id("acct_", 16), {"type": "standard"}, int(time.time()))
        self.platform.update(charges_enabled=True, details_submitted=True, payouts_enabled=True)
        self.accounts: dict[str, Obj] = {}
        self.revoked: set[str] = set()
        self.links: dict[str, Obj] = {}
        self.objects: dict[str, Obj] = {}  # sessions, payment intents, charges, refunds, disputes
        self.owner: dict[str, str | None] = {}  # object id -> the connected account it lives on
        self.line_items: dict[str, list[Obj]] = {}
        self.intent_data: dict[str, Obj] = {}  # session id -> its payment_intent_data
        self.events: list[EventRecord] = []
        self.events_by_id: dict[str, EventRecord] = {}
        self.holding = False
        self.held: list[EventRecord] = []
        self.saved: dict[tuple[str | None, str], Saved] = {}
        self.test_numbers: dict[str, str] = {}  # a saved PaymentMethod -> the test card number or IBAN it was
        self.detached: set[str] = set()  # PaymentMethods detached from their customer: never usable again
        self.failures: list[Failure] = []  # requests told to fail (`/_control/fail`)

    def now(self) -> int:
        return int(time.time()) + self.offset

    # Events and their delivery.

    def emit(
        self,
        type_: str,
        obj: Obj,
        account: str | None,
        out: list[EventRecord],
        *,
        previous: Obj | None = None,
        request: Obj | None = None,
    ) -> EventRecord:
        """Record an event (a snapshot of `obj` now) and queue it in `out`, or among the held ones."""
        event: Obj = {"id": objects.new_id("evt_"), "object": "event"}
        if account is not None:
            event["account"] = account
        data: Obj = {"object": copy.deepcopy(obj)}
        if previous is not None:
            data["previous_attributes"] = previous
        event.update(
            api_version=API_VERSION,
            created=self.now(),
            data=data,
            livemode=False,
            pending_webhooks=1 if self.webhook_url else 0,
            request=request or {"id": None, "idempotency_key": None},
            type=type_,
        )
        record = EventRecord(event, json.dumps(event, indent=2).encode())
        self.events.append(record)
        self.events_by_id[event["id"]] = record
        (self.held if self.holding else out).append(record)
        return record

    def deliver(self, record: EventRecord) -> int | None:
        """POST the event to the webhook URL as Stripe does; its status, None when nobody answered. Not locked."""
        url = self.webhook_url
        if not url:
            return None
        status = webhooks.post(url, record.payload, self.webhook_secret)
        with self.lock:
            record.deliveries.append(status)
        return status

    def deliver_all(self, records: list[EventRecord]) -> None:
        for record in records:
            self.deliver(record)

    def failure_for(self, method: str, path: str, account: str | None) -> Failure | None:
        """The failure ordered for this request, counted as used (with the lock held)."""
        for failure in self.failures:
            if (failure.method, failure.path, failure.account) == (method, path, account):
                if failure.times is not None:
                    failure.times -= 1
                    if failure.times <= 0:
                        self.failures.remove(failure)
                return failure
        return None

    # Lookups, with the lock held.

    def find(self, kind: str, object_id: str, account: str | None, param: str, status: int = 404) -> Obj:
        obj = self.objects.get(object_id)
        if obj is None or obj["object"] != kind or self.owner.get(object_id) != account:
            raise no_such(kind, object_id, param, status)
        return obj

    def store(self, obj: Obj, account: str | None) -> Obj:
        self.objects[obj["id"]] = obj
        self.owner[obj["id"]] = account
        return obj

    def no_access(self, account_id: str) -> StripeError:
        masked = self.api_key[:8] + "*" * max(len(self.api_key) - 12, 4) + self.api_key[-4:]
        return StripeError(
            403,
            f"The provided key '{masked}' does not have access to account '{account_id}' (or that account does not "
            "exist). Application access may have been revoked.",
            code="account_invalid",
        )

    def connected(self, account_id: str) -> Obj:
        account = self.accounts.get(account_id)
        if account is None or account_id in self.revoked:
            raise self.no_access(account_id)
        return account

    def expire_due(self, out: list[EventRecord]) -> None:
        for session_id in self.line_items:  # one entry per Checkout Session
            self.expire_if_due(self.objects[session_id], out)

    def forget_old_keys(self) -> None:
        # stripe-python sends a key with every POST: without this, a long `make dev` would keep them all.
        cutoff = time.time() - IDEMPOTENCY_SECONDS
        self.saved = {key: saved for key, saved in self.saved.items() if saved.at >= cutoff}

    def expire_if_due(self, session: Obj, out: list[EventRecord]) -> None:
        # Stripe expires a session at expires_at. Here a sweep every second does, and so does anyone who
        # looks at the session first, so that nobody ever sees an open session past its time.
        if session["status"] == "open" and self.now() >= session["expires_at"]:
            self.expire(session, out, None)

    def expire(self, session: Obj, out: list[EventRecord], request: Obj | None) -> None:
        session.update(status="expired", url=None)
        intent_id = session.get("payment_intent")
        if intent_id:
            intent = self.objects[intent_id]
            if intent["status"] != "succeeded":
                intent.update(status="canceled", canceled_at=self.now(), cancellation_reason="abandoned")
        self.emit("checkout.session.expired", session, self.owner[session["id"]], out, request=request)
