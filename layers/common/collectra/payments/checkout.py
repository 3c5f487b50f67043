"""Paying from the debtor's page: a Stripe Checkout Session for exactly what is outstanding now.

The session is created on the workspace's connected account (a direct charge), with the attempt's
idempotency key, line items naming the invoices, and metadata naming the workspace, debtor, debts and
attempt on both the session and its PaymentIntent, so every later event finds its way back. The attempt
is recorded before the debtor is sent to Stripe; a session whose attempt could not be recorded is never
shown to anyone and expires. Pressing Pay again for the same debts in the same state reuses the open
session: the debtor keeps a pointer to it, keyed by what it pays (each debt and its version).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from collectra import store
from collectra.config import settings
from collectra.debtors.page import PageContext
from collectra.debts.service import outstanding
from collectra.debts.states import Status
from collectra.debts.timeline import actor_debtor, entry_op
from collectra.errors import CollectraError
from collectra.ids import new_id
from collectra.payments import stripe_api
from collectra.payments.attempts import new_attempt
from collectra.payments.models import payments_enabled
from collectra.store import keys

SESSION_MINUTES = 31  # Stripe's shortest expiry is 30 minutes after creation
REUSE_MARGIN_SECONDS = 120  # a session about to expire is not handed out again
MAX_DEBTS = 15  # keeps a settlement within one 100-item transaction, and metadata within 500 characters
STRIPE_LOCALES = frozenset({"en", "fr", "de"})


class PaymentRefused(CollectraError):
    """Paying is not possible right now; `code` names why, and the page says it in the debtor's words."""

    status = 409


@dataclass(frozen=True)
class Choice:
    """What the debtor pressed: one debt, or everything in one currency."""

    debt_id: str | None = None
    currency: str | None = None


def chosen_debts(context: PageContext, choice: Choice) -> list[dict[str, Any]]:
    """The debts the payment is for, or PaymentRefused with the reason."""
    if not payments_enabled(context.workspace):
        raise PaymentRefused("Online payment is not enabled for this business.", code="payments_unavailable")
    if choice.debt_id:
        chosen = [debt for debt in context.debts if debt["id"] == choice.debt_id]
        if chosen and chosen[0]["status"] == Status.DISPUTED:
            raise PaymentRefused("This debt is disputed.", code="debt_disputed")
    else:
        chosen = [
            debt
            for debt in context.debts
            if debt["status"] in (Status.OPEN, Status.PARTIALLY_PAID)
            and (choice.currency is None or debt["currency"] == choice.currency)
        ]
        if len({debt["currency"] for debt in chosen}) > 1:
            raise PaymentRefused("These debts are in different currencies.", code="mixed_currencies")
    chosen = [debt for debt in chosen if outstanding(debt) > 0][:MAX_DEBTS]
    if not chosen:
        raise PaymentRefused("Nothing is outstanding.", code="nothing_to_pay")
    if any(debt.get("payment_processing") for debt in chosen):
        raise PaymentRefused("A payment for this is already on its way.", code="payment_processing")
    return chosen


def basket_of(debts: list[dict[str, Any]]) -> str:
    """What a session pays, as a key: the same debts in the same state (version) make the same key."""
    described = json.dumps([[debt["id"], debt["version"]] for debt in debts])
    return hashlib.sha256(described.encode()).hexdigest()[:32]


def start_payment(context: PageContext, token: str, choice: Choice, *, now: datetime) -> str:
    """The Checkout URL to send the debtor to (an open one reused, or a new one)."""
    chosen = chosen_debts(context, choice)
    basket = basket_of(chosen)
    pointers = {
        key: pointer
        for key, pointer in (context.debtor.get("checkouts") or {}).items()
        if int(pointer.get("expires_at", 0)) > now.timestamp() + REUSE_MARGIN_SECONDS
    }
    if basket in pointers:
        return str(pointers[basket]["url"])
    workspace = context.workspace
    attempt_id = new_id("pay")
    attempt = new_attempt(workspace["id"], attempt_id, context.debtor["id"], chosen, basket=basket, now=now)
    session = stripe_api.client().v1.checkout.sessions.create(
        params=_session_params(context, token, attempt, chosen, now=now),  # type: ignore[arg-type]
        options={"stripe_account": workspace["stripe_account_id"], "idempotency_key": f"checkout-{attempt_id}"},
    )
    attempt |= {
        "status": "open",
        "session_id": session.id,
        "session_url": session.url,
        "session_expires_at": session.expires_at,
    }
    pointers[basket] = {
        "attempt_id": attempt_id,
        "session_id": session.id,
        "url": session.url,
        "expires_at": session.expires_at,
        "debt_ids": [debt["id"] for debt in chosen],
    }
    actor = actor_debtor(context.debtor["id"])
    store.transact(
        [
            store.put_op(attempt, "attribute_not_exists(pk)"),
            store.update_op(
                keys.debtor(workspace["id"], context.debtor["id"]),
                "SET checkouts = :pointers",
                {":pointers": pointers},
                "attribute_exists(pk)",
            ),
            *[
                entry_op(
                    workspace["id"],
                    share["debt_id"],
                    "payment_started",
                    actor=actor,
                    now=now,
                    data={"attempt_id": attempt_id, "amount": share["planned"], "currency": attempt["currency"]},
                )
                for share in attempt["shares"]
            ],
        ]
    )
    return str(session.url)


def _session_params(
    context: PageContext, token: str, attempt: dict[str, Any], chosen: list[dict[str, Any]], *, now: datetime
) -> dict[str, Any]:
    workspace, debtor = context.workspace, context.debtor
    metadata = {
        "workspace_id": workspace["id"],
        "debtor_id": debtor["id"],
        "attempt_id": attempt["id"],
        "debt_ids": ",".join(debt["id"] for debt in chosen),
    }
    page = f"{settings().public_base_url}/p/{token}"
    intent: dict[str, Any] = {
        "metadata": metadata,
        "description": f"{workspace.get('legal_name') or workspace['name']}: "
        + ", ".join(debt["invoice_number"] for debt in chosen)[:400],
    }
    fee = round(attempt["amount"] * int(workspace.get("platform_fee_basis_points") or 0) / 10_000)
    if fee > 0:
        intent["application_fee_amount"] = fee
    params: dict[str, Any] = {
        "mode": "payment",
        "line_items": [
            {
                "quantity": 1,
                "price_data": {
                    "currency": debt["currency"].lower(),
                    "unit_amount": outstanding(debt),
                    "product_data": {"name": f"Invoice {debt['invoice_number']}"[:250]},
                },
            }
            for debt in chosen
        ],
        "client_reference_id": attempt["id"],
        "metadata": metadata,
        "payment_intent_data": intent,
        "expires_at": int((now + timedelta(minutes=SESSION_MINUTES)).timestamp()),
        "success_url": f"{page}?payment={attempt['id']}",
        "cancel_url": f"{page}?notice=payment_cancelled",
    }
    if debtor.get("email"):
        params["customer_email"] = debtor["email"]
    locale = debtor.get("locale") or workspace.get("locale")
    if locale in STRIPE_LOCALES:
        params["locale"] = locale
    return params
