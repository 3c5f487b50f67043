"""The Stripe objects the stand-in makes, with every field stripe-python reads, as Stripe shapes them.

Each builder takes what the caller decided and answers a new object; none stores or emits anything.
"""

from __future__ import annotations

import copy
import secrets
import string
from collections.abc import Mapping
from typing import Any

from local.stripe.parameters import as_hash, valid_metadata

Obj = dict[str, Any]

ID = r"([A-Za-z0-9_]+)"  # an object's id, where a path names one
DEFAULT_COUNTRY = "FR"
COUNTRY_CURRENCY = {"FR": "eur", "DE": "eur", "ES": "eur", "IT": "eur", "BE": "eur", "NL": "eur", "IE": "eur"}
COUNTRY_CURRENCY |= {"US": "usd", "GB": "gbp", "CH": "chf", "CA": "cad", "AU": "aud", "SE": "sek", "DK": "dkk"}


def new_id(prefix: str, length: int = 24) -> str:
    alphabet = string.ascii_letters + string.digits
    return prefix + "".join(secrets.choice(alphabet) for _ in range(length))


def list_of(data: list[Obj], url: str) -> Obj:
    return {"object": "list", "data": data, "has_more": False, "url": url}


def account(account_id: str, params: Obj, now: int) -> Obj:
    """A connected account as created: nothing submitted, no charges until onboarding is completed."""
    profile = as_hash(params.get("business_profile"), "business_profile")
    country = params.get("country") or DEFAULT_COUNTRY
    kind = params.get("type") or "standard"
    due = ["business_profile.url", "external_account", "tos_acceptance.date", "tos_acceptance.ip"]
    requested = [name for name, wanted in as_hash(params.get("capabilities"), "capabilities").items() if wanted]
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
        "external_accounts": list_of([], f"/v1/accounts/{account_id}/external_accounts"),
        "future_requirements": requirements([], None),
        "metadata": valid_metadata(params.get("metadata"), "metadata"),
        "payouts_enabled": False,
        "requirements": requirements(due, "requirements.past_due"),
        "settings": {
            "dashboard": {"display_name": profile.get("name"), "timezone": "Europe/Paris"},
            "payments": {"statement_descriptor": None},
        },
        "tos_acceptance": {"date": None, "ip": None, "user_agent": None},
        "type": kind,
    }


def requirements(due: list[str], disabled_reason: str | None) -> Obj:
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


def set_enabled(account: Obj, changes: Mapping[str, bool]) -> Obj:
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
            account["requirements"] = requirements([], None)
        else:
            account["requirements"] = requirements(["external_account"], "requirements.past_due")
    return previous


def line_item(currency: str, unit_amount: int, quantity: int, name: str, description: Any) -> Obj:
    amount = unit_amount * quantity
    return {
        "id": new_id("li_"),
        "object": "item",
        "amount_discount": 0,
        "amount_subtotal": amount,
        "amount_tax": 0,
        "amount_total": amount,
        "currency": currency,
        "description": name,
        "price": {
            "id": new_id("price_"),
            "object": "price",
            "active": False,
            "billing_scheme": "per_unit",
            "currency": currency,
            "livemode": False,
            "metadata": {},
            "product": new_id("prod_", 14),
            "product_description": description,
            "type": "one_time",
            "unit_amount": unit_amount,
            "unit_amount_decimal": str(unit_amount),
        },
        "quantity": quantity,
    }


def checkout_session(
    session_id: str,
    *,
    base_url: str,
    now: int,
    currency: str | None,
    total: int | None,
    expires_at: int,
    success_url: str,
    cancel_url: str | None,
    customer_email: str | None,
    locale: str | None,
    reference: str | None,
    metadata: dict[str, str],
    mode: str = "payment",
    customer: str | None = None,
    payment_method_types: list[str] | None = None,
    setup_intent: str | None = None,
) -> Obj:
    """An open Checkout Session at its `url`: in payment mode paid by card, in setup mode (`total` None) saving a
    payment method through its SetupIntent."""
    return {
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
        "customer": customer,
        "customer_creation": "if_required" if mode == "payment" else None,
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
        "payment_method_collection": "if_required" if mode == "payment" else "always",
        "payment_method_options": {},
        "payment_method_types": list(payment_method_types or ["card"]),
        "payment_status": "unpaid" if mode == "payment" else "no_payment_required",
        "phone_number_collection": {"enabled": False},
        "recovered_from": None,
        "setup_intent": setup_intent,
        "shipping_address_collection": None,
        "shipping_cost": None,
        "shipping_options": [],
        "status": "open",
        "submit_type": None,
        "subscription": None,
        "success_url": success_url,
        "total_details": None if total is None else {"amount_discount": 0, "amount_shipping": 0, "amount_tax": 0},
        "ui_mode": "hosted_page",
        "url": f"{base_url}/checkout/{session_id}",
    }


