"""A stand-in for Stripe: the Connect and Checkout calls Collectra makes, the hosted pages, signed webhooks.

    python -m local.stripe [--port 3003] [--api-key KEY] [--webhook-secret SECRET] [--webhook-url URL]

stripe-python reaches it with `StripeClient(key, base_addresses={"api": url})`. The API answers as
Stripe does: form-encoded parameters (`a[b]=`, `a[0][b]=`), `Authorization: Bearer <key>`,
`Stripe-Account` to act on a connected account (whose objects no other account sees), `Idempotency-Key`
(replayed for 24 hours), and errors shaped `{"error": {"type", "code", "message", "param"}}` with
Stripe's statuses, so the client raises the exception it would raise against Stripe.

POST /v1/accounts                          create a connected account (platform only)
GET  /v1/accounts/{id}                     one of the platform's connected accounts
GET  /v1/account                           the account named by Stripe-Account, else the platform
POST /v1/account_links                     an onboarding link to {url}/connect/onboarding/{link}
POST /v1/checkout/sessions                 a Checkout Session: mode=payment, price_data line items
GET  /v1/checkout/sessions/{id}            (and .../line_items)
POST /v1/checkout/sessions/{id}/expire
GET  /v1/payment_intents/{id}, /v1/charges/{id}, /v1/disputes/{id}, /v1/events/{id}
POST /v1/refunds                           a refund of a payment_intent's (or a charge's) charge: charge.refunded

GET  /checkout/{session}                   the hosted checkout page: Pay, Decline, Pay by bank transfer
GET  /connect/onboarding/{link}            the onboarding page: Complete onboarding

Every event is recorded and POSTed to `webhook_url` (when set) with a `Stripe-Signature` header made
with `webhook_secret`, as Stripe signs. A page button delivers before it answers (its redirect follows
the webhook's reply); an API call answers first and delivers right after, as Stripe does. A failed
delivery is not retried: redeliver it through the control endpoint.

Control endpoints (JSON in and out, no key), for tests and demos:
GET  /_control/events                      {"events": [{"event", "deliveries": [status|null, ...]}]}
POST /_control/events/{id}/redeliver       the same event (id and payload), freshly signed
POST /_control/hold                        queue events instead of sending them ...
POST /_control/release                     ... then send them: {"order": "as_created" | "reverse" | [ids]}
POST /_control/sessions/{id}/async         {"outcome": "succeeded" | "failed"}: a bank transfer settles
POST /_control/charges/{id}/refund         {"amount": n}, by default what is left
POST /_control/charges/{id}/dispute        a dispute, reason fraudulent
POST /_control/disputes/{id}/close         {"status": "won" | "lost"}
POST /_control/accounts/{id}/update        {"charges_enabled": true, ...}: account.updated
POST /_control/accounts/{id}/deauthorize   account.application.deauthorized
POST /_control/send                        {"type", "account", "object"}: any event
POST /_control/clock                       {"advance": seconds}: the stand-in's clock moves on; sessions expire
"""

from __future__ import annotations

import argparse
import base64
import copy
import hashlib
import hmac
import json
import os
import re
import secrets
import string
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from local.signals import wait_for_stop_signal
from local.stripe_pages import checkout_page, closed_checkout_page, not_found_page, onboarding_page

DEFAULT_PORT = 3003
# stripe-python 16.1.0's `stripe.api_version`: what Stripe stamps on events for an endpoint of that version.
API_VERSION = "2026-10-28.endive"
APPLICATION_NAME = "Collectra"
DEFAULT_COUNTRY = "FR"
IDEMPOTENCY_SECONDS = 24 * 3600  # Stripe forgets an idempotency key after 24 hours
LINK_SECONDS = 300  # an account link works for a few minutes, once
SESSION_SECONDS = 24 * 3600  # a Checkout Session's default and longest life
SESSION_MIN_SECONDS = 30 * 60
WEBHOOK_TIMEOUT_S = 10.0
SWEEP_SECONDS = 1.0  # how often sessions past their expires_at are expired
MAX_AMOUNT = 99_999_999  # Stripe's ceiling for an amount: eight digits
# The smallest total Stripe accepts for a charge, in minor units, for the currencies it is commonly met in.
MIN_CHARGE = {"eur": 50, "usd": 50, "gbp": 30, "chf": 50, "cad": 50, "aud": 50, "sek": 300, "dkk": 250, "jpy": 50}
# Amounts Stripe refuses although they are whole minor units (docs.stripe.com/currencies): three-decimal currencies
# must end in 0, and ISK and UGX, zero-decimal but written with two decimals, must end in 00.
AMOUNT_STEP = {**dict.fromkeys(("bhd", "jod", "kwd", "omr", "tnd"), 10), "isk": 100, "ugx": 100}
COUNTRY_CURRENCY = {"FR": "eur", "DE": "eur", "ES": "eur", "IT": "eur", "BE": "eur", "NL": "eur", "IE": "eur"}
COUNTRY_CURRENCY |= {"US": "usd", "GB": "gbp", "CH": "chf", "CA": "cad", "AU": "aud", "SE": "sek", "DK": "dkk"}


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


LOCALES = _words(
    "auto bg cs da de el en en-GB es es-419 et fi fil fr fr-CA hi-IN hr hu id it ja ko lt lv ms mt nb nl pl pt "
    "pt-BR ro ru sk sl sv th tr vi zh zh-HK zh-TW"
)

# The parameters each endpoint knows (stripe-python 16.1.0's parameter types, plus older names Stripe still
# takes); anything else is refused as Stripe refuses it, so a typo fails here rather than in production.
ACCOUNT_PARAMS = _words(
    "account_token business_profile business_type capabilities company controller country default_currency "
    "documents email expand external_account groups individual metadata settings tos_acceptance type"
)
LINK_PARAMS = _words("account collect collection_options expand refresh_url return_url type")
SESSION_PARAMS = _words(
    "adaptive_pricing after_expiration allow_promotion_codes allowed_payment_method_types automatic_tax "
    "billing_address_collection branding_settings cancel_url client_reference_id consent_collection currency "
    "custom_fields custom_text customer customer_account customer_creation customer_email customer_update "
    "discounts excluded_payment_method_types expand expires_at integration_identifier invoice_creation "
    "line_items locale managed_payments metadata mode name_collection optional_items origin_context "
    "payment_intent_data payment_method_collection payment_method_configuration payment_method_data "
    "payment_method_options payment_method_types permissions phone_number_collection redirect_on_completion "
    "return_url saved_payment_method_options setup_intent_data shipping_address_collection shipping_options "
    "submit_type subscription_data success_url tax_id_collection ui_mode wallet_options"
)
LINE_ITEM_PARAMS = _words("adjustable_quantity dynamic_tax_rates metadata price price_data quantity tax_rates")
PRICE_DATA_PARAMS = _words("currency product product_data recurring tax_behavior unit_amount unit_amount_decimal")
PRODUCT_DATA_PARAMS = _words("description images metadata name tax_code tax_details unit_label")
INTENT_DATA_PARAMS = _words(
    "application_fee_amount capture_method description metadata on_behalf_of receipt_email setup_future_usage "
    "shipping statement_descriptor statement_descriptor_suffix transfer_data transfer_group"
)
LIST_PARAMS = _words("ending_before expand limit starting_after")
EXPAND_ONLY = _words("expand")

Obj = dict[str, Any]


