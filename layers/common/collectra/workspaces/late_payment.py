"""A workspace's late-payment settings: whether and how it claims statutory interest and the fixed compensation
(docs/late-payment.md explains the law behind each field; `collectra.interest` computes with them).

Stored whole on the workspace item as `late_payment`; absent means off, and reads as `LatePayment()`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, ConfigDict, Field, StrictBool, WithJsonSchema

from collectra.errors import InvalidInput
from collectra.fields import WHOLE_NUMBER
from collectra.interest import RateMissing, rate_floor
from collectra.models import Model
from collectra.observability import logger, metrics

DOC = "docs/late-payment.md"
FIELD = "late_payment"
MAX_GRACE_DAYS = 90
MAX_RATE = Decimal(100)
# At most three digits before the point and two after it: a rate as a contract writes it ("12.5", "9.12").
_RATE_TEXT = r"^[0-9]{1,3}(\.[0-9]{1,2})?$"
_RATE = re.compile(_RATE_TEXT)


def _rate(value: Any) -> Any:
    """A rate sent as text or as a JSON number, kept as the decimal text it is ("12.5"): a float is never stored."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError('must be a percentage per year, e.g. 12.5 or "12.5"')
    text = value if isinstance(value, str) else str(value)
    if not _RATE.fullmatch(text):
        raise ValueError("must be a percentage per year with at most 2 decimals, e.g. 12.5")
    rate = Decimal(text)
    if not 0 < rate <= MAX_RATE:
        raise ValueError("must be more than 0 and at most 100 (percent per year)")
    return format(rate.normalize(), "f")


_RATE_SCHEMA = {
    "anyOf": [
        {"type": "string", "pattern": _RATE_TEXT},
        {"type": "number", "exclusiveMinimum": 0, "maximum": 100, "multipleOf": 0.01},
        {"type": "null"},
    ],
}
ContractualRate = Annotated[str | None, BeforeValidator(_rate), WithJsonSchema(_RATE_SCHEMA)]


class LatePayment(Model):
    """What the workspace claims from debtors who pay late. Sent whole: a field left out takes its default."""

    model_config = ConfigDict(extra="forbid")

    enabled: StrictBool = Field(
        default=False,
        description=f"Claim anything at all. Off by default: debts then show no charges ({DOC})",
    )
    jurisdiction: Literal["EU", "DE", "FR", "UK"] = Field(
        default="EU",
        description="The law the claims follow: EU (Directive 2011/7/EU: ECB rate + 8 points, EUR 40), DE (§288 BGB: "
        "base rate + 9 points between businesses, + 5 for consumers, EUR 40), FR (L441-10 and D441-5 Code de "
        "commerce: ECB rate + 10 points, EUR 40), UK (Late Payment of Commercial Debts (Interest) Act 1998: Bank "
        f"of England base rate + 8 points, GBP 40/70/100). Rates, bases and sources in {DOC}",
    )
    claim_interest: StrictBool = Field(
        default=True, description=f"Claim simple interest from the day after the due date plus grace days ({DOC})"
    )
    claim_compensation: StrictBool = Field(
        default=True,
        description="Claim the law's fixed recovery compensation per invoice (only in the law's currency: EUR, "
        f"or GBP for UK; never from a consumer) ({DOC})",
    )
    contractual_rate: ContractualRate = Field(
        default=None,
        description="A rate agreed in the business's terms, percent per year (more than 0, at most 100, 2 decimals), "
        "used instead of the statutory one; null for the law's rate. Refused (422) below the law's floor where "
        f"there is one (FR: three times the legal rate) ({DOC})",
    )
    grace_days: Annotated[int, Field(ge=0, le=MAX_GRACE_DAYS), WHOLE_NUMBER] = Field(
        default=0,
        description="Days after the due date before anything is claimed; interest then counts from the due date's "
        f"next day plus these days ({DOC})",
    )
    pause_while_disputed: StrictBool = Field(
        default=True, description=f"No interest accrues on the days a debt is disputed ({DOC})"
    )
    allocation: Literal["principal_first", "statutory"] = Field(
        default="principal_first",
        description="How money received is applied: principal first, then interest, then compensation; or as §367 "
        f"BGB provides: costs (compensation), then interest, then principal ({DOC})",
    )

    @classmethod
    def of(cls, workspace: Mapping[str, Any]) -> LatePayment:
        """The workspace's settings; the defaults (off) when it has none."""
        return cls.model_validate(workspace.get(FIELD) or {})


def require_above_floor(settings: LatePayment, *, today: date) -> None:
    """422 naming `body.late_payment.contractual_rate` when the contractual rate is below what the chosen law
    allows between businesses on `today` (the business's date): an agreed rate under the floor is no claim."""
    if settings.contractual_rate is None:
        return
    try:
        floor = rate_floor(settings.jurisdiction, "business", today)
    except RateMissing:
        # The floor follows a reference rate of the half-year that the data does not hold yet: no check can be
        # made, so nothing is saved (a rate below the floor would be no claim at all).
        logger.warning("reference rate missing: contractual rate not checked", extra={"as_of": today.isoformat()})
        metrics.add_metric(name="ReferenceRateMissing", unit="Count", value=1)
        raise InvalidInput(
            f"The floor {settings.jurisdiction} law sets on a contractual rate cannot be checked today: its reference "
            "rate for this half-year is not recorded yet. Try again later, or leave the contractual rate empty.",
            code="reference_rate_missing",
            details=[{"field": f"body.{FIELD}.contractual_rate", "type": "reference_rate_missing"}],
        ) from None
    if floor is not None and Decimal(settings.contractual_rate) < floor:
        shown = format(floor.normalize(), "f")
        raise InvalidInput(
            f"The contractual rate {settings.contractual_rate} is below the floor of {shown} percent a year that "
            f"{settings.jurisdiction} law sets on {today.isoformat()}.",
            code="contractual_rate_below_floor",
            details=[
                {
                    "field": f"body.{FIELD}.contractual_rate",
                    "message": f"must be at least {shown}",
                    "floor": shown,
                    "type": "below_floor",
                }
            ],
        )
