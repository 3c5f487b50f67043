"""One API request as a route sees it, and Stripe's limits on an amount: shared by every route module."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from local.stripe.errors import invalid
from local.stripe.state import EventRecord

Obj = dict[str, Any]

MAX_AMOUNT = 99_999_999  # Stripe's ceiling for an amount: eight digits
# The smallest total Stripe accepts for a charge, in minor units, for the currencies it is commonly met in.
MIN_CHARGE = {"eur": 50, "usd": 50, "gbp": 30, "chf": 50, "cad": 50, "aud": 50, "sek": 300, "dkk": 250, "jpy": 50}
# Amounts Stripe refuses although they are whole minor units (docs.stripe.com/currencies): three-decimal currencies
# must end in 0, and ISK and UGX, zero-decimal but written with two decimals, must end in 00.
AMOUNT_STEP = {**dict.fromkeys(("bhd", "jod", "kwd", "omr", "tnd"), 10), "isk": 100, "ugx": 100}


@dataclass
class Call:
    """One API request, as the routes see it."""

    params: Obj
    account: str | None  # the Stripe-Account it acts on; None for the platform
    target: str  # the id in the path, if any
    request: Obj  # {"id", "idempotency_key"}, for the events it causes
    out: list[EventRecord]  # events to deliver once answered


def check_step(amount: int, currency: str, param: str) -> None:
    """Refuse an amount Stripe cannot take in `currency` although it is whole minor units."""
    if amount % AMOUNT_STEP.get(currency, 1):
        raise invalid(
            f"Invalid amount. Amounts in {currency.upper()} must be evenly divisible by "
            f"{AMOUNT_STEP[currency]}. See https://stripe.com/docs/currencies#special-cases for more information.",
            param,
            "invalid_charge_amount",
        )
