"""Saving a payment method for later and charging it off-session: Customers, setup-mode Checkout, PaymentMethods,
PaymentIntents created and confirmed through the API.

A setup-mode Checkout Session makes its SetupIntent at once; its hosted page (or `/_control/sessions/{id}/setup`)
saves one of Stripe's test cards or IBANs (`TEST_METHODS`) as a PaymentMethod attached to the session's customer,
and sends `setup_intent.succeeded` and `checkout.session.completed`. Charging it later with
`PaymentIntent.create(customer, payment_method, off_session=true, confirm=true)` goes as that test number goes at
Stripe (docs.stripe.com/testing): 4242... succeeds; 4000002760003184 needs authentication on every payment, so an
off-session one fails with `authentication_required`; 4000000000000341 and 4000000000009995 are declined
(`card_declined`, decline codes `generic_decline` and `insufficient_funds`). A failed confirmation answers 402
with a `card_error` naming the PaymentIntent, sends `payment_intent.payment_failed`, and is kept under its
idempotency key like a success. A SEPA debit is `processing` (`payment_intent.processing`) until
`/_control/payment_intents/{id}/settle` settles it: DE89370400440532013000 succeeds, DE62370400440532013001 fails
(`insufficient_funds`). A detached PaymentMethod can never be used again.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from local.stripe import objects
from local.stripe.call import MAX_AMOUNT, MIN_CHARGE, Call, check_step
from local.stripe.errors import StripeError, invalid, missing, unsupported
from local.stripe.parameters import (
    as_hash,
    as_list,
    integer,
    optional,
    required,
    string,
    valid_currency,
    valid_email,
    valid_metadata,
)
from local.stripe.state import EventRecord, State

Obj = dict[str, Any]

SETUP_TYPES = ("card", "sepa_debit")  # the payment methods a setup-mode session here can save


@dataclass(frozen=True)
class TestMethod:
    """One of Stripe's test cards or IBANs, and how payments by it go."""

    kind: str  # card | sepa_debit
    details: Obj  # the PaymentMethod's `card` or `sepa_debit` hash
    outcome: str  # succeeded | authentication_required | <decline code> | processing
    settles: str | None = None  # a SEPA debit: succeeded | failed, when its settlement comes
    label: str = ""


def _card(last4: str) -> Obj:
    return {
        "brand": "visa",
        "checks": {"address_line1_check": None, "address_postal_code_check": None, "cvc_check": "pass"},
        "country": "US",
        "display_brand": "visa",
        "exp_month": 12,
        "exp_year": 2034,
        "fingerprint": objects.new_id("", 16),
        "funding": "credit",
        "last4": last4,
        "networks": {"available": ["visa"], "preferred": None},
        "three_d_secure_usage": {"supported": True},
        "wallet": None,
    }


def _sepa(last4: str) -> Obj:
    return {
        "bank_code": "37040044",
        "branch_code": "",
        "country": "DE",
        "fingerprint": objects.new_id("", 16),
        "generated_from": {"charge": None, "setup_attempt": None},
        "last4": last4,
    }


TEST_METHODS: dict[str, TestMethod] = {
    "4242424242424242": TestMethod("card", _card("4242"), "succeeded", label="Visa 4242: payments succeed"),
    "4000002760003184": TestMethod(
        "card", _card("3184"), "authentication_required", label="Visa 3184: every payment needs authentication"
    ),
    "4000000000000341": TestMethod("card", _card("0341"), "generic_decline", label="Visa 0341: payments are declined"),
    "4000000000009995": TestMethod(
        "card", _card("9995"), "insufficient_funds", label="Visa 9995: declined, insufficient funds"
    ),
    "DE89370400440532013000": TestMethod(
        "sepa_debit", _sepa("3000"), "processing", "succeeded", label="IBAN DE89…3000: debits succeed (delayed)"
    ),
    "DE62370400440532013001": TestMethod(
        "sepa_debit", _sepa("3001"), "processing", "failed", label="IBAN DE62…3001: debits fail (delayed)"
    ),
}
_DECLINES = {
    "authentication_required": (
        "authentication_required",
        "Your card was declined. This transaction requires authentication.",
    ),
    "generic_decline": ("card_declined", "Your card was declined."),
    "insufficient_funds": ("card_declined", "Your card has insufficient funds."),
}


def _application(state: State, account: str | None) -> str | None:
    return state.application["id"] if account else None