class StripeError(Exception):
    """An answer in Stripe's error shape; `status` picks the exception stripe-python raises."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str | None = None,
        param: str | None = None,
        type: str = "invalid_request_error",
    ) -> None:
        super().__init__(message)
        self.status, self.message, self.code, self.param, self.type = status, message, code, param, type

    def body(self) -> Obj:
        error: Obj = {"type": self.type, "message": self.message}
        if self.code:
            error["code"] = self.code
            error["doc_url"] = f"https://stripe.com/docs/error-codes/{self.code.replace('_', '-')}"
        if self.param:
            error["param"] = self.param
        return {"error": error}


def _invalid(message: str, param: str | None = None, code: str | None = None) -> StripeError:
    return StripeError(400, message, code=code, param=param)


def _missing(param: str) -> StripeError:
    return StripeError(400, f"Missing required param: {param}.", code="parameter_missing", param=param)


def _no_such(kind: str, object_id: str, param: str, status: int = 404) -> StripeError:
    return StripeError(status, f"No such {kind}: '{object_id}'", code="resource_missing", param=param)


def _unsupported(what: str, param: str) -> StripeError:
    # Valid for Stripe but not modelled here: refused loudly rather than answered wrongly.
    return _invalid(f"The Stripe stand-in does not support {what}.", param)


def _new_id(prefix: str, length: int = 24) -> str:
    alphabet = string.ascii_letters + string.digits
    return prefix + "".join(secrets.choice(alphabet) for _ in range(length))


def new_api_key() -> str:
    return _new_id("sk_test_51", 96)


def new_webhook_secret() -> str:
    return "whsec_" + secrets.token_hex(32)


# Parameters: stripe-python form-encodes nested dicts as a[b][c]=v and lists as a[0][b]=v.

_NAME = re.compile(r"([^\[\]]+)((?:\[[^\[\]]*\])*)")
_PART = re.compile(r"\[([^\[\]]*)\]")


def parse_params(text: str) -> Obj:
    """A form body or query string as nested dicts; lists stay dicts keyed "0", "1"... (see `_as_list`)."""
    root: Obj = {}
    for name, value in parse_qsl(text, keep_blank_values=True):
        match = _NAME.fullmatch(name)
        if match is None:
            raise _invalid(f"Invalid parameter name: {name}", name)
        parts = [match.group(1), *_PART.findall(match.group(2))]
        node = root
        for depth, part in enumerate(parts):
            key = part or str(len(node))  # a[]=x appends
            if depth == len(parts) - 1:
                if isinstance(node.get(key), dict):
                    raise _invalid(f"Invalid hash: {name} is both a value and a hash", name)
                node[key] = value
            else:
                child = node.setdefault(key, {})
                if not isinstance(child, dict):
                    raise _invalid(f"Invalid hash: {name} is both a value and a hash", name)
                node = child
    return root


def _sub(prefix: str, key: str | int) -> str:
    return f"{prefix}[{key}]" if prefix else str(key)


def _only(params: Mapping[str, Any], allowed: frozenset[str], prefix: str = "") -> None:
    for key in params:
        if key not in allowed:
            name = _sub(prefix, key)
            raise _invalid(f"Received unknown parameter: {name}", name, "parameter_unknown")


def _as_list(value: Any, param: str) -> list[Any]:
    if value is None or value == "":
        return []
    if isinstance(value, dict) and all(key.isdigit() for key in value):
        indexed = {int(key): item for key, item in value.items()}
        if sorted(indexed) == list(range(len(value))):
            return [indexed[index] for index in range(len(value))]
    raise _invalid(f"Invalid array: {param}", param)


def _as_hash(value: Any, param: str) -> Obj:
    if value is None or value == "":
        return {}
    if not isinstance(value, dict):
        raise _invalid(f"Invalid hash: {param}", param)
    return value


def _str(value: Any, param: str) -> str:
    if not isinstance(value, str):
        raise _invalid(f"Invalid string: {param} must be a string, not a hash", param)
    return value


def _required(params: Mapping[str, Any], key: str, prefix: str = "") -> str:
    name = _sub(prefix, key)
    value = params.get(key)
    if value is None:
        raise _missing(name)
    if value == "":
        raise _invalid(
            f"You passed an empty string for '{name}'. We assume empty values are an attempt to unset a parameter; "
            f"however '{name}' cannot be unset. You should remove '{name}' from your request or supply a non-empty "
            "value.",
            name,
            "parameter_invalid_empty",
        )
    return _str(value, name)


def _optional(params: Mapping[str, Any], key: str, prefix: str = "", *, longest: int = 5000) -> str | None:
    name = _sub(prefix, key)
    value = params.get(key)
    if value is None or value == "":
        return None
    text = _str(value, name)
    if len(text) > longest:
        raise _invalid(f"Invalid {name}: must be at most {longest} characters", name, "parameter_invalid_string")
    return text


def _integer(value: str, param: str, minimum: int = 0) -> int:
    if not re.fullmatch(r"-?\d{1,18}", value):
        raise _invalid(f"Invalid integer: {value}", param, "parameter_invalid_integer")
    number = int(value)
    if number < minimum:
        raise _invalid(f"This value must be greater than or equal to {minimum}.", param, "parameter_invalid_integer")
    return number


def _url(value: str, param: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or len(value) > 5000:
        raise _invalid("Not a valid URL", param, "url_invalid")
    return value


_EMAIL = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\".]+$")


def _email(value: str, param: str) -> str:
    if not _EMAIL.match(value):
        raise _invalid(f"Invalid email address: {value}", param, "email_invalid")
    return value


def _currency(value: str, param: str) -> str:
    if not re.fullmatch(r"[a-z]{3}", value):
        raise _invalid(f"Invalid currency: {value}. Use a three-letter ISO code in lower case, such as 'eur'.", param)
    return value


def _metadata(value: Any, param: str) -> dict[str, str]:
    """Stripe's limits: 50 keys, keys up to 40 characters, string values up to 500; "" unsets a key."""
    values = _as_hash(value, param)
    if len(values) > 50:
        raise _invalid("You can specify up to 50 keys, with key names up to 40 characters long.", param)
    result: dict[str, str] = {}
    for key, item in values.items():
        name = _sub(param, key)
        if len(key) > 40:
            raise _invalid(
                f"Metadata keys can have up to 40 characters, but you passed in a key that is {len(key)}.", name
            )
        text = _str(item, name)
        if len(text) > 500:
            raise _invalid(f"Metadata values can have up to 500 characters, but you passed in {len(text)}.", name)
        if text:
            result[key] = text
    return result


def _expand_paths(params: Mapping[str, Any]) -> list[str]:
    return [_str(path, "expand") for path in _as_list(params.get("expand"), "expand")]


# State: objects, events and deliveries, all behind one lock.


@dataclass
class _Event:
    event: Obj
    payload: bytes  # the exact bytes sent, so that a redelivery is the same event
    deliveries: list[int | None] = field(default_factory=list)  # status codes; None when nobody answered

    def summary(self) -> Obj:
        delivered = any(status is not None and 200 <= status < 300 for status in self.deliveries)
        return {"event": copy.deepcopy(self.event), "deliveries": list(self.deliveries), "delivered": delivered}


@dataclass
class _Saved:
    """A response kept under its idempotency key."""

    endpoint: str
    params: Obj
    status: int
    body: Obj
    request_id: str
    at: float


@dataclass
class _Call:
    """One API request, as the route handlers see it."""

    params: Obj
    account: str | None  # the Stripe-Account it acts on; None for the platform
    target: str  # the id in the path, if any
    request: Obj  # {"id", "idempotency_key"}, for the events it causes
    out: list[_Event]  # events to deliver once answered


@dataclass
class ApiReply:
    status: int
    body: Obj
    headers: dict[str, str]
    events: list[_Event]


@dataclass
class PageReply:
    status: int
    html: str | None = None
    location: str | None = None


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # Stripe counts a redirect as a failed delivery; urllib would follow it.
    def redirect_request(self, *_: Any, **__: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirects())


