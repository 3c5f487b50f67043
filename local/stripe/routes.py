"""The /v1 endpoints Collectra calls, each checking its parameters as Stripe does before it acts.

A route runs with the state's lock held, takes one `Call` and answers the object; the events it causes
go to `call.out`, delivered once the answer has left.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from local.stripe import lists, objects, parameters, payments, saved
from local.stripe.call import MAX_AMOUNT, MIN_CHARGE, Call, check_step
from local.stripe.errors import invalid, missing, no_such, unsupported
from local.stripe.objects import ID
from local.stripe.parameters import (
    Hash,
    as_hash,
    as_list,
    integer,
    optional,
    required,
    string,
    valid_currency,
    valid_email,
    valid_metadata,
    valid_url,
)
from local.stripe.state import State

Obj = dict[str, Any]

LINK_SECONDS = 300  # an account link works for a few minutes, once
SESSION_SECONDS = 24 * 3600  # a Checkout Session's default and longest life
SESSION_MIN_SECONDS = 30 * 60


def _platform_only(call: Call) -> None:
    if call.account is not None:
        raise invalid("This endpoint does not allow impersonation as a Connected Account.")


def create_account(state: State, call: Call) -> Obj:
    params = call.params
    kind = optional(params, "type")
    if kind is None and not params.get("controller"):
        raise missing("type")
    email = optional(params, "email")
    if email is not None:
        valid_email(email, "email")
    country = optional(params, "country")
    if country is not None and not re.fullmatch(r"[A-Z]{2}", country):
        raise invalid(f"Country '{country}' is unknown. Try using a 2-character alphanumeric country code.", "country")
    profile = as_hash(params.get("business_profile"), "business_profile")
    optional(profile, "name", "business_profile")
    account = objects.account(objects.new_id("acct_", 16), params, state.now())
    state.accounts[account["id"]] = account
    return account


def retrieve_account(state: State, call: Call) -> Obj:
    if call.account is not None and call.account != call.target:
        raise state.no_access(call.target)
    return state.connected(call.target)


def current_account(state: State, call: Call) -> Obj:
    return state.platform if call.account is None else state.connected(call.account)


def create_account_link(state: State, call: Call) -> Obj:
    params = call.params
    account_id = required(params, "account")
    refresh_url = valid_url(required(params, "refresh_url"), "refresh_url")
    return_url = valid_url(required(params, "return_url"), "return_url")
    required(params, "type")
    if account_id not in state.accounts or account_id in state.revoked:
        raise no_such("account", account_id, "account", 400)
    now = state.now()
    link_id = objects.new_id("", 12)
    state.links[link_id] = {"account": account_id, "refresh_url": refresh_url, "return_url": return_url}
    state.links[link_id].update(expires_at=now + LINK_SECONDS, used=False)
    return {
        "object": "account_link",
        "created": now,
        "expires_at": now + LINK_SECONDS,
        "url": f"{state.base_url}/connect/onboarding/{link_id}",
    }


def _line_items(params: Obj) -> list[Obj]:
    items = as_list(params.get("line_items"), "line_items")
    if not items:
        raise missing("line_items")
    if len(items) > 100:
        raise invalid("You may only specify up to 100 line items.", "line_items")
    lines: list[Obj] = []
    for index, raw in enumerate(items):
        prefix = f"line_items[{index}]"
        item = as_hash(raw, prefix)
        if item.get("price"):
            raise no_such("price", string(item["price"], f"{prefix}[price]"), f"{prefix}[price]", 400)
        if "price_data" not in item:
            raise missing(f"{prefix}[price_data]")
        price = as_hash(item["price_data"], f"{prefix}[price_data]")
        if price.get("recurring"):
            raise invalid(
                "You specified `payment` mode but passed a recurring price.", f"{prefix}[price_data][recurring]"
            )
        currency = valid_currency(
            required(price, "currency", f"{prefix}[price_data]"), f"{prefix}[price_data][currency]"
        )
        unit_param = f"{prefix}[price_data][unit_amount]"
        unit_amount = integer(required(price, "unit_amount", f"{prefix}[price_data]"), unit_param, 1)
        check_step(unit_amount, currency, unit_param)
        if price.get("product"):
            raise no_such(
                "product",
                string(price["product"], f"{prefix}[price_data][product]"),
                f"{prefix}[price_data][product]",
                400,
            )
        product = as_hash(price.get("product_data"), f"{prefix}[price_data][product_data]")
        name = required(product, "name", f"{prefix}[price_data][product_data]")
        quantity = integer(required(item, "quantity", prefix), f"{prefix}[quantity]", 1)
        if lines and currency != lines[0]["currency"]:
            raise invalid(
                f"All line items must be in the same currency: {prefix} is in '{currency}', "
                f"line_items[0] in '{lines[0]['currency']}'.",
                f"{prefix}[price_data][currency]",
            )
        lines.append(objects.line_item(currency, unit_amount, quantity, name, product.get("description")))
    return lines


def _intent_data(params: Obj, account: str | None, total: int) -> Obj:
    data = as_hash(params.get("payment_intent_data"), "payment_intent_data")
    fee: int | None = None
    if data.get("application_fee_amount") not in (None, ""):
        param = "payment_intent_data[application_fee_amount]"
        fee = integer(string(data["application_fee_amount"], param), param)
        if account is None:
            raise invalid(
                "Can only apply an application_fee_amount when the PaymentIntent is attempting a direct payment "
                "(using an OAuth key or Stripe-Account header) or destination payment (using "
                "`transfer_data[destination]`).",
                param,
            )
        if fee > total:
            raise invalid("The application fee cannot be greater than the amount of the payment.", param)
    capture = optional(data, "capture_method", "payment_intent_data")
    if capture not in (None, "automatic", "automatic_async"):
        raise unsupported("capture_method=manual", "payment_intent_data[capture_method]")
    receipt_email = optional(data, "receipt_email", "payment_intent_data")
    if receipt_email is not None:
        valid_email(receipt_email, "payment_intent_data[receipt_email]")
    return {
        "metadata": valid_metadata(data.get("metadata"), "payment_intent_data[metadata]"),
        "application_fee_amount": fee,
        "description": optional(data, "description", "payment_intent_data", longest=1000),
        "receipt_email": receipt_email,
        "statement_descriptor": optional(data, "statement_descriptor", "payment_intent_data", longest=22),
    }


def _total(lines: list[Obj]) -> int:
    total = sum(int(line["amount_total"]) for line in lines)
    currency = lines[0]["currency"]
    if total > MAX_AMOUNT:
        raise invalid(f"The Checkout Session's total amount must be at most {MAX_AMOUNT}.", None, "amount_too_large")
    if total < MIN_CHARGE.get(currency, 1):
        raise invalid(
            f"The Checkout Session's total amount due must add up to at least {MIN_CHARGE[currency]} "
            f"(in the smallest unit of {currency}).",
            None,
            "amount_too_small",
        )
    return total


def _expires_at(params: Obj, now: int) -> int:
    if params.get("expires_at") in (None, ""):
        return now + SESSION_SECONDS
    expires_at = integer(string(params["expires_at"], "expires_at"), "expires_at")
    # Measured from the moment the session is created, as Stripe does: a caller asking for exactly
    # 30 minutes from its own clock can be refused.
    if expires_at - now < SESSION_MIN_SECONDS:
        raise invalid(
            "The `expires_at` timestamp must be at least 30 minutes from Checkout Session creation.", "expires_at"
        )
    if expires_at - now > SESSION_SECONDS:
        raise invalid(
            "The `expires_at` timestamp must be less than 24 hours from Checkout Session creation.", "expires_at"
        )
    return expires_at


def create_session(state: State, call: Call) -> Obj:
    params = call.params
    if call.account is not None and not state.accounts[call.account]["charges_enabled"]:
        raise invalid(
            "This account cannot currently make charges. To find out why charge creation is currently disabled, "
            f"look at the `requirements.disabled_reason` property on this account (/v1/accounts/{call.account})."
        )
    mode = required(params, "mode")
    if mode not in ("payment", "setup"):
        raise unsupported(f"mode={mode}", "mode")
    if (optional(params, "ui_mode") or "hosted_page") != "hosted_page":
        raise unsupported("ui_mode other than hosted_page", "ui_mode")
    setup: saved.SetupPart | None = None
    lines: list[Obj] = []
    if mode == "setup":
        setup = saved.setup_part(state, call)
        currency, total, customer, types = setup.currency, None, setup.customer, setup.types
    else:
        customer = saved.customer_of(state, params, call.account)
        if customer is not None and params.get("customer_email"):
            raise invalid("You may only specify one of these parameters: customer, customer_email.", "customer_email")
        lines = _line_items(params)
        currency, total, types = lines[0]["currency"], _total(lines), ["card"]
    success_url = valid_url(required(params, "success_url"), "success_url")
    cancel_url = optional(params, "cancel_url")
    if cancel_url is not None:
        valid_url(cancel_url, "cancel_url")
    now = state.now()
    expires_at = _expires_at(params, now)
    customer_email = optional(params, "customer_email")
    if customer_email is not None:
        valid_email(customer_email, "customer_email")
    session = objects.checkout_session(
        objects.new_id("cs_test_a1", 56),
        base_url=state.base_url,
        now=now,
        currency=currency,
        total=total,
        expires_at=expires_at,
        success_url=success_url,
        cancel_url=cancel_url,
        customer_email=customer_email,
        locale=optional(params, "locale"),
        reference=optional(params, "client_reference_id", longest=200),
        metadata=valid_metadata(params.get("metadata"), "metadata"),
        mode=mode,
        customer=customer,
        payment_method_types=types,
        setup_intent=setup.intent["id"] if setup else None,
    )
    if setup is not None:
        state.store(setup.intent, call.account)
    else:
        state.intent_data[session["id"]] = _intent_data(params, call.account, cast(int, total))
    state.store(session, call.account)
    state.line_items[session["id"]] = lines
    return session


def retrieve_session(state: State, call: Call) -> Obj:
    session = state.find("checkout.session", call.target, call.account, "session")
    state.expire_if_due(session, call.out)
    return session


def session_line_items(state: State, call: Call) -> Obj:
    session = state.find("checkout.session", call.target, call.account, "session")
    return objects.list_of(state.line_items[session["id"]], f"/v1/checkout/sessions/{session['id']}/line_items")


def expire_session(state: State, call: Call) -> Obj:
    session = state.find("checkout.session", call.target, call.account, "session")
    state.expire_if_due(session, call.out)
    if session["status"] != "open":
        raise invalid(
            'Only Checkout Sessions with a status in ["open"] can be expired. '
            f"This Checkout Session has a status of `{session['status']}`."
        )
    state.expire(session, call.out, call.request)
    return session


Route = Callable[[State, Call], Obj]


def _retriever(kind: str, param: str) -> Route:
    def retrieve(state: State, call: Call) -> Obj:
        return state.find(kind, call.target, call.account, param)

    return retrieve


def retrieve_event(state: State, call: Call) -> Obj:
    record = state.events_by_id.get(call.target)
    if record is None or record.event.get("account") != call.account:
        raise no_such("event", call.target, "id")
    return record.event


def create_refund(state: State, call: Call) -> Obj:
    """POST /v1/refunds: of a PaymentIntent's charge (or a charge), all that is left unless `amount` says."""
    params = call.params
    if ("payment_intent" in params) == ("charge" in params):
        raise invalid("You must pass exactly one of payment_intent or charge.")
    if "payment_intent" in params:
        intent = state.find(
            "payment_intent", string(params["payment_intent"], "payment_intent"), call.account, "payment_intent"
        )
        if not intent.get("latest_charge"):
            raise invalid(
                f"PaymentIntent {intent['id']} does not have a successful charge to refund.",
                "payment_intent",
                "charge_not_refundable",
            )
        charge = state.find("charge", intent["latest_charge"], call.account, "charge")
    else:
        charge = state.find("charge", string(params["charge"], "charge"), call.account, "charge")
    amount = charge["amount_captured"] - charge["amount_refunded"]
    if "amount" in params:
        amount = integer(string(params["amount"], "amount"), "amount", minimum=1)
    metadata = valid_metadata(params["metadata"], "metadata") if "metadata" in params else None
    return payments.refund(
        state, charge, amount, call.out, metadata=metadata, reason=optional(params, "reason"), request=call.request
    )


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: re.Pattern[str]
    params: Hash  # what stripe-python may send it
    route: Route
    platform_only: bool = False  # refused with a Stripe-Account header, before its parameters are looked at

    def run(self, state: State, call: Call) -> Obj:
        if self.platform_only:
            _platform_only(call)
        parameters.check(call.params, self.params)
        return self.route(state, call)