# ---------------------------------------------------------------- customers


def create_customer(state: State, call: Call) -> Obj:
    params = call.params
    email = optional(params, "email", longest=512)
    if email is not None:
        valid_email(email, "email")
    optional(params, "name", longest=256)
    optional(params, "description")
    return state.store(objects.customer(objects.new_id("cus_", 14), params, state.now()), call.account)


def customer_of(state: State, params: Obj, account: str | None) -> str | None:
    """The id of the existing Customer `params` names, None when it names none."""
    customer_id = optional(params, "customer")
    if customer_id is None:
        return None
    state.find("customer", customer_id, account, "customer", 400)
    return customer_id


# ---------------------------------------------------------------- setup-mode Checkout Sessions


@dataclass
class SetupPart:
    """What a setup-mode session adds to a Checkout Session: checked, its SetupIntent not yet stored."""

    currency: str | None
    customer: str | None
    types: list[str]
    intent: Obj


def setup_part(state: State, call: Call) -> SetupPart:
    """The setup-mode parameters of a Checkout Session, checked as Stripe checks them."""
    params = call.params
    if params.get("line_items"):
        raise invalid("You cannot pass `line_items` in `setup` mode.", "line_items")
    if params.get("payment_intent_data"):
        raise invalid("You cannot pass `payment_intent_data` in `setup` mode.", "payment_intent_data")
    types = [
        string(kind, f"payment_method_types[{i}]")
        for i, kind in enumerate(as_list(params.get("payment_method_types"), "payment_method_types"))
    ]
    currency = optional(params, "currency")
    if currency is not None:
        valid_currency(currency, "currency")
    elif not types:
        raise invalid(
            "`currency` is required in `setup` mode when `payment_method_types` is not set.",
            "currency",
            "parameter_missing",
        )
    for index, kind in enumerate(types):
        if kind not in SETUP_TYPES:
            raise unsupported(f"saving a {kind} payment method", f"payment_method_types[{index}]")
    types = types or ["card"]
    if "sepa_debit" in types and currency not in (None, "eur"):
        raise invalid(
            f"The currency provided ({currency}) is invalid for one or more payment method types on this Checkout "
            "Session. sepa_debit accepts eur only.",
            "currency",
        )
    customer = customer_of(state, params, call.account)
    if customer is not None and params.get("customer_email"):
        raise invalid("You may only specify one of these parameters: customer, customer_email.", "customer_email")
    data = as_hash(params.get("setup_intent_data"), "setup_intent_data")
    metadata = valid_metadata(data.get("metadata"), "setup_intent_data[metadata]")
    optional(data, "description", "setup_intent_data")
    intent = objects.setup_intent(customer, types, metadata, _application(state, call.account), state.now())
    return SetupPart(currency, customer, types, intent)


def complete_setup(state: State, session: Obj, number: str, email: str | None, out: list[EventRecord]) -> Obj:
    """The customer saved the test card or IBAN `number` on the session's page: its PaymentMethod, attached to
    the session's customer, and its SetupIntent succeeded. Raises when the session cannot take it."""
    method = TEST_METHODS.get(number)
    if session["mode"] != "setup" or session["status"] != "open":
        raise invalid("Only an open Checkout Session in setup mode can save a payment method.")
    if method is None or method.kind not in session["payment_method_types"]:
        raise invalid(f"This session cannot save {number!r}: pick one of its test cards or IBANs.", "method")
    account = state.owner[session["id"]]
    now = state.now()
    customer = session["customer"]
    saved = state.store(objects.payment_method(method.kind, method.details, customer, email, now), account)
    state.test_numbers[saved["id"]] = number
    intent = state.objects[session["setup_intent"]]
    intent.update(status="succeeded", payment_method=saved["id"])
    if method.kind == "sepa_debit":
        mandate = state.store(
            {
                "id": objects.new_id("mandate_"),
                "object": "mandate",
                "customer_acceptance": {"accepted_at": now, "online": None, "type": "online"},
                "livemode": False,
                "multi_use": {},
                "payment_method": saved["id"],
                "payment_method_details": {
                    "sepa_debit": {"reference": objects.new_id("", 16).upper(), "url": ""},
                    "type": "sepa_debit",
                },
                "status": "active",
                "type": "multi_use",
            },
            account,
        )
        intent["mandate"] = mandate["id"]
    details: Obj = {"address": None, "email": email, "name": None, "phone": None, "tax_exempt": "none", "tax_ids": []}
    session.update(status="complete", url=None, customer_details=details)
    if customer is not None:
        state.emit("payment_method.attached", saved, account, out)
    state.emit("setup_intent.succeeded", intent, account, out)
    state.emit("checkout.session.completed", session, account, out)
    return session