class _State:
    def __init__(self, api_key: str, webhook_secret: str, webhook_url: str | None) -> None:
        self.api_key = api_key
        self.webhook_secret = webhook_secret
        self.webhook_url = webhook_url
        self.base_url = ""
        self.lock = threading.Lock()
        self.offset = 0  # seconds the clock was moved on
        self.application: Obj = {"id": _new_id("ca_", 32), "object": "application", "name": APPLICATION_NAME}
        self.platform = _account_object(_new_id("acct_", 16), {"type": "standard"}, int(time.time()))
        self.platform.update(charges_enabled=True, details_submitted=True, payouts_enabled=True)
        self.accounts: dict[str, Obj] = {}
        self.revoked: set[str] = set()
        self.links: dict[str, Obj] = {}
        self.objects: dict[str, Obj] = {}  # sessions, payment intents, charges, refunds, disputes
        self.owner: dict[str, str | None] = {}  # object id -> the connected account it lives on
        self.line_items: dict[str, list[Obj]] = {}
        self.intent_data: dict[str, Obj] = {}  # session id -> its payment_intent_data
        self.events: list[_Event] = []
        self.events_by_id: dict[str, _Event] = {}
        self.holding = False
        self.held: list[_Event] = []
        self.saved: dict[tuple[str | None, str], _Saved] = {}

    def now(self) -> int:
        return int(time.time()) + self.offset

    # Events and their delivery.

    def emit(
        self,
        type_: str,
        obj: Obj,
        account: str | None,
        out: list[_Event],
        *,
        previous: Obj | None = None,
        request: Obj | None = None,
    ) -> _Event:
        """Record an event (a snapshot of `obj` now) and queue it in `out`, or among the held ones."""
        event: Obj = {"id": _new_id("evt_"), "object": "event"}
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
        record = _Event(event, json.dumps(event, indent=2).encode())
        self.events.append(record)
        self.events_by_id[event["id"]] = record
        (self.held if self.holding else out).append(record)
        return record

    def deliver(self, record: _Event) -> int | None:
        """POST the event to the webhook URL as Stripe does; its status, None when nobody answered. Not locked."""
        url = self.webhook_url
        if not url:
            return None
        # The real clock: receivers check it against theirs.
        signature = stripe_signature(record.payload, [self.webhook_secret], at=int(time.time()))
        request = urllib.request.Request(
            url,
            data=record.payload,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
                "Accept": "*/*; q=0.5, application/xml",
                "Cache-Control": "no-cache",
                "Stripe-Signature": signature,
            },
        )
        status: int | None
        try:
            with _OPENER.open(request, timeout=WEBHOOK_TIMEOUT_S) as response:
                response.read()
                status = int(response.status)
        except urllib.error.HTTPError as error:
            status = error.code
            error.close()
        except (OSError, ValueError):
            status = None
        with self.lock:
            record.deliveries.append(status)
        return status

    def deliver_all(self, records: list[_Event]) -> None:
        for record in records:
            self.deliver(record)

    # Lookups, with the lock held.

    def find(self, kind: str, object_id: str, account: str | None, param: str, status: int = 404) -> Obj:
        obj = self.objects.get(object_id)
        if obj is None or obj["object"] != kind or self.owner.get(object_id) != account:
            raise _no_such(kind, object_id, param, status)
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

    def expire_due(self, out: list[_Event]) -> None:
        for session_id in self.line_items:  # one entry per Checkout Session
            self.expire_if_due(self.objects[session_id], out)

    def forget_old_keys(self) -> None:
        # stripe-python sends a key with every POST: without this, a long `make dev` would keep them all.
        cutoff = time.time() - IDEMPOTENCY_SECONDS
        self.saved = {key: saved for key, saved in self.saved.items() if saved.at >= cutoff}

    def expire_if_due(self, session: Obj, out: list[_Event]) -> None:
        # Stripe expires a session at expires_at. Here a sweep every second does, and so does anyone who
        # looks at the session first, so that nobody ever sees an open session past its time.
        if session["status"] == "open" and self.now() >= session["expires_at"]:
            self.expire(session, out, None)

    def expire(self, session: Obj, out: list[_Event], request: Obj | None) -> None:
        session.update(status="expired", url=None)
        intent_id = session.get("payment_intent")
        if intent_id:
            intent = self.objects[intent_id]
            if intent["status"] != "succeeded":
                intent.update(status="canceled", canceled_at=self.now(), cancellation_reason="abandoned")
        self.emit("checkout.session.expired", session, self.owner[session["id"]], out, request=request)


def _account_object(account_id: str, params: Obj, now: int) -> Obj:
    profile = _as_hash(params.get("business_profile"), "business_profile")
    country = params.get("country") or DEFAULT_COUNTRY
    kind = params.get("type") or "standard"
    due = ["business_profile.url", "external_account", "tos_acceptance.date", "tos_acceptance.ip"]
    requested = [name for name, wanted in _as_hash(params.get("capabilities"), "capabilities").items() if wanted]
    return {
        "id": account_id,
        "object": "account",
        "business_profile": {
            "mcc": profile.get("mcc"),
            "name": profile.get("name"),
            "product_description": profile.get("product_description"),
            "support_email": profile.get("support_email"),
            "support_phone": profile.get("support_phone"),
            "support_url": profile.get("support_url"),
            "url": profile.get("url"),
        },
        "business_type": params.get("business_type"),
        "capabilities": dict.fromkeys(requested or ["card_payments", "transfers"], "inactive"),
        "charges_enabled": False,
        "controller": {"type": "account"} if kind == "standard" else {"type": "application", "is_controller": True},
        "country": country,
        "created": now,
        "default_currency": params.get("default_currency") or COUNTRY_CURRENCY.get(country, "eur"),
        "details_submitted": False,
        "email": params.get("email"),
        "external_accounts": {
            "object": "list",
            "data": [],
            "has_more": False,
            "url": f"/v1/accounts/{account_id}/external_accounts",
        },
        "future_requirements": _requirements([], None),
        "metadata": _metadata(params.get("metadata"), "metadata"),
        "payouts_enabled": False,
        "requirements": _requirements(due, "requirements.past_due"),
        "settings": {
            "dashboard": {"display_name": profile.get("name"), "timezone": "Europe/Paris"},
            "payments": {"statement_descriptor": None},
        },
        "tos_acceptance": {"date": None, "ip": None, "user_agent": None},
        "type": kind,
    }


def _requirements(due: list[str], disabled_reason: str | None) -> Obj:
    return {
        "alternatives": [],
        "current_deadline": None,
        "currently_due": list(due),
        "disabled_reason": disabled_reason,
        "errors": [],
        "eventually_due": list(due),
        "past_due": list(due),
        "pending_verification": [],
    }


def _set_enabled(account: Obj, changes: Mapping[str, bool]) -> Obj:
    """Apply `changes` to an account; returns the previous values of what changed, for the event."""
    previous: Obj = {}
    for key, value in changes.items():
        if account[key] != value:
            previous[key] = account[key]
            account[key] = value
    if "charges_enabled" in previous:
        previous["capabilities"] = dict(account["capabilities"])
        previous["requirements"] = copy.deepcopy(account["requirements"])
        state = "active" if account["charges_enabled"] else "inactive"
        account["capabilities"] = dict.fromkeys(account["capabilities"], state)
        if account["charges_enabled"]:
            account["requirements"] = _requirements([], None)
        else:
            account["requirements"] = _requirements(["external_account"], "requirements.past_due")
    return previous


# The API.

_Route = Callable[[_State, _Call], Obj]


def _create_account(state: _State, call: _Call) -> Obj:
    if call.account is not None:
        raise _invalid("This endpoint does not allow impersonation as a Connected Account.")
    params = call.params
    _only(params, ACCOUNT_PARAMS)
    kind = _optional(params, "type")
    if kind is None and not params.get("controller"):
        raise _missing("type")
    if kind is not None and kind not in ("standard", "express", "custom"):
        raise _invalid(f"Invalid type: must be one of custom, express, or standard (got '{kind}')", "type")
    email = _optional(params, "email")
    if email is not None:
        _email(email, "email")
    country = _optional(params, "country")
    if country is not None and not re.fullmatch(r"[A-Z]{2}", country):
        raise _invalid(f"Country '{country}' is unknown. Try using a 2-character alphanumeric country code.", "country")
    profile = _as_hash(params.get("business_profile"), "business_profile")
    _optional(profile, "name", "business_profile")
    account = _account_object(_new_id("acct_", 16), params, state.now())
    state.accounts[account["id"]] = account
    return account


def _retrieve_account(state: _State, call: _Call) -> Obj:
    _only(call.params, EXPAND_ONLY)
    if call.account is not None and call.account != call.target:
        raise state.no_access(call.target)
    return state.connected(call.target)


def _current_account(state: _State, call: _Call) -> Obj:
    _only(call.params, EXPAND_ONLY)
    return state.platform if call.account is None else state.connected(call.account)


def _create_account_link(state: _State, call: _Call) -> Obj:
    if call.account is not None:
        raise _invalid("This endpoint does not allow impersonation as a Connected Account.")
    params = call.params
    _only(params, LINK_PARAMS)
    account_id = _required(params, "account")
    refresh_url = _url(_required(params, "refresh_url"), "refresh_url")
    return_url = _url(_required(params, "return_url"), "return_url")
    kind = _required(params, "type")
    if kind not in ("account_onboarding", "account_update"):
        raise _invalid(f"Invalid type: must be one of account_onboarding or account_update (got '{kind}')", "type")
    if account_id not in state.accounts or account_id in state.revoked:
        raise _no_such("account", account_id, "account", 400)
    now = state.now()
    link_id = _new_id("", 12)
    state.links[link_id] = {"account": account_id, "refresh_url": refresh_url, "return_url": return_url}
    state.links[link_id].update(expires_at=now + LINK_SECONDS, used=False)
    return {
        "object": "account_link",
        "created": now,
        "expires_at": now + LINK_SECONDS,
        "url": f"{state.base_url}/connect/onboarding/{link_id}",
    }


