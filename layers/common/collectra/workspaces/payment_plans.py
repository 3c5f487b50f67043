"""A workspace's payment-plan settings: whether its debtors may propose plans on their page, within which rules,
and how many days an instalment may be late before the plan breaks (README "Payment plans").

Stored whole on the workspace item as `payment_plans`, like `late_payment`; absent reads as `PaymentPlans()`. The
business can always offer a plan (the generic rules only); these rules bound what a debtor proposes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import ConfigDict, Field, StrictBool

from collectra.fields import WHOLE_NUMBER
from collectra.models import Model

FIELD = "payment_plans"
MAX_INSTALMENTS = 12  # as `plans.records.MAX_INSTALMENTS` (the workspaces package may not import plans)


class PaymentPlans(Model):
    """What a debtor may propose from their page. Sent whole: a field left out takes its default."""

    model_config = ConfigDict(extra="forbid")

    enabled: StrictBool = Field(
        default=False, description="Debtors may propose a plan on their page (the business can always offer one)"
    )
    max_instalments: Annotated[int, Field(ge=2, le=MAX_INSTALMENTS), WHOLE_NUMBER] = Field(
        default=6, description="The most instalments a debtor may propose (2 to 12)"
    )
    max_days: Annotated[int, Field(ge=7, le=365), WHOLE_NUMBER] = Field(
        default=180, description="The most days from today to a proposed plan's last instalment (7 to 365)"
    )
    min_first_percent: Annotated[int, Field(ge=0, le=100), WHOLE_NUMBER] = Field(
        default=10, description="The first instalment is at least this share of the plan's total, in percent"
    )
    auto_approve: StrictBool = Field(
        default=False,
        description="A proposal within these rules starts at once; otherwise it waits in the inbox for approval",
    )
    grace_days: Annotated[int, Field(ge=0, le=30), WHOLE_NUMBER] = Field(
        default=5,
        description="Days an instalment may stay unpaid after its date before the plan breaks (copied into each "
        "plan when it is made)",
    )

    @classmethod
    def of(cls, workspace: Mapping[str, Any]) -> PaymentPlans:
        """The workspace's settings; the defaults when it has none."""
        return cls.model_validate(workspace.get(FIELD) or {})
