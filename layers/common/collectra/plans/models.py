"""What the payment-plan endpoints accept and answer. Money is an integer of minor units of the plan's currency."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import ConfigDict, Field, StringConstraints

from collectra.debts.models import Amount, NextInstalment
from collectra.fields import CalendarDate, JsonInteger, trim
from collectra.models import Model
from collectra.plans import rules

if TYPE_CHECKING:
    from collectra.plans.records import Plan

PlanStatus = Literal["proposed", "offered", "active", "declined", "withdrawn", "completed", "broken", "cancelled"]
Reason = Annotated[str, trim(500), StringConstraints(max_length=500)]
DebtId = Annotated[str, StringConstraints(min_length=1, max_length=64)]


class InstalmentRequest(Model):
    model_config = ConfigDict(extra="forbid")

    due_on: CalendarDate = Field(description="From the business's today; each at least 7 days after the one before")
    amount: Amount | None = Field(
        default=None, description="Give every instalment's amount (summing to the total), or none (split equally)"
    )


class PlanOffer(Model):
    """A plan the business offers a debtor; the debtor accepts it on their page."""

    model_config = ConfigDict(extra="forbid")

    debt_ids: list[DebtId] = Field(
        min_length=1,
        max_length=rules.MAX_PLAN_DEBTS,
        description="The debtor's debts it covers (open or partly paid, one currency): their principal outstanding "
        "is the plan's total",
    )
    instalments: list[InstalmentRequest] = Field(
        min_length=rules.MIN_INSTALMENTS, max_length=rules.MAX_INSTALMENTS, description="2 to 12, in date order"
    )
    note: Reason | None = Field(default=None, description="Shown with the offer")


class PlanDecision(Model):
    model_config = ConfigDict(extra="forbid")

    version: JsonInteger | None = Field(
        default=None, description="The plan's version as read: a plan changed since is refused with 409"
    )


class PlanEnding(Model):
    model_config = ConfigDict(extra="forbid")

    reason: Reason | None = Field(default=None, description="Kept with the plan, shown to the business")
    version: JsonInteger | None = Field(
        default=None, description="The plan's version as read: a plan changed since is refused with 409"
    )


class InstalmentView(Model):
    number: int
    due_on: date
    amount: int
    paid: int = Field(description="How much of it what was paid since the plan was made covers")
    status: Literal["paid", "upcoming", "due", "overdue", "missed"]


class MethodView(Model):
    type: str = Field(description="card or sepa_debit")
    brand: str | None = None
    last4: str


class CollectionView(Model):
    mode: Literal["manual", "automatic"]
    method: MethodView | None = None


class PlanView(Model):
    id: str
    debtor_id: str
    currency: str
    debt_ids: list[str]
    status: PlanStatus
    proposed_by: Literal["debtor", "business"]
    total: int = Field(description="The debts' principal outstanding when it was made")
    paid: int = Field(description="What its debts received since it was made (refunds count against it)")
    asked_now: NextInstalment | None = Field(
        description="While active: the first instalment not yet paid, and what it still asks for"
    )
    instalments: list[InstalmentView]
    collection: CollectionView
    note: str | None = None
    created_at: str
    decided_at: str | None = None
    started_at: str | None = None
    ended_at: str | None = None
    end_reason: str | None = None
    reason: str | None = None
    version: int

    @classmethod
    def of(cls, plan: Plan, debts: Sequence[Mapping[str, Any]], *, today: date) -> PlanView:
        """The plan on `today` (the business's date), its progress derived from its debts as they are now."""
        since = rules.paid_since(plan, debts)
        asked = rules.asked_now(plan, since) if plan["status"] == "active" else None
        asked_view = None
        if asked:
            number, amount = asked
            asked_view = NextInstalment(
                number=number, due_on=date.fromisoformat(plan["instalments"][number - 1]["due_on"]), amount=amount
            )
        collection = plan.get("collection") or {"mode": "manual"}
        method = collection.get("method") if collection.get("mode") == "automatic" else None
        fields = {name: plan.get(name) for name in cls.model_fields}
        fields |= {
            "paid": max(0, since),
            "asked_now": asked_view,
            "instalments": rules.progress(plan, since, today),
            "collection": {"mode": collection.get("mode", "manual"), "method": method},
        }
        return cls.model_validate(fields)


class PlanList(Model):
    items: list[PlanView] = Field(description="Newest first")