def _line_items(params: Obj) -> list[Obj]:
    items = _as_list(params.get("line_items"), "line_items")
    if not items:
        raise _missing("line_items")
    if len(items) > 100:
        raise _invalid("You may only specify up to 100 line items.", "line_items")
    lines: list[Obj] = []
    for index, raw in enumerate(items):
        prefix = f"line_items[{index}]"
        item = _as_hash(raw, prefix)
        _only(item, LINE_ITEM_PARAMS, prefix)
        if item.get("price"):
            raise _no_such("price", _str(item["price"], f"{prefix}[price]"), f"{prefix}[price]", 400)
        if "price_data" not in item:
            raise _missing(f"{prefix}[price_data]")
        price = _as_hash(item["price_data"], f"{prefix}[price_data]")
        _only(price, PRICE_DATA_PARAMS, f"{prefix}[price_data]")
        if price.get("recurring"):
            raise _invalid(
                "You specified `payment` mode but passed a recurring price.", f"{prefix}[price_data][recurring]"
            )
        currency = _currency(_required(price, "currency", f"{prefix}[price_data]"), f"{prefix}[price_data][currency]")
        unit_param = f"{prefix}[price_data][unit_amount]"
        unit_amount = _integer(_required(price, "unit_amount", f"{prefix}[price_data]"), unit_param, 1)
        if unit_amount % AMOUNT_STEP.get(currency, 1):
            raise _invalid(
                f"Invalid amount. Amounts in {currency.upper()} must be evenly divisible by "
                f"{AMOUNT_STEP[currency]}. See https://stripe.com/docs/currencies#special-cases for more information.",
                unit_param,
                "invalid_charge_amount",
            )
        if price.get("product"):
            raise _no_such(
                "product",
                _str(price["product"], f"{prefix}[price_data][product]"),
                f"{prefix}[price_data][product]",
                400,
            )
        product = _as_hash(price.get("product_data"), f"{prefix}[price_data][product_data]")
        _only(product, PRODUCT_DATA_PARAMS, f"{prefix}[price_data][product_data]")
        name = _required(product, "name", f"{prefix}[price_data][product_data]")
        quantity = _integer(_required(item, "quantity", prefix), f"{prefix}[quantity]", 1)
        if lines and currency != lines[0]["currency"]:
            raise _invalid(
                f"All line items must be in the same currency: {prefix} is in '{currency}', "
                f"line_items[0] in '{lines[0]['currency']}'.",
                f"{prefix}[price_data][currency]",
            )
        lines.append(_line_item(currency, unit_amount, quantity, name, product.get("description")))
    return lines


def _line_item(currency: str, unit_amount: int, quantity: int, name: str, description: Any) -> Obj:
    amount = unit_amount * quantity
    product_id = _new_id("prod_", 14)
    return {
        "id": _new_id("li_"),
        "object": "item",
        "amount_discount": 0,
        "amount_subtotal": amount,
        "amount_tax": 0,
        "amount_total": amount,
        "currency": currency,
        "description": name,
        "price": {
            "id": _new_id("price_"),
            "object": "price",
            "active": False,
            "billing_scheme": "per_unit",
            "currency": currency,
            "livemode": False,
            "metadata": {},
            "product": product_id,
            "product_description": description,
            "type": "one_time",
            "unit_amount": unit_amount,
            "unit_amount_decimal": str(unit_amount),
        },
        "quantity": quantity,
    }


def _intent_data(params: Obj, account: str | None, total: int) -> Obj:
    data = _as_hash(params.get("payment_intent_data"), "payment_intent_data")
    _only(data, INTENT_DATA_PARAMS, "payment_intent_data")
    fee: int | None = None
    if data.get("application_fee_amount") not in (None, ""):
        param = "payment_intent_data[application_fee_amount]"
        fee = _integer(_str(data["application_fee_amount"], param), param)
        if account is None:
            raise _invalid(
                "Can only apply an application_fee_amount when the PaymentIntent is attempting a direct payment "
                "(using an OAuth key or Stripe-Account header) or destination payment (using "
                "`transfer_data[destination]`).",
                param,
            )
        if fee > total:
            raise _invalid("The application fee cannot be greater than the amount of the payment.", param)
    capture = _optional(data, "capture_method", "payment_intent_data")
    if capture not in (None, "automatic", "automatic_async"):
        raise _unsupported("capture_method=manual", "payment_intent_data[capture_method]")
    receipt_email = _optional(data, "receipt_email", "payment_intent_data")
    if receipt_email is not None:
        _email(receipt_email, "payment_intent_data[receipt_email]")
    return {
        "metadata": _metadata(data.get("metadata"), "payment_intent_data[metadata]"),
        "application_fee_amount": fee,
        "description": _optional(data, "description", "payment_intent_data", longest=1000),
        "receipt_email": receipt_email,
        "statement_descriptor": _optional(data, "statement_descriptor", "payment_intent_data", longest=22),
    }


def _total(lines: list[Obj]) -> int:
    total = sum(int(line["amount_total"]) for line in lines)
    currency = lines[0]["currency"]
    if total > MAX_AMOUNT:
        raise _invalid(f"The Checkout Session's total amount must be at most {MAX_AMOUNT}.", None, "amount_too_large")
    if total < MIN_CHARGE.get(currency, 1):
        raise _invalid(
            f"The Checkout Session's total amount due must add up to at least {MIN_CHARGE[currency]} "
            f"(in the smallest unit of {currency}).",
            None,
            "amount_too_small",
        )
    return total


def _expires_at(params: Obj, now: int) -> int:
    if params.get("expires_at") in (None, ""):
        return now + SESSION_SECONDS
    expires_at = _integer(_str(params["expires_at"], "expires_at"), "expires_at")
    # Measured from the moment the session is created, as Stripe does: a caller asking for exactly
    # 30 minutes from its own clock can be refused.
    if expires_at - now < SESSION_MIN_SECONDS:
        raise _invalid(
            "The `expires_at` timestamp must be at least 30 minutes from Checkout Session creation.", "expires_at"
        )
    if expires_at - now > SESSION_SECONDS:
        raise _invalid(
            "The `expires_at` timestamp must be less than 24 hours from Checkout Session creation.", "expires_at"
        )
    return expires_at


def _create_session(state: _State, call: _Call) -> Obj:
    params = call.params
    _only(params, SESSION_PARAMS)
    if call.account is not None and not state.accounts[call.account]["charges_enabled"]:
        raise _invalid(
            "This account cannot currently make charges. To find out why charge creation is currently disabled, "
            f"look at the `requirements.disabled_reason` property on this account (/v1/accounts/{call.account})."
        )
    mode = _required(params, "mode")
    if mode not in ("payment", "setup", "subscription"):
        raise _invalid(f"Invalid mode: must be one of payment, setup, or subscription (got '{mode}')", "mode")
    if mode != "payment":
        raise _unsupported(f"mode={mode}", "mode")
    if (_optional(params, "ui_mode") or "hosted") != "hosted":
        raise _unsupported("ui_mode other than hosted", "ui_mode")
    if params.get("customer"):
        raise _no_such("customer", _str(params["customer"], "customer"), "customer", 400)
    lines = _line_items(params)
    currency = lines[0]["currency"]
    total = _total(lines)
    success_url = _url(_required(params, "success_url"), "success_url")
    cancel_url = _optional(params, "cancel_url")
    if cancel_url is not None:
        _url(cancel_url, "cancel_url")
    now = state.now()
    expires_at = _expires_at(params, now)
    customer_email = _optional(params, "customer_email")
    if customer_email is not None:
        _email(customer_email, "customer_email")
    locale = _optional(params, "locale")
    if locale is not None and locale not in LOCALES:
        raise _invalid(f"Invalid locale: {locale}", "locale")
    reference = _optional(params, "client_reference_id", longest=200)
    metadata = _metadata(params.get("metadata"), "metadata")
    intent_data = _intent_data(params, call.account, total)
    session_id = _new_id("cs_test_a1", 56)
    session: Obj = {
        "id": session_id,
        "object": "checkout.session",
        "adaptive_pricing": {"enabled": False},
        "after_expiration": None,
        "allow_promotion_codes": None,
        "amount_subtotal": total,
        "amount_total": total,
        "automatic_tax": {"enabled": False, "liability": None, "provider": None, "status": None},
        "billing_address_collection": None,
        "cancel_url": cancel_url,
        "client_reference_id": reference,
        "client_secret": None,
        "collected_information": None,
        "consent": None,
        "consent_collection": None,
        "created": now,
        "currency": currency,
        "custom_fields": [],
        "custom_text": {
            "after_submit": None,
            "shipping_address": None,
            "submit": None,
            "terms_of_service_acceptance": None,
        },
        "customer": None,
        "customer_creation": "if_required",
        "customer_details": None,
        "customer_email": customer_email,
        "discounts": [],
        "expires_at": expires_at,
        "invoice": None,
        "invoice_creation": None,
        "livemode": False,
        "locale": locale,
        "metadata": metadata,
        "mode": mode,
        "payment_intent": None,  # created when the customer first tries to pay
        "payment_link": None,
        "payment_method_collection": "if_required",
        "payment_method_options": {},
        "payment_method_types": ["card"],
        "payment_status": "unpaid",
        "phone_number_collection": {"enabled": False},
        "recovered_from": None,
        "setup_intent": None,
        "shipping_address_collection": None,
        "shipping_cost": None,
        "shipping_options": [],
        "status": "open",
        "submit_type": None,
        "subscription": None,
        "success_url": success_url,
        "total_details": {"amount_discount": 0, "amount_shipping": 0, "amount_tax": 0},
        "ui_mode": "hosted",
        "url": f"{state.base_url}/checkout/{session_id}",
    }
    state.store(session, call.account)
    state.line_items[session_id] = lines
    state.intent_data[session_id] = intent_data
    return session