def payment_intent(session: Obj, data: Obj, application: str | None, now: int) -> Obj:
    """The PaymentIntent of a session's first attempt to pay; `data` is the session's payment_intent_data."""
    intent_id = new_id("pi_")
    return {
        "id": intent_id,
        "object": "payment_intent",
        "amount": session["amount_total"],
        "amount_capturable": 0,
        "amount_received": 0,
        "application": application,
        "application_fee_amount": data["application_fee_amount"],
        "automatic_payment_methods": None,
        "canceled_at": None,
        "cancellation_reason": None,
        "capture_method": "automatic_async",
        "client_secret": f"{intent_id}_secret_{new_id('', 25)}",
        "confirmation_method": "automatic",
        "created": now,
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


def payment_error(intent: Obj, type_: str, code: str, message: str, decline_code: str | None) -> Obj:
    """An intent's `last_payment_error`, naming the payment method that failed."""
    error: Obj = {"type": type_, "code": code, "message": message}
    if decline_code:
        error["decline_code"] = decline_code
    error["doc_url"] = f"https://stripe.com/docs/error-codes/{code.replace('_', '-')}"
    error["payment_method"] = {
        "id": new_id("pm_"),
        "object": "payment_method",
        "type": intent["payment_method_types"][0],
    }
    return error


def charge(intent: Obj, method: str, payment_method: str, now: int, saved: Obj | None = None) -> Obj:
    """A succeeded Charge for the intent's whole amount, paid by `method` (card or sepa_debit): by the saved
    PaymentMethod `saved` when there is one (its details are the charge's), else by what was typed on Checkout."""
    charge_id = new_id("ch_")
    details: Obj = {"type": method}
    if saved is not None:
        details[method] = copy.deepcopy(saved[method])
    elif method == "card":
        details["card"] = {"brand": "visa", "country": "US", "exp_month": 12, "exp_year": 2034, "funding": "credit"}
        details["card"] |= {"last4": "4242", "network": "visa"}
    else:
        details[method] = {"bank_code": "37040044", "country": "DE", "last4": "3000"}
    return {
        "id": charge_id,
        "object": "charge",
        "amount": intent["amount"],
        "amount_captured": intent["amount"],
        "amount_refunded": 0,
        "application": intent["application"],
        "application_fee": None,
        "application_fee_amount": intent["application_fee_amount"],
        "balance_transaction": new_id("txn_"),
        "billing_details": {"address": None, "email": None, "name": None, "phone": None},
        "calculated_statement_descriptor": "COLLECTRA",
        "captured": True,
        "created": now,
        "currency": intent["currency"],
        "customer": intent["customer"],
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
        "refunds": list_of([], f"/v1/charges/{charge_id}/refunds"),
        "review": None,
        "status": "succeeded",
        "transfer_data": None,
        "transfer_group": None,
    }


def refund(charge: Obj, amount: int, metadata: dict[str, str] | None, reason: str | None, now: int) -> Obj:
    """A refund of `amount` of the charge, succeeded at once, as card refunds are in test mode."""
    return {
        "id": new_id("re_"),
        "object": "refund",
        "amount": amount,
        "charge": charge["id"],
        "created": now,
        "currency": charge["currency"],
        "metadata": metadata or {},
        "payment_intent": charge["payment_intent"],
        "reason": reason,
        "status": "succeeded",
    }


def dispute(charge: Obj, now: int) -> Obj:
    """A fraud dispute of what is left of the charge, waiting for the business's evidence for a week."""
    return {
        "id": new_id("dp_"),
        "object": "dispute",
        "amount": charge["amount"] - charge["amount_refunded"],
        "balance_transactions": [],
        "charge": charge["id"],
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


# Saved payment methods: a Customer, the SetupIntent that saves a method, the PaymentMethod, off-session payments.


def customer(customer_id: str, params: Obj, now: int) -> Obj:
    return {
        "id": customer_id,
        "object": "customer",
        "address": None,
        "balance": 0,
        "created": now,
        "currency": None,
        "default_source": None,
        "delinquent": False,
        "description": params.get("description") or None,
        "discount": None,
        "email": params.get("email") or None,
        "invoice_prefix": new_id("", 8).upper(),
        "invoice_settings": {
            "custom_fields": None,
            "default_payment_method": None,
            "footer": None,
            "rendering_options": None,
        },
        "livemode": False,
        "metadata": valid_metadata(params.get("metadata"), "metadata"),
        "name": params.get("name") or None,
        "next_invoice_sequence": 1,
        "phone": params.get("phone") or None,
        "preferred_locales": [],
        "shipping": None,
        "tax_exempt": "none",
        "test_clock": None,
    }


def setup_intent(
    customer_id: str | None, types: list[str], metadata: dict[str, str], application: Any, now: int
) -> Obj:
    """A setup-mode Checkout Session's SetupIntent, made with the session: waits for the method the customer gives."""
    intent_id = new_id("seti_")
    return {
        "id": intent_id,
        "object": "setup_intent",
        "application": application,
        "automatic_payment_methods": None,
        "cancellation_reason": None,
        "client_secret": f"{intent_id}_secret_{new_id('', 25)}",
        "created": now,
        "customer": customer_id,
        "description": None,
        "flow_directions": None,
        "last_setup_error": None,
        "latest_attempt": None,
        "livemode": False,
        "mandate": None,
        "metadata": dict(metadata),
        "next_action": None,
        "on_behalf_of": None,
        "payment_method": None,
        "payment_method_options": {},
        "payment_method_types": list(types),
        "single_use_mandate": None,
        "status": "requires_payment_method",
        "usage": "off_session",
    }


def payment_method(kind: str, details: Obj, customer_id: str | None, email: str | None, now: int) -> Obj:
    """A card or a SEPA Direct Debit account, as saved by a setup; `details` is its `card` or `sepa_debit` hash."""
    return {
        "id": new_id("pm_"),
        "object": "payment_method",
        "allow_redisplay": "unspecified",
        "billing_details": {"address": None, "email": email, "name": None, "phone": None, "tax_id": None},
        kind: copy.deepcopy(details),
        "created": now,
        "customer": customer_id,
        "livemode": False,
        "metadata": {},
        "type": kind,
    }


def off_session_intent(params: Obj, amount: int, currency: str, *, application: Any, fee: int | None, now: int) -> Obj:
    """A PaymentIntent created through the API (not by Checkout), as created, before it is confirmed."""
    intent_id = new_id("pi_")
    return {
        "id": intent_id,
        "object": "payment_intent",
        "amount": amount,
        "amount_capturable": 0,
        "amount_received": 0,
        "application": application,
        "application_fee_amount": fee,
        "automatic_payment_methods": None,
        "canceled_at": None,
        "cancellation_reason": None,
        "capture_method": "automatic_async",
        "client_secret": f"{intent_id}_secret_{new_id('', 25)}",
        "confirmation_method": "automatic",
        "created": now,
        "currency": currency,
        "customer": params.get("customer") or None,
        "description": params.get("description") or None,
        "last_payment_error": None,
        "latest_charge": None,
        "livemode": False,
        "metadata": valid_metadata(params.get("metadata"), "metadata"),
        "next_action": None,
        "on_behalf_of": None,
        "payment_method": params.get("payment_method") or None,
        "payment_method_options": {},
        "payment_method_types": ["card"],
        "processing": None,
        "receipt_email": params.get("receipt_email") or None,
        "setup_future_usage": None,
        "shipping": None,
        "statement_descriptor": params.get("statement_descriptor") or None,
        "statement_descriptor_suffix": None,
        "status": "requires_payment_method",
        "transfer_data": None,
        "transfer_group": None,
    }