ENDPOINTS = [
    Endpoint("POST", re.compile(r"/v1/accounts"), parameters.ACCOUNT_CREATE, create_account, platform_only=True),
    Endpoint("GET", re.compile(r"/v1/accounts"), parameters.ACCOUNT_LIST, lists.list_accounts, platform_only=True),
    Endpoint("GET", re.compile(rf"/v1/accounts/{ID}"), parameters.ACCOUNT_RETRIEVE, retrieve_account),
    Endpoint("GET", re.compile(r"/v1/account"), parameters.ACCOUNT_RETRIEVE_CURRENT, current_account),
    Endpoint(
        "POST",
        re.compile(r"/v1/account_links"),
        parameters.ACCOUNT_LINK_CREATE,
        create_account_link,
        platform_only=True,
    ),
    Endpoint("POST", re.compile(r"/v1/checkout/sessions"), parameters.SESSION_CREATE, create_session),
    Endpoint("GET", re.compile(rf"/v1/checkout/sessions/{ID}"), parameters.SESSION_RETRIEVE, retrieve_session),
    Endpoint(
        "GET",
        re.compile(rf"/v1/checkout/sessions/{ID}/line_items"),
        parameters.SESSION_LINE_ITEMS,
        session_line_items,
    ),
    Endpoint("POST", re.compile(rf"/v1/checkout/sessions/{ID}/expire"), parameters.SESSION_EXPIRE, expire_session),
    Endpoint(
        "GET",
        re.compile(rf"/v1/payment_intents/{ID}"),
        parameters.PAYMENT_INTENT_RETRIEVE,
        _retriever("payment_intent", "intent"),
    ),
    Endpoint("GET", re.compile(rf"/v1/charges/{ID}"), parameters.CHARGE_RETRIEVE, _retriever("charge", "charge")),
    Endpoint("GET", re.compile(rf"/v1/disputes/{ID}"), parameters.DISPUTE_RETRIEVE, _retriever("dispute", "dispute")),
    Endpoint("GET", re.compile(rf"/v1/events/{ID}"), parameters.EVENT_RETRIEVE, retrieve_event),
    Endpoint("GET", re.compile(r"/v1/events"), parameters.EVENT_LIST, lists.list_events),
    Endpoint("POST", re.compile(r"/v1/refunds"), parameters.REFUND_CREATE, create_refund),
    Endpoint("POST", re.compile(r"/v1/customers"), parameters.CUSTOMER_CREATE, saved.create_customer),
    Endpoint(
        "GET", re.compile(rf"/v1/customers/{ID}"), parameters.CUSTOMER_RETRIEVE, _retriever("customer", "customer")
    ),
    Endpoint(
        "GET",
        re.compile(rf"/v1/setup_intents/{ID}"),
        parameters.SETUP_INTENT_RETRIEVE,
        _retriever("setup_intent", "intent"),
    ),
    Endpoint(
        "GET", re.compile(rf"/v1/payment_methods/{ID}"), parameters.PAYMENT_METHOD_RETRIEVE, saved.retrieve_method
    ),
    Endpoint(
        "POST",
        re.compile(rf"/v1/payment_methods/{ID}/detach"),
        parameters.PAYMENT_METHOD_DETACH,
        saved.detach_method,
    ),
    Endpoint("POST", re.compile(r"/v1/payment_intents"), parameters.PAYMENT_INTENT_CREATE, saved.create_payment_intent),
]