def _retrieve_session(state: _State, call: _Call) -> Obj:
    _only(call.params, EXPAND_ONLY)
    session = state.find("checkout.session", call.target, call.account, "session")
    state.expire_if_due(session, call.out)
    return session


def _session_line_items(state: _State, call: _Call) -> Obj:
    _only(call.params, LIST_PARAMS)
    session = state.find("checkout.session", call.target, call.account, "session")
    return _list(state.line_items[session["id"]], f"/v1/checkout/sessions/{session['id']}/line_items")


def _list(data: list[Obj], url: str) -> Obj:
    return {"object": "list", "data": data, "has_more": False, "url": url}


def _expire_session(state: _State, call: _Call) -> Obj:
    _only(call.params, EXPAND_ONLY)
    session = state.find("checkout.session", call.target, call.account, "session")
    state.expire_if_due(session, call.out)
    if session["status"] != "open":
        raise _invalid(
            'Only Checkout Sessions with a status in ["open"] can be expired. '
            f"This Checkout Session has a status of `{session['status']}`."
        )
    state.expire(session, call.out, call.request)
    return session


def _retriever(kind: str, param: str) -> _Route:
    def retrieve(state: _State, call: _Call) -> Obj:
        _only(call.params, EXPAND_ONLY)
        return state.find(kind, call.target, call.account, param)

    return retrieve


def _retrieve_event(state: _State, call: _Call) -> Obj:
    _only(call.params, EXPAND_ONLY)
    record = state.events_by_id.get(call.target)
    if record is None or record.event.get("account") != call.account:
        raise _no_such("event", call.target, "id")
    return record.event


_ID = r"([A-Za-z0-9_]+)"
REFUND_REASONS = frozenset({"duplicate", "fraudulent", "requested_by_customer"})


def _create_refund(state: _State, call: _Call) -> Obj:
    """POST /v1/refunds: of a PaymentIntent's charge (or a charge), all that is left unless `amount` says."""
    _only(call.params, frozenset({"payment_intent", "charge", "amount", "reason", "metadata", "expand"}))
    if ("payment_intent" in call.params) == ("charge" in call.params):
        raise _invalid("You must pass exactly one of payment_intent or charge.")
    if "payment_intent" in call.params:
        intent = state.find(
            "payment_intent", _str(call.params["payment_intent"], "payment_intent"), call.account, "payment_intent"
        )
        if not intent.get("latest_charge"):
            raise _invalid(
                f"PaymentIntent {intent['id']} does not have a successful charge to refund.",
                "payment_intent",
                "charge_not_refundable",
            )
        charge = state.find("charge", intent["latest_charge"], call.account, "charge")
    else:
        charge = state.find("charge", _str(call.params["charge"], "charge"), call.account, "charge")
    amount = charge["amount_captured"] - charge["amount_refunded"]
    if "amount" in call.params:
        amount = _integer(_str(call.params["amount"], "amount"), "amount", minimum=1)
    reason = _optional(call.params, "reason")
    if reason is not None and reason not in REFUND_REASONS:
        raise _invalid(f"Invalid reason: must be one of {', '.join(sorted(REFUND_REASONS))}", "reason")
    metadata = _metadata(call.params["metadata"], "metadata") if "metadata" in call.params else None
    return _refund(state, charge, amount, call.out, metadata=metadata, reason=reason, request=call.request)


ROUTES: list[tuple[str, re.Pattern[str], _Route]] = [
    ("POST", re.compile(r"/v1/accounts"), _create_account),
    ("GET", re.compile(rf"/v1/accounts/{_ID}"), _retrieve_account),
    ("GET", re.compile(r"/v1/account"), _current_account),
    ("POST", re.compile(r"/v1/account_links"), _create_account_link),
    ("POST", re.compile(r"/v1/checkout/sessions"), _create_session),
    ("GET", re.compile(rf"/v1/checkout/sessions/{_ID}"), _retrieve_session),
    ("GET", re.compile(rf"/v1/checkout/sessions/{_ID}/line_items"), _session_line_items),
    ("POST", re.compile(rf"/v1/checkout/sessions/{_ID}/expire"), _expire_session),
    ("GET", re.compile(rf"/v1/payment_intents/{_ID}"), _retriever("payment_intent", "intent")),
    ("GET", re.compile(rf"/v1/charges/{_ID}"), _retriever("charge", "charge")),
    ("GET", re.compile(rf"/v1/disputes/{_ID}"), _retriever("dispute", "dispute")),
    ("GET", re.compile(rf"/v1/events/{_ID}"), _retrieve_event),
    ("POST", re.compile(r"/v1/refunds"), _create_refund),
]


def _expand(state: _State, obj: Obj, paths: list[str], account: str | None) -> Obj:
    """A copy of `obj` with the ids at `paths` (as "payment_intent.latest_charge") replaced by their objects."""
    result = copy.deepcopy(obj)
    for path in paths:
        head, _, rest = path.partition(".")
        value = result.get(head, ...)
        if head == "line_items" and result.get("object") == "checkout.session":
            result["line_items"] = _list(
                state.line_items[result["id"]], f"/v1/checkout/sessions/{result['id']}/line_items"
            )
        elif isinstance(value, str) and value in state.objects and state.owner.get(value) == account:
            result[head] = _expand(state, state.objects[value], [rest] if rest else [], account)
        elif isinstance(value, dict) and rest:
            result[head] = _expand(state, value, [rest], account)
        elif value is not None:
            raise _invalid(f"This property cannot be expanded ({head}).", "expand")
    return result


def _authenticate(state: _State, authorization: str | None) -> None:
    key = None
    if authorization and authorization.lower().startswith("bearer "):
        key = authorization[7:].strip()
    elif authorization and authorization.lower().startswith("basic "):  # curl -u sk_test_...:
        try:
            key = base64.b64decode(authorization[6:].strip()).decode().split(":", 1)[0]
        except (ValueError, UnicodeDecodeError):
            key = ""
    if not key:
        raise StripeError(
            401,
            "You did not provide an API key. You need to provide your API key in the Authorization header, using "
            "Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See "
            "https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
        )
    if not secrets.compare_digest(key.encode(), state.api_key.encode()):
        masked = key[:8] + "*" * max(len(key) - 12, 4) + key[-4:] if len(key) > 12 else "*" * len(key)
        raise StripeError(401, f"Invalid API Key provided: {masked}", code="api_key_invalid")


def handle_api(state: _State, method: str, target: str, body: bytes, headers: Mapping[str, str]) -> ApiReply:
    """One /v1 request. `headers` has lower-case names. Events it caused are in the reply, not yet sent."""
    url = urlsplit(target)
    request_id = _new_id("req_", 14)
    version = headers.get("stripe-version") or API_VERSION
    reply_headers = {"Request-Id": request_id, "Stripe-Version": version}
    idempotency_key = headers.get("idempotency-key") if method == "POST" else None
    if idempotency_key:
        reply_headers["Idempotency-Key"] = idempotency_key
    out: list[_Event] = []  # delivered even when the request fails: a lazy expiry may have happened first
    try:
        _authenticate(state, headers.get("authorization"))
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}(\.[a-z]+)?", version):
            raise _invalid(f"Invalid Stripe API version: {version}")
        if idempotency_key is not None and len(idempotency_key) > 255:
            raise _invalid("Idempotency keys can be up to 255 characters long.", None, "idempotency_key_too_long")
        params = parse_params(body.decode("utf-8", "replace") if method == "POST" else url.query)
        handler, path_id = _route(method, url.path)
        with state.lock:
            account = headers.get("stripe-account") or None
            if account is not None:
                state.connected(account)
            endpoint = f"{method} {url.path}"
            if idempotency_key:
                saved = _saved(state, account, idempotency_key, endpoint, params)
                if saved is not None:
                    reply_headers.update({"Idempotent-Replayed": "true", "Original-Request": saved.request_id})
                    return ApiReply(saved.status, copy.deepcopy(saved.body), reply_headers, out)
            call = _Call(params, account, path_id, {"id": request_id, "idempotency_key": idempotency_key}, out)
            result = _expand(state, handler(state, call), _expand_paths(params), account)
            if idempotency_key:
                # Only a request that got to run is kept: one refused by validation can be retried with the same key.
                saved = _Saved(endpoint, params, 200, copy.deepcopy(result), request_id, time.time())
                state.saved[(account, idempotency_key)] = saved
            return ApiReply(200, result, reply_headers, out)
    except StripeError as error:
        return ApiReply(error.status, error.body(), reply_headers, out)


