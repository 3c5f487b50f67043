"""Late-payment interest and fixed compensation as each law computes them (docs/late-payment.md): pure rules over
a debt's stored fields and the dated reference rates shipped beside them; no store, no I/O but that file."""

from collectra.interest.accrual import Period
from collectra.interest.charges import Charges, Lines, allocate, charges_of, take_back
from collectra.interest.law import rate_floor
from collectra.interest.rates import RateMissing
from collectra.interest.terms import Terms, terms_of

__all__ = [
    "Charges",
    "Lines",
    "Period",
    "RateMissing",
    "Terms",
    "allocate",
    "charges_of",
    "rate_floor",
    "take_back",
    "terms_of",
]
