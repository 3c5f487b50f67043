"""What the aging report answers."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from collectra.analytics.aging import AgingRow
from collectra.models import Model

_MINOR = "Minor units of the row's currency"


class AgingByDebtor(Model):
    debtor_id: str
    debtor_name: str = Field(description="As the debtor is named now (an erased debtor's placeholder)")
    currency: str = Field(description="ISO 4217 code: a debtor owing in two currencies has a row for each")
    not_due: int = Field(description=f"Outstanding not yet due on `as_of` (due that day or later). {_MINOR}")
    days_1_30: int = Field(description=f"Outstanding 1 to 30 days past due on `as_of` (as_of - due date). {_MINOR}")
    days_31_60: int = Field(description=f"Outstanding 31 to 60 days past due on `as_of`. {_MINOR}")
    days_61_90: int = Field(description=f"Outstanding 61 to 90 days past due on `as_of`. {_MINOR}")
    days_over_90: int = Field(description=f"Outstanding more than 90 days past due on `as_of`. {_MINOR}")
    total: int = Field(description=f"The sum of the five buckets. {_MINOR}")

    @classmethod
    def of(cls, row: AgingRow) -> AgingByDebtor:
        return cls(
            debtor_id=row.debtor_id,
            debtor_name=row.debtor_name,
            currency=row.currency,
            **row.buckets,
            total=row.total,
        )


class AgingReport(Model):
    as_of: date
    group_by: Literal["debtor"]
    items: list[AgingByDebtor]
    next_cursor: str | None