def _route(method: str, path: str) -> tuple[_Route, str]:
    for route_method, pattern, handler in ROUTES:
        match = pattern.fullmatch(path)
        if match and route_method == method:
            return handler, match.group(1) if pattern.groups else ""
    raise StripeError(
        404,
        f"Unrecognized request URL ({method}: {path}). Please see https://stripe.com/docs or we can help at "
        "https://support.stripe.com/.",
    )


def _saved(state: _State, account: str | None, key: str, endpoint: str, params: Obj) -> _Saved | None:
    saved = state.saved.get((account, key))
    if saved is None or time.time() - saved.at > IDEMPOTENCY_SECONDS:
        return None
    if saved.endpoint != endpoint:
        raise StripeError(
            400,
            f"Keys for idempotent requests can only be used for the same endpoint they were first used for "
            f"('{saved.endpoint}' vs '{endpoint}'). Try using a key other than '{key}' if you meant to execute a "
            "different request.",
            type="idempotency_error",
        )
    if saved.params != params:
        raise StripeError(
            400,
            "Keys for idempotent requests can only be used with the same parameters they were first used with. "
            f"Try using a key other than '{key}' if you meant to execute a different request.",
            type="idempotency_error",
        )
    return saved


# The hosted pages.


def _business(state: _State, session_id: str) -> str:
    account_id = state.owner.get(session_id)
    account = state.platform if account_id is None else state.accounts[account_id]
    profile = account["business_profile"]
    return str(profile.get("name") or account.get("email") or account["id"])


def checkout_view(state: _State, session_id: str) -> tuple[PageReply, list[_Event]]:
    out: list[_Event] = []
    with state.lock:
        session = state.objects.get(session_id)
        if session is None or session["object"] != "checkout.session":
            return PageReply(404, not_found_page("No such checkout session.")), out
        state.expire_if_due(session, out)
        page = _checkout_html(state, session, None, None)
    return PageReply(200, page), out


def _checkout_html(state: _State, session: Obj, email: str | None, message: str | None) -> str:
    business = _business(state, session["id"])
    if session["status"] != "open":
        return closed_checkout_page(session, business)
    shown = email or session.get("customer_email") or "jenny.rosen@example.com"
    return checkout_page(session, state.line_items[session["id"]], business, email=shown, message=message)


def checkout_submit(state: _State, session_id: str, form: Obj) -> tuple[PageReply, list[_Event]]:
    """A button on the checkout page: pay, decline, or pay by bank transfer."""
    out: list[_Event] = []
    outcome = form.get("outcome")
    with state.lock:
        session = state.objects.get(session_id)
        if session is None or session["object"] != "checkout.session":
            return PageReply(404, not_found_page("No such checkout session.")), out
        state.expire_if_due(session, out)
        if session["status"] != "open" or outcome not in ("pay", "decline", "delayed"):
            return PageReply(
                409 if session["status"] != "open" else 400, _checkout_html(state, session, None, None)
            ), out
        email = session.get("customer_email") or (form.get("email") if isinstance(form.get("email"), str) else None)
        intent = _intent_for(state, session)
        account = state.owner[session_id]
        if outcome == "decline":
            _fail(intent, "card_error", "card_declined", "Your card was declined.", decline_code="generic_decline")
            state.emit("payment_intent.payment_failed", intent, account, out)
            return PageReply(402, _checkout_html(state, session, email, "Your card was declined.")), out
        details: Obj = {
            "address": None,
            "email": email or None,
            "name": None,
            "phone": None,
            "tax_exempt": "none",
            "tax_ids": [],
        }
        session.update(status="complete", url=None, customer_details=details)
        if outcome == "pay":
            _succeed(state, intent, "card")
            session["payment_status"] = "paid"
        else:
            intent.update(status="processing", last_payment_error=None, payment_method_types=["sepa_debit"])
            intent["processing"] = {"type": "sepa_debit"}
        state.emit("checkout.session.completed", session, account, out)
        location = session["success_url"].replace("{CHECKOUT_SESSION_ID}", session_id)
    return PageReply(303, location=location), out


def _intent_for(state: _State, session: Obj) -> Obj:
    """The session's PaymentIntent, created on the first attempt to pay and reused by the next ones."""
    if session["payment_intent"]:
        return state.objects[session["payment_intent"]]
    data = state.intent_data[session["id"]]
    intent_id = _new_id("pi_")
    intent = {
        "id": intent_id,
        "object": "payment_intent",
        "amount": session["amount_total"],
        "amount_capturable": 0,
        "amount_received": 0,
        "application": state.application["id"] if state.owner[session["id"]] else None,
        "application_fee_amount": data["application_fee_amount"],
        "automatic_payment_methods": None,
        "canceled_at": None,
        "cancellation_reason": None,
        "capture_method": "automatic_async",
        "client_secret": f"{intent_id}_secret_{_new_id('', 25)}",
        "confirmation_method": "automatic",
        "created": state.now(),
        "currency": session["currency"],
        "customer": None,
        "description": data["description"],
        "last_payment_error": None,
        "latest_charge": None,
        "livemode": False,
        "metadata": dict(data["metadata"]),
        "next_action": None,
        "on_behalf_of": None,
        "payment_method": None,
        "payment_method_options": {},
        "payment_method_types": ["card"],
        "processing": None,
        "receipt_email": data["receipt_email"],
        "setup_future_usage": None,
        "shipping": None,
        "statement_descriptor": data["statement_descriptor"],
        "statement_descriptor_suffix": None,
        "status": "requires_payment_method",
        "transfer_data": None,
        "transfer_group": None,
    }
    state.store(intent, state.owner[session["id"]])
    session["payment_intent"] = intent_id
    return intent


def _fail(intent: Obj, type_: str, code: str, message: str, *, decline_code: str | None = None) -> None:
    error: Obj = {"type": type_, "code": code, "message": message}
    if decline_code:
        error["decline_code"] = decline_code
    error["doc_url"] = f"https://stripe.com/docs/error-codes/{code.replace('_', '-')}"
    error["payment_method"] = {
        "id": _new_id("pm_"),
        "object": "payment_method",
        "type": intent["payment_method_types"][0],
    }
    intent.update(status="requires_payment_method", last_payment_error=error, payment_method=None, processing=None)


def _succeed(state: _State, intent: Obj, method: str) -> Obj:
    """The PaymentIntent succeeds with a new Charge for its whole amount."""
    payment_method = _new_id("pm_")
    charge_id = _new_id("ch_")
    details: Obj = {"type": method}
    if method == "card":
        details["card"] = {"brand": "visa", "country": "US", "exp_month": 12, "exp_year": 2034, "funding": "credit"}
        details["card"] |= {"last4": "4242", "network": "visa"}
    else:
        details[method] = {"bank_code": "37040044", "country": "DE", "last4": "3000"}
    charge = {
        "id": charge_id,
        "object": "charge",
        "amount": intent["amount"],
        "amount_captured": intent["amount"],
        "amount_refunded": 0,
        "application": intent["application"],
        "application_fee": None,
        "application_fee_amount": intent["application_fee_amount"],
        "balance_transaction": _new_id("txn_"),
        "billing_details": {"address": None, "email": None, "name": None, "phone": None},
        "calculated_statement_descriptor": "COLLECTRA",
        "captured": True,
        "created": state.now(),
        "currency": intent["currency"],
        "customer": None,
        "description": intent["description"],
        "disputed": False,
        "failure_balance_transaction": None,
        "failure_code": None,
        "failure_message": None,
        "fraud_details": {},
        "livemode": False,
        "metadata": dict(intent["metadata"]),
        "on_behalf_of": None,
        "outcome": {
            "network_status": "approved_by_network",
            "reason": None,
            "risk_level": "normal",
            "seller_message": "Payment complete.",
            "type": "authorized",
        },
        "paid": True,
        "payment_intent": intent["id"],
        "payment_method": payment_method,
        "payment_method_details": details,
        "receipt_email": intent["receipt_email"],
        "receipt_url": None,
        "refunded": False,
        "refunds": _list([], f"/v1/charges/{charge_id}/refunds"),
        "review": None,
        "status": "succeeded",
        "transfer_data": None,
        "transfer_group": None,
    }
    state.store(charge, state.owner[intent["id"]])
    intent.update(
        status="succeeded",
        amount_received=intent["amount"],
        latest_charge=charge_id,
        last_payment_error=None,
        payment_method=payment_method,
        payment_method_types=[method],
        processing=None,
    )
    return charge


