"""What the debtor's page quotes for a debt, and so what paying it from the page charges: one rule for both.

"Pay the invoice amount" (designation "principal") is the principal outstanding. "Pay everything" (designation
"all") adds the late-payment interest and the fixed compensation due on the workspace-local day of the quote
(`collectra.interest.charges_of`), each charge floored to what Stripe can take exactly in the currency
(`stripe_amounts.stripe_floor`: a three-decimal currency's charge ending in 1..9 drops that digit, in the debtor's
favour, and what is left stays due). When a half-year's reference rate is not yet in the data, the interest quoted
is what is counted to the day before it (the page says so): the missing days are never charged at a borrowed rate.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from collectra.debts.records import Debt, outstanding
from collectra.interest import Charges, Terms, charges_of
from collectra.observability import metrics
from collectra.payments.stripe_amounts import stripe_floor

DESIGNATIONS = ("principal", "all")
RATES_MISSING = "rates_missing"


@dataclass(frozen=True)
class Quote:
    """What one debt's payment is planned to pay, by line (minor units)."""

    principal: int
    interest: int
    compensation: int

    @property
    def total(self) -> int:
        return self.principal + self.interest + self.compensation

    def lines(self) -> dict[str, int]:
        """As a payment attempt's share stores them."""
        return {"principal": self.principal, "interest": self.interest, "compensation": self.compensation}


def charges_shown(debt: Debt, terms: Terms | None, *, as_of: date) -> Charges | None:
    """The debt's charges as of `as_of`, or None when the workspace claims none. A missing reference rate is
    counted (metric `ReferenceRateMissing`) so the team adds the half-year's rates."""
    if terms is None:
        return None
    charges = charges_of(debt, terms, as_of=as_of)
    if charges.not_claimed == RATES_MISSING:
        metrics.add_metric(name="ReferenceRateMissing", unit="Count", value=1)
    return charges


def quote(debt: Debt, charges: Charges | None, designation: str) -> Quote:
    """What paying `debt` with `designation` plans to pay of each line."""
    principal = outstanding(debt)
    if designation != "all" or charges is None:
        return Quote(principal, 0, 0)
    currency = debt["currency"]
    return Quote(
        principal,
        stripe_floor(charges.interest_due, currency),
        stripe_floor(charges.compensation_due, currency),
    )
