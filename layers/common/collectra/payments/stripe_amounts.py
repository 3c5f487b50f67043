"""Amounts at the Stripe boundary: Collectra's ISO 4217 minor units in, Stripe's `amount` out, and back.

Collectra records money in ISO 4217 minor units (`collectra.money`). Stripe's `amount` is the same number
for most currencies, but not for all (https://docs.stripe.com/currencies, "Zero-decimal", "Three-decimal"
and "Special cases"; Stripe support's note on fractional ISK, April 2023):

- MGA: two decimals in ISO 4217, zero-decimal in Stripe. Stripe's amount is ours / 100, so an amount with a
  fraction of an ariary cannot be sent.
- ISK, UGX: zero decimals in ISO 4217, but Stripe keeps them two-decimal for backwards compatibility, with
  the decimals always 00. Stripe's amount is ours x 100.
- BHD, JOD, KWD, OMR, TND: three decimals in both, but Stripe's partners need the last digit to be 0. The
  number is the same; an amount not ending in 0 is refused (never rounded: the debtor owes what is owed).
- HUF, TWD: two decimals in both. Stripe's divisible-by-100 rule for them applies to payouts, which
  Collectra never creates; charges may carry decimals, so the number passes unchanged.
- Every other currency Stripe presents: the same number.

Nothing is ever rounded here: an amount Stripe cannot represent exactly is refused with a message that says
why, so the business fixes the debt rather than the debtor paying something else. This module must not
import `stripe`: creating a debt checks amounts with it, and that function must start cold quickly.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from collectra.errors import CollectraError
from collectra.money import MINOR_UNIT_EXPONENT

# Stripe's "supported presentment currencies" for card payments (docs.stripe.com/currencies), as ISO codes.
# A currency Collectra records but Stripe does not present (IQD, LYD, IRR, CUP, ...) cannot be charged.
_PRESENTED_CODES = (
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BWP BYN BZD "
    "CAD CDF CHF CLP CNY COP CRC CVE CZK DJF DKK DOP DZD EGP ETB EUR FJD FKP GBP GEL GIP GMD GNF GTQ "
    "GYD HKD HNL HTG HUF IDR ILS INR ISK JMD JOD JPY KES KGS KHR KMF KRW KWD KYD KZT LAK LBP LKR LRD "
    "LSL MAD MDL MGA MKD MMK MNT MOP MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK "
    "PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SEK SGD SHP SLE SOS SRD SZL THB TJS TND TOP TRY "
    "TTD TWD TZS UAH UGX USD UYU UZS VND VUV WST XAF XCD XOF XPF YER ZAR ZMW"
)
_PRESENTED = frozenset(_PRESENTED_CODES.split())


@dataclass(frozen=True)
class _Rule:
    """Stripe's amount is ours x `up` / `down`; ours must be a multiple of `step` for Stripe to take it."""

    up: int = 1
    down: int = 1
    step: int = 1
    why: str = ""  # what Stripe needs, in words, for the refusal


_SAME = _Rule()
_RULES: dict[str, _Rule] = {
    "MGA": _Rule(down=100, step=100, why="Stripe charges MGA in whole ariary, without decimals"),
    **dict.fromkeys(("ISK", "UGX"), _Rule(up=100)),
    **dict.fromkeys(
        ("BHD", "JOD", "KWD", "OMR", "TND"), _Rule(step=10, why="Stripe needs three-decimal amounts to end in 0")
    ),
}


class StripeAmountRefused(CollectraError):
    """An amount Stripe cannot take exactly, or a currency Stripe cannot charge; the message says which."""

    status = 422
    code = "stripe_amount_refused"

    def __init__(self, message: str, *, currency: str, about: str) -> None:
        super().__init__(message, details={"currency": currency, "about": about})
        self.currency = currency
        self.about = about  # "currency" or "amount": which field the business has to change


def stripe_can_charge(currency: str) -> bool:
    """Whether Stripe can take a payment in this ISO 4217 currency (any letter case)."""
    code = currency.upper()
    return code in _PRESENTED and code in MINOR_UNIT_EXPONENT


def to_stripe(amount: int, currency: str) -> int:
    """Stripe's `amount` for `amount` minor units of `currency`; StripeAmountRefused unless it is exact."""
    code = _checked(amount, currency)
    if not stripe_can_charge(code):
        raise StripeAmountRefused(
            f"Stripe cannot charge in {code}: card payments are not possible in this currency.",
            currency=code,
            about="currency",
        )
    rule = _RULES.get(code, _SAME)
    if amount % rule.step:
        lower = amount - amount % rule.step
        raise StripeAmountRefused(
            f"{_written(amount, code)} cannot be paid through Stripe: {rule.why} "
            f"(for example {_written(lower, code)} or {_written(lower + rule.step, code)}).",
            currency=code,
            about="amount",
        )
    return amount * rule.up // rule.down


def from_stripe(amount: int, currency: str) -> int:
    """Collectra's minor units for a Stripe `amount` in `currency`; StripeAmountRefused unless it is exact."""
    code = _checked(amount, currency)
    rule = _RULES.get(code, _SAME)
    if amount % rule.up:
        raise StripeAmountRefused(
            f"Stripe's amount {amount} in {code} is not a whole number of {code} minor units "
            f"(Stripe writes {code} with two extra decimals that must be 00).",
            currency=code,
            about="amount",
        )
    return amount * rule.down // rule.up


def stripe_floor(amount: int, currency: str) -> int:
    """The largest amount up to `amount` that `to_stripe` takes in `currency`: for a fee, which may round down."""
    code = _checked(amount, currency)
    return amount - amount % _RULES.get(code, _SAME).step


def _checked(amount: int, currency: str) -> str:
    """The currency's code, upper case (Stripe writes it lower case); a known currency and a sound amount."""
    code = currency.upper()
    if code not in MINOR_UNIT_EXPONENT:
        raise StripeAmountRefused(f"{currency} is not an ISO 4217 currency.", currency=code, about="currency")
    if amount < 0:
        raise ValueError(f"an amount at the Stripe boundary is never negative (got {amount})")
    return code


def _written(amount: int, code: str) -> str:
    """`1.005 KWD`: the amount as the business writes it, for messages."""
    exponent = MINOR_UNIT_EXPONENT[code]
    return f"{Decimal(amount).scaleb(-exponent):.{exponent}f} {code}"