def onboarding_view(state: _State, link_id: str, complete: bool) -> tuple[PageReply, list[_Event]]:
    """The onboarding page, or (complete) its button. A used or stale link sends to refresh_url, as Stripe's do."""
    out: list[_Event] = []
    with state.lock:
        link = state.links.get(link_id)
        if link is None or link["account"] in state.revoked:
            return PageReply(404, not_found_page("No such account link.")), out
        if link["used"] or state.now() > link["expires_at"]:
            return PageReply(303, location=link["refresh_url"]), out
        account = state.accounts[link["account"]]
        if not complete:
            return PageReply(200, onboarding_page(account, link_id, link["return_url"])), out
        link["used"] = True
        previous = _set_enabled(account, {"details_submitted": True, "charges_enabled": True, "payouts_enabled": True})
        account["tos_acceptance"] = {"date": state.now(), "ip": "127.0.0.1", "user_agent": "Stripe stand-in"}
        state.emit("account.updated", account, account["id"], out, previous=previous)
    return PageReply(303, location=link["return_url"]), out


# Control endpoints: each changes state under the lock, then delivers what it caused before answering.


def _body_json(body: bytes) -> Obj:
    try:
        value = json.loads(body or b"{}")
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise _invalid("The body must be JSON.") from None
    if not isinstance(value, dict):
        raise _invalid("The body must be a JSON object.")
    return value


def _any(state: _State, kind: str, object_id: str) -> Obj:
    obj = state.objects.get(object_id)
    if obj is None or obj["object"] != kind:
        raise _no_such(kind, object_id, "id")
    return obj


def _control_async(state: _State, target: str, spec: Obj, out: list[_Event]) -> Obj:
    session = _any(state, "checkout.session", target)
    outcome = spec.get("outcome")
    if outcome not in ("succeeded", "failed"):
        raise _invalid('outcome must be "succeeded" or "failed"', "outcome")
    intent_id = session.get("payment_intent")
    intent = state.objects.get(intent_id) if intent_id else None
    if session["status"] != "complete" or intent is None or intent["status"] != "processing":
        raise _invalid("Only a completed session whose payment is processing (a bank transfer) can settle.")
    account = state.owner[target]
    if outcome == "succeeded":
        _succeed(state, intent, "sepa_debit")
        session["payment_status"] = "paid"
        state.emit("checkout.session.async_payment_succeeded", session, account, out)
    else:
        _fail(intent, "invalid_request_error", "payment_method_provider_decline", "The bank transfer failed.")
        state.emit("checkout.session.async_payment_failed", session, account, out)
    return session


def _control_refund(state: _State, target: str, spec: Obj, out: list[_Event]) -> Obj:
    charge = _any(state, "charge", target)
    amount = spec.get("amount", charge["amount_captured"] - charge["amount_refunded"])
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise _invalid("amount must be a positive integer", "amount")
    _refund(state, charge, amount, out)
    return charge


def _refund(
    state: _State,
    charge: Obj,
    amount: int,
    out: list[_Event],
    *,
    metadata: dict[str, str] | None = None,
    reason: str | None = None,
    request: Obj | None = None,
) -> Obj:
    """A refund of `amount` of the charge, succeeded at once (as card refunds in test mode), and its event."""
    left = charge["amount_captured"] - charge["amount_refunded"]
    if left == 0:
        raise _invalid(f"Charge {charge['id']} has already been refunded.", None, "charge_already_refunded")
    if amount > left:
        raise _invalid(f"Refund amount ({amount}) is greater than unrefunded amount on charge ({left})", "amount")
    previous = {"amount_refunded": charge["amount_refunded"], "refunded": charge["refunded"]}
    refund = {
        "id": _new_id("re_"),
        "object": "refund",
        "amount": amount,
        "charge": charge["id"],
        "created": state.now(),
        "currency": charge["currency"],
        "metadata": metadata or {},
        "payment_intent": charge["payment_intent"],
        "reason": reason,
        "status": "succeeded",
    }
    account = state.owner[charge["id"]]
    state.store(refund, account)
    charge["amount_refunded"] += amount
    charge["refunded"] = charge["amount_refunded"] == charge["amount_captured"]
    charge["refunds"]["data"].insert(0, refund)
    state.emit("charge.refunded", charge, account, out, previous=previous, request=request)
    return refund


def _control_dispute(state: _State, target: str, _spec: Obj, out: list[_Event]) -> Obj:
    charge = _any(state, "charge", target)
    if charge["disputed"]:
        raise _invalid(f"Charge {target} is already disputed.")
    now = state.now()
    dispute = {
        "id": _new_id("dp_"),
        "object": "dispute",
        "amount": charge["amount"] - charge["amount_refunded"],
        "balance_transactions": [],
        "charge": target,
        "created": now,
        "currency": charge["currency"],
        "evidence": {"customer_email_address": None, "customer_name": None, "uncategorized_text": None},
        "evidence_details": {
            "due_by": now + 7 * 86400,
            "has_evidence": False,
            "past_due": False,
            "submission_count": 0,
        },
        "is_charge_refundable": False,
        "livemode": False,
        "metadata": {},
        "payment_intent": charge["payment_intent"],
        "reason": "fraudulent",
        "status": "needs_response",
    }
    state.store(dispute, state.owner[target])
    charge["disputed"] = True
    state.emit("charge.dispute.created", dispute, state.owner[target], out)
    return dispute


def _control_close_dispute(state: _State, target: str, spec: Obj, out: list[_Event]) -> Obj:
    dispute = _any(state, "dispute", target)
    status = spec.get("status")
    if status not in ("won", "lost"):
        raise _invalid('status must be "won" or "lost"', "status")
    if dispute["status"] in ("won", "lost"):
        raise _invalid(f"Dispute {target} is already closed ({dispute['status']}).")
    dispute["status"] = status
    state.emit("charge.dispute.closed", dispute, state.owner[target], out)
    return dispute


def _control_update_account(state: _State, target: str, spec: Obj, out: list[_Event]) -> Obj:
    account = state.connected(target)
    allowed = ("charges_enabled", "details_submitted", "payouts_enabled")
    if not spec or any(key not in allowed or not isinstance(value, bool) for key, value in spec.items()):
        raise _invalid(f"Give one or more of {', '.join(allowed)}, each true or false.")
    previous = _set_enabled(account, spec)
    state.emit("account.updated", account, target, out, previous=previous)
    return account


def _control_deauthorize(state: _State, target: str, _spec: Obj, out: list[_Event]) -> Obj:
    state.connected(target)
    state.revoked.add(target)
    state.emit("account.application.deauthorized", state.application, target, out)
    return state.application


def _control_send(state: _State, _target: str, spec: Obj, out: list[_Event]) -> Obj:
    type_, account, obj = spec.get("type"), spec.get("account"), spec.get("object")
    if not isinstance(type_, str) or not type_ or not isinstance(obj, dict):
        raise _invalid('Give {"type": "...", "object": {...}} and optionally "account".')
    if account is not None and not isinstance(account, str):
        raise _invalid("account must be a string", "account")
    return state.emit(type_, obj, account, out).event


def _control_clock(state: _State, _target: str, spec: Obj, out: list[_Event]) -> Obj:
    seconds = spec.get("advance")
    if isinstance(seconds, bool) or not isinstance(seconds, int) or seconds < 0:
        raise _invalid("advance must be a number of seconds, 0 or more", "advance")
    state.offset += seconds
    state.expire_due(out)
    return {"now": state.now()}


_Control = Callable[[_State, str, Obj, list[_Event]], Obj]
CONTROLS: list[tuple[re.Pattern[str], _Control]] = [
    (re.compile(rf"/_control/sessions/{_ID}/async"), _control_async),
    (re.compile(rf"/_control/charges/{_ID}/refund"), _control_refund),
    (re.compile(rf"/_control/charges/{_ID}/dispute"), _control_dispute),
    (re.compile(rf"/_control/disputes/{_ID}/close"), _control_close_dispute),
    (re.compile(rf"/_control/accounts/{_ID}/update"), _control_update_account),
    (re.compile(rf"/_control/accounts/{_ID}/deauthorize"), _control_deauthorize),
    (re.compile(r"/_control/send"), _control_send),
    (re.compile(r"/_control/clock"), _control_clock),
]


