"""A payment attempt and Stripe's lookups as stored, and the one record of an applied Stripe event.

An attempt lives under its workspace and is listed there by creation time (gsi1), so an export or an erasure
finds it without a Scan; Stripe's ids (a connected account, a PaymentIntent, an event) are global lookups,
since a webhook names only them.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, NotRequired, TypedDict

from collectra import store
from collectra.store import keys

EVENT_RECORD_DAYS = 30  # Stripe retries an event for up to three days
# The transaction operation that records an event: its condition failing means the event was applied before.
EVENT_APPLIED = "stripe_event"


class AttemptShare(TypedDict):
    """A debt an attempt pays, and what it was planned to pay of it."""

    debt_id: str
    invoice_number: str
    planned: int  # the sum of `lines`
    # What was planned on each line: {"principal", "interest", "compensation"} (absent on attempts older than
    # late-payment charges: they planned principal only).
    lines: NotRequired[dict[str, int]]


class PaymentAttempt(TypedDict):
    pk: str
    sk: str
    gsi1pk: str
    gsi1sk: str
    id: str
    workspace_id: str
    debtor_id: str
    shares: list[AttemptShare]
    amount: int
    currency: str
    basket: str  # what the debtor chose, so that the same choice reuses the attempt
    designation: NotRequired[str]  # "principal" | "all" (absent: "principal", as attempts before charges planned)
    quoted_on: NotRequired[str]  # the workspace-local day its amounts were quoted on (YYYY-MM-DD)
    status: str  # creating < open < processing < expired | failed < succeeded (`attempts.RANK`)
    paid: int
    refunded: int
    lost: int
    booked: dict[str, int]  # what is booked on each debt, by debt id
    created_at: str
    updated_at: str
    version: int
    session_id: NotRequired[str]
    session_url: NotRequired[str | None]
    session_expires_at: NotRequired[int]
    payment_intent_id: NotRequired[str | None]
    dispute_status: NotRequired[str | None]
    last_error: NotRequired[str | None]
    settled_at: NotRequired[str]
    overpayment_refund: NotRequired[dict[str, Any]]  # the refund of what was paid beyond the debts: due, then asked
    anonymised_at: NotRequired[str]
    expires_at: NotRequired[int]
    plan_id: NotRequired[str]  # a payment plan's instalment: the plan
    instalment: NotRequired[int]  # ... and the instalment's number (1-based)
    channel: NotRequired[str]  # "checkout" (absent: the same) or "off_session" (an instalment charged automatically)


class StripeAccountOwner(TypedDict):
    """Which workspace a connected Stripe account belongs to."""

    pk: str
    sk: str
    workspace_id: str


class PaymentIntentLookup(TypedDict):
    """Which attempt a PaymentIntent pays (refunds and disputes name only the charge's)."""

    pk: str
    sk: str
    workspace_id: str
    attempt_id: str
    debtor_id: str
    debt_ids: list[str]


class AppliedEvent(TypedDict):
    pk: str
    sk: str
    expires_at: int


def attempt_index(workspace_id: str, created_at: str, attempt_id: str) -> dict[str, str]:
    """An attempt's place in its workspace's list of them, by creation time."""
    return {"gsi1pk": keys.payments_of_workspace(workspace_id), "gsi1sk": f"{created_at}#{attempt_id}"}


def event_applied_op(event_id: str, now: datetime) -> store.Operation:
    """The record that Stripe's event was applied, for the transaction that applies it: it fails (named
    EVENT_APPLIED) when the event was applied before."""
    key = keys.stripe_event(event_id)
    record: AppliedEvent = {
        "pk": key["pk"],
        "sk": key["sk"],
        "expires_at": int((now + timedelta(days=EVENT_RECORD_DAYS)).timestamp()),
    }
    return store.put_op(record, "attribute_not_exists(pk)", name=EVENT_APPLIED)


def stripe_account_owner(account_id: str, workspace_id: str) -> StripeAccountOwner:
    key = keys.stripe_account(account_id)
    return {"pk": key["pk"], "sk": key["sk"], "workspace_id": workspace_id}


def payment_intent_lookup(payment_intent_id: str, attempt: PaymentAttempt, debt_ids: list[str]) -> PaymentIntentLookup:
    key = keys.payment_intent(payment_intent_id)
    return {
        "pk": key["pk"],
        "sk": key["sk"],
        "workspace_id": attempt["workspace_id"],
        "attempt_id": attempt["id"],
        "debtor_id": attempt["debtor_id"],
        "debt_ids": debt_ids,
    }