# ---------------------------------------------------------------- PaymentMethods


def _no_such_method(method_id: str, param: str, status: int) -> StripeError:
    return StripeError(status, f"No such PaymentMethod: '{method_id}'", code="resource_missing", param=param)


def find_method(state: State, method_id: str, account: str | None, param: str, status: int = 404) -> Obj:
    method = state.objects.get(method_id)
    if method is None or method["object"] != "payment_method" or state.owner.get(method_id) != account:
        raise _no_such_method(method_id, param, status)
    return method


def retrieve_method(state: State, call: Call) -> Obj:
    return find_method(state, call.target, call.account, "payment_method")


def detach_method(state: State, call: Call) -> Obj:
    method = find_method(state, call.target, call.account, "payment_method")
    if method["customer"] is None:
        raise invalid("The payment method you provided is not attached to a customer so detachment is impossible.")
    previous = {"customer": method["customer"]}
    method["customer"] = None
    state.detached.add(method["id"])
    state.emit("payment_method.detached", method, call.account, call.out, previous=previous, request=call.request)
    return method


# ---------------------------------------------------------------- PaymentIntents created through the API


def _amount(params: Obj, currency: str) -> int:
    amount = integer(required(params, "amount"), "amount", 1)
    check_step(amount, currency, "amount")
    if amount > MAX_AMOUNT:
        raise invalid(f"Amount must be no more than {MAX_AMOUNT}", "amount", "amount_too_large")
    if amount < MIN_CHARGE.get(currency, 1):
        raise invalid(
            f"Amount must be at least {MIN_CHARGE[currency]} (in the smallest unit of {currency}).",
            "amount",
            "amount_too_small",
        )
    return amount


def _usable_method(state: State, params: Obj, account: str | None, customer: str | None, currency: str) -> Obj | None:
    method_id = optional(params, "payment_method")
    if method_id is None:
        return None
    method = find_method(state, method_id, account, "payment_method", 400)
    if method["customer"] is None and method_id in state.detached:
        raise invalid(
            "The provided PaymentMethod was previously used with a PaymentIntent without Customer attachment, shared "
            "with a connected account without Customer attachment, or was detached from a Customer. It may not be "
            "used again. To use a PaymentMethod multiple times, you must attach it to a Customer first.",
            "payment_method",
        )
    if customer is not None and method["customer"] != customer:
        raise invalid(
            f"The customer does not have a payment method with the ID {method_id}. The payment method must be "
            "attached to the customer.",
            "payment_method",
        )
    if customer is None and method["customer"] is not None:
        raise invalid(
            "The provided PaymentMethod is attached to a Customer: pass that Customer's id as `customer` too.",
            "customer",
        )
    if method["type"] == "sepa_debit" and currency != "eur":
        raise invalid(
            f"The currency provided ({currency}) is invalid for one or more payment method types on this "
            "PaymentIntent. sepa_debit accepts eur only.",
            "currency",
        )
    types = as_list(params.get("payment_method_types"), "payment_method_types")
    if types and method["type"] not in types:
        raise invalid(
            f"The PaymentMethod provided ({method['type']}) is not allowed for this PaymentIntent: "
            "it is not in `payment_method_types`.",
            "payment_method",
        )
    return method


def _fee(params: Obj, account: str | None, amount: int) -> int | None:
    if params.get("application_fee_amount") in (None, ""):
        return None
    fee = integer(string(params["application_fee_amount"], "application_fee_amount"), "application_fee_amount")
    if account is None:
        raise invalid(
            "Can only apply an application_fee_amount when the PaymentIntent is attempting a direct payment "
            "(using an OAuth key or Stripe-Account header) or destination payment (using "
            "`transfer_data[destination]`).",
            "application_fee_amount",
        )
    if fee > amount:
        raise invalid("The application fee cannot be greater than the amount of the payment.", "application_fee_amount")
    return fee