def handle_control(state: _State, method: str, path: str, body: bytes) -> tuple[int, Obj]:
    try:
        if method == "GET" and path == "/_control/events":
            with state.lock:
                return 200, {"events": [record.summary() for record in state.events]}
        if method != "POST":
            raise StripeError(404, f"Unknown control endpoint: {method} {path}")
        spec = _body_json(body)
        if path == "/_control/hold":
            with state.lock:
                state.holding = True
            return 200, {"holding": True}
        if path == "/_control/release":
            return _release(state, spec.get("order", "as_created"))
        match = re.fullmatch(rf"/_control/events/{_ID}/redeliver", path)
        if match:
            return _redeliver(state, match.group(1))
        for pattern, control in CONTROLS:
            match = pattern.fullmatch(path)
            if match:
                out: list[_Event] = []
                with state.lock:
                    first = len(state.events)
                    result = copy.deepcopy(control(state, match.group(1) if pattern.groups else "", spec, out))
                    caused = state.events[first:]  # held ones included, which `out` leaves out
                state.deliver_all(out)
                with state.lock:
                    events = [record.summary() for record in caused]
                return 200, {"object": result, "events": events}
        raise StripeError(404, f"Unknown control endpoint: {method} {path}")
    except StripeError as error:
        return error.status, error.body()


def _redeliver(state: _State, event_id: str) -> tuple[int, Obj]:
    with state.lock:
        record = state.events_by_id.get(event_id)
    if record is None:
        raise _no_such("event", event_id, "id")
    if not state.webhook_url:
        raise _invalid("There is no webhook_url to deliver to.")
    return 200, {"event": event_id, "status": state.deliver(record)}


def _release(state: _State, order: Any) -> tuple[int, Obj]:
    with state.lock:
        held = {record.event["id"]: record for record in state.held}
        if order == "as_created":
            chosen = list(state.held)
        elif order == "reverse":
            chosen = list(reversed(state.held))
        elif isinstance(order, list) and all(isinstance(item, str) and item in held for item in order):
            # The listed events first, in that order; any held event not listed follows in creation order.
            chosen = [held[item] for item in dict.fromkeys(order)]
            chosen += [record for record in state.held if record.event["id"] not in order]
        else:
            raise _invalid('order must be "as_created", "reverse" or a list of held event ids', "order")
        state.held.clear()
        state.holding = False
    delivered = [
        {"id": record.event["id"], "type": record.event["type"], "status": state.deliver(record)} for record in chosen
    ]
    return 200, {"delivered": delivered}


# The HTTP server.


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    state: _State


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server
    timeout = 60
    # Headers and body leave in one write: sent apart, Nagle and the client's delayed ACK cost 40 ms a call.
    wbufsize = 1 << 16

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def _dispatch(self, method: str) -> None:
        state = self.server.state
        body = self.rfile.read(int(self.headers.get("content-length") or 0))
        path = urlsplit(self.path).path
        if path.startswith("/v1/"):
            headers = {name.lower(): value for name, value in reversed(self.headers.items())}
            reply = handle_api(state, method, self.path, body, headers)
            if reply.events:
                # The client must not wait for the webhook on a kept-alive connection: close it after answering.
                reply.headers["Connection"] = "close"
            self._json(reply.status, reply.body, reply.headers)
            self.wfile.flush()
            state.deliver_all(reply.events)
        elif path.startswith("/_control/"):
            status, payload = handle_control(state, method, path, body)
            self._json(status, payload)
        else:
            self._page(method, path, body)

    def _page(self, method: str, path: str, body: bytes) -> None:
        state = self.server.state
        checkout = re.fullmatch(rf"/checkout/{_ID}", path)
        onboarding = re.fullmatch(rf"/connect/onboarding/{_ID}", path)
        if checkout and method == "GET":
            reply, events = checkout_view(state, checkout.group(1))
        elif checkout and method == "POST":
            form = dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
            reply, events = checkout_submit(state, checkout.group(1), form)
        elif onboarding and method in ("GET", "POST"):
            reply, events = onboarding_view(state, onboarding.group(1), complete=method == "POST")
        else:
            reply, events = PageReply(404, not_found_page(f"Nothing at {path}.")), []
        # The page's request waits for the webhooks, so whatever the browser sees next already knows.
        state.deliver_all(events)
        if reply.location is not None:
            self._write(reply.status, b"", None, {"Location": reply.location})
        else:
            self._write(
                reply.status, (reply.html or "").encode(), "text/html; charset=utf-8", {"Cache-Control": "no-store"}
            )

    def _json(self, status: int, payload: Any, headers: Mapping[str, str] | None = None) -> None:
        self._write(status, json.dumps(payload, indent=2).encode(), "application/json", headers)

    def _write(
        self, status: int, body: bytes, content_type: str | None, headers: Mapping[str, str] | None = None
    ) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def stripe_signature(payload: bytes, secrets_: Sequence[str], *, at: int) -> str:
    """A `Stripe-Signature` header as Stripe makes it: `t=<at>`, and one `v1=` HMAC-SHA256 of `<at>.<payload>`
    per signing secret (Stripe signs with two while an endpoint's secret is rotated)."""
    signed = f"{at}.".encode() + payload
    return ",".join([f"t={at}", *(f"v1={hmac.new(k.encode(), signed, hashlib.sha256).hexdigest()}" for k in secrets_)])


class StripeStandIn:
    """The stand-in on a background thread; port 0 picks a free port. `webhook_url` may be set at any time."""

    def __init__(
        self,
        port: int = 0,
        api_key: str | None = None,
        webhook_secret: str | None = None,
        webhook_url: str | None = None,
        host: str = "127.0.0.1",
    ) -> None:
        self._state = _State(api_key or new_api_key(), webhook_secret or new_webhook_secret(), webhook_url)
        self._address = (host, port)
        self._server: _Server | None = None
        self._threads: list[threading.Thread] = []
        self._stopping = threading.Event()

    @property
    def api_key(self) -> str:
        return self._state.api_key

    @property
    def webhook_secret(self) -> str:
        return self._state.webhook_secret

    @property
    def webhook_url(self) -> str | None:
        return self._state.webhook_url

    @webhook_url.setter
    def webhook_url(self, url: str | None) -> None:
        self._state.webhook_url = url

    def start(self) -> None:
        server = _Server(self._address, _Handler)
        server.state = self._state
        self._server = server
        self._state.base_url = self.url
        self._stopping.clear()
        self._threads = [
            threading.Thread(target=server.serve_forever, args=(0.1,), name="stripe", daemon=True),
            threading.Thread(target=self._sweep, name="stripe-expiry", daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    def _sweep(self) -> None:
        while not self._stopping.wait(SWEEP_SECONDS):
            out: list[_Event] = []
            with self._state.lock:
                self._state.expire_due(out)
                self._state.forget_old_keys()
            self._state.deliver_all(out)

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the Stripe stand-in is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def events(self) -> list[Obj]:
        """Every event so far, oldest first: {"event": ..., "deliveries": [status, ...], "delivered": bool}."""
        with self._state.lock:
            return [record.summary() for record in self._state.events]

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        self._stopping.set()
        for thread in self._threads:
            thread.join()
        self._threads = []

    def __enter__(self) -> StripeStandIn:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve a local stand-in for Stripe (Connect, Checkout, webhooks).")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get("COLLECTRA_STRIPE_PORT", DEFAULT_PORT)))
    parser.add_argument("--api-key", default=os.environ.get("COLLECTRA_STRIPE_API_KEY"))
    parser.add_argument("--webhook-secret", default=os.environ.get("COLLECTRA_STRIPE_WEBHOOK_SECRET"))
    parser.add_argument("--webhook-url", default=os.environ.get("COLLECTRA_STRIPE_WEBHOOK_URL"))
    args = parser.parse_args(argv)
    stand_in = StripeStandIn(args.port, args.api_key, args.webhook_secret, args.webhook_url, args.host)
    stand_in.start()
    print(f"Stripe stand-in on {stand_in.url}, events at {stand_in.url}/_control/events", flush=True)
    print(f"api-key: {stand_in.api_key}", flush=True)
    print(f"webhook-secret: {stand_in.webhook_secret}", flush=True)
    print(f"webhooks to: {stand_in.webhook_url or '(none: events are only recorded)'}", flush=True)
    try:
        wait_for_stop_signal()
    finally:
        stand_in.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
