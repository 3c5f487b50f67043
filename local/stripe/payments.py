"""How money moves: a session's PaymentIntent, a payment that succeeds or fails, a refund.

Shared by the hosted page (a debtor pays), the API (a refund) and the control endpoints (a bank
transfer settles, a test refunds); each runs with the state's lock held and emits the events it causes.
"""

from __future__ import annotations

from typing import Any

from local.stripe import objects
from local.stripe.errors import invalid
from local.stripe.state import EventRecord, State

Obj = dict[str, Any]


def intent_for(state: State, session: Obj) -> Obj:
    """The session's PaymentIntent, created on the first attempt to pay and reused by the next ones."""
    if session["payment_intent"]:
        return state.objects[session["payment_intent"]]
    application = state.application["id"] if state.owner[session["id"]] else None
    intent = objects.payment_intent(session, state.intent_data[session["id"]], application, state.now())
    state.store(intent, state.owner[session["id"]])
    session["payment_intent"] = intent["id"]
    return intent


def fail(intent: Obj, type_: str, code: str, message: str, *, decline_code: str | None = None) -> None:
    error = objects.payment_error(intent, type_, code, message, decline_code)
    intent.update(status="requires_payment_method", last_payment_error=error, payment_method=None, processing=None)


def succeed(state: State, intent: Obj, method: str) -> Obj:
    """The PaymentIntent succeeds with a new Charge for its whole amount."""
    payment_method = objects.new_id("pm_")
    charge = objects.charge(intent, method, payment_method, state.now())
    state.store(charge, state.owner[intent["id"]])
    intent.update(
        status="succeeded",
        amount_received=intent["amount"],
        latest_charge=charge["id"],
        last_payment_error=None,
        payment_method=payment_method,
        payment_method_types=[method],
        processing=None,
    )
    return charge


def refund(
    state: State,
    charge: Obj,
    amount: int,
    out: list[EventRecord],
    *,
    metadata: dict[str, str] | None = None,
    reason: str | None = None,
    request: Obj | None = None,
) -> Obj:
    """A refund of `amount` of the charge, and its charge.refunded event."""
    left = charge["amount_captured"] - charge["amount_refunded"]
    if left == 0:
        raise invalid(f"Charge {charge['id']} has already been refunded.", None, "charge_already_refunded")
    if amount > left:
        raise invalid(f"Refund amount ({amount}) is greater than unrefunded amount on charge ({left})", "amount")
    previous = {"amount_refunded": charge["amount_refunded"], "refunded": charge["refunded"]}
    made = objects.refund(charge, amount, metadata, reason, state.now())
    account = state.owner[charge["id"]]
    state.store(made, account)
    charge["amount_refunded"] += amount
    charge["refunded"] = charge["amount_refunded"] == charge["amount_captured"]
    charge["refunds"]["data"].insert(0, made)
    state.emit("charge.refunded", charge, account, out, previous=previous, request=request)
    return made