def create_payment_intent(state: State, call: Call) -> Obj:
    """POST /v1/payment_intents: created, and confirmed at once with `confirm=true` (off-session: no customer
    there to authenticate)."""
    params = call.params
    if "amount" not in params:
        raise missing("amount")
    currency = valid_currency(required(params, "currency"), "currency")
    amount = _amount(params, currency)
    confirm = params.get("confirm") == "true"
    off_session = params.get("off_session") not in (None, "", "false")
    if off_session and not confirm:
        raise invalid("`off_session` can only be used when `confirm=true`.", "off_session")
    customer = customer_of(state, params, call.account)
    method = _usable_method(state, params, call.account, customer, currency)
    if confirm and method is None:
        raise invalid(
            "You cannot confirm this PaymentIntent because it's missing a payment method. Specify a payment method "
            "attached to the customer along with the customer ID.",
            "payment_method",
        )
    for name in ("description", "statement_descriptor", "receipt_email"):
        optional(params, name, longest=1000 if name == "description" else 22 if name == "statement_descriptor" else 800)
    fee = _fee(params, call.account, amount)
    intent = objects.off_session_intent(
        params, amount, currency, application=_application(state, call.account), fee=fee, now=state.now()
    )
    state.store(intent, call.account)
    if method is not None:
        intent["payment_method_types"] = [method["type"]]
        intent["status"] = "requires_confirmation"
    if not confirm:
        return intent
    assert method is not None  # noqa: S101 - refused above
    if not off_session and TEST_METHODS[state.test_numbers[method["id"]]].outcome == "authentication_required":
        raise unsupported("confirming on-session a card that needs authentication (requires_action)", "off_session")
    return _confirm(state, call, intent, method)


def _confirm(state: State, call: Call, intent: Obj, method: Obj) -> Obj:
    test = TEST_METHODS[state.test_numbers[method["id"]]]
    if test.outcome == "succeeded":
        _succeed(state, intent, method)
        state.emit("payment_intent.succeeded", intent, call.account, call.out, request=call.request)
        return intent
    if test.outcome == "processing":
        intent.update(status="processing", processing={"type": method["type"]})
        state.emit("payment_intent.processing", intent, call.account, call.out, request=call.request)
        return intent
    code, message = _DECLINES[test.outcome]
    error = {
        "type": "card_error",
        "code": code,
        "decline_code": test.outcome,
        "message": message,
        "doc_url": f"https://stripe.com/docs/error-codes/{code.replace('_', '-')}",
        "payment_method": copy.deepcopy(method),
    }
    intent.update(status="requires_payment_method", last_payment_error=error, payment_method=None)
    state.emit("payment_intent.payment_failed", intent, call.account, call.out, request=call.request)
    raise StripeError(
        402,
        message,
        code=code,
        type="card_error",
        extra={
            "decline_code": test.outcome,
            "payment_intent": copy.deepcopy(intent),
            "payment_method": copy.deepcopy(method),
        },
        kept=True,
    )


def _succeed(state: State, intent: Obj, method: Obj) -> None:
    charge = objects.charge(intent, method["type"], method["id"], state.now(), method)
    state.store(charge, state.owner[intent["id"]])
    intent.update(
        status="succeeded",
        amount_received=intent["amount"],
        latest_charge=charge["id"],
        last_payment_error=None,
        payment_method=method["id"],
        processing=None,
    )


def settle(state: State, intent: Obj, outcome: str | None, out: list[EventRecord]) -> Obj:
    """A SEPA debit confirmed through the API settles: as its IBAN goes, unless `outcome` says."""
    if intent["status"] != "processing" or not intent.get("customer") or not intent.get("payment_method"):
        raise invalid("Only a processing PaymentIntent confirmed with a saved payment method can settle here.")
    method = state.objects[intent["payment_method"]]
    test = TEST_METHODS[state.test_numbers[method["id"]]]
    outcome = outcome or test.settles
    if outcome not in ("succeeded", "failed"):
        raise invalid('outcome must be "succeeded" or "failed"', "outcome")
    account = state.owner[intent["id"]]
    if outcome == "succeeded":
        _succeed(state, intent, method)
        state.emit("payment_intent.succeeded", intent, account, out)
        return intent
    error = {
        "type": "invalid_request_error",
        "code": "insufficient_funds",
        "message": "The customer's account has insufficient funds to cover this payment.",
        "doc_url": "https://stripe.com/docs/error-codes/insufficient-funds",
        "payment_method": copy.deepcopy(method),
    }
    intent.update(status="requires_payment_method", last_payment_error=error, payment_method=None, processing=None)
    state.emit("payment_intent.payment_failed", intent, account, out)
    return intent
