"""A workspace as the API shows it, and the changes it accepts."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import ConfigDict, Field, StrictBool, StringConstraints

from collectra.access import Role
from collectra.clock import iso
from collectra.fields import (
    NOT_NULL,
    WHOLE_NUMBER,
    Currency,
    EmailAddress,
    Locale,
    OptionalLine,
    Text120,
    Text200,
    TimeZone,
    trim,
)
from collectra.models import Model
from collectra.workspaces.late_payment import LatePayment
from collectra.workspaces.payment_plans import PaymentPlans
from collectra.workspaces.promises import PROMISE_MAX_DAYS_LIMIT, promise_max_days


class PostalAddress(Model):
    model_config = ConfigDict(extra="forbid")

    line1: Text200
    line2: OptionalLine = ""
    postal_code: Annotated[str, trim(20), StringConstraints(max_length=20)] = ""
    city: Text120
    region: OptionalLine = ""
    country: Annotated[str, StringConstraints(to_upper=True, pattern=r"^[A-Za-z]{2}$")]


class WorkspaceView(Model):
    id: str
    name: str
    legal_name: str | None
    postal_address: PostalAddress | None
    sender_name: str | None
    reply_to: str | None
    default_currency: str
    time_zone: str
    locale: str
    # Money that reaches a debt already paid in full goes back to the debtor through Stripe (default), or is kept.
    refund_overpayments: bool
    # How many days from today a debtor may promise to pay on their page (collectra.workspaces.promises).
    promise_max_days: int
    late_payment: LatePayment = Field(
        description="Late-payment interest and compensation claimed from debtors (the defaults, off, when never set)"
    )
    payment_plans: PaymentPlans = Field(
        description="What debtors may propose as payment plans on their page, and the grace days before a missed "
        "instalment breaks a plan (the defaults when never set)"
    )
    created_at: str
    updated_at: str

    @classmethod
    def of(cls, item: Mapping[str, Any]) -> WorkspaceView:
        fields = {name: item.get(name) for name in cls.model_fields}
        fields["promise_max_days"] = promise_max_days(item)
        fields["late_payment"] = LatePayment.of(item)
        fields["payment_plans"] = PaymentPlans.of(item)
        return cls.model_validate(fields | {"refund_overpayments": item.get("refund_overpayments", True) is not False})


class WorkspaceUpdate(Model):
    """Only the fields present change; `null` clears an optional one. The fields every workspace has (name,
    currency, time zone, locale, refunds, promise horizon, late-payment and payment-plan settings) may be left out
    but not set to `null` (422)."""

    model_config = ConfigDict(extra="forbid")

    name: Annotated[Text120 | None, NOT_NULL] = None
    legal_name: Text200 | None = None
    postal_address: PostalAddress | None = None
    sender_name: Text120 | None = None
    reply_to: EmailAddress | None = None
    default_currency: Annotated[Currency | None, NOT_NULL] = None
    time_zone: Annotated[TimeZone | None, NOT_NULL] = None
    locale: Annotated[Locale | None, NOT_NULL] = None
    refund_overpayments: Annotated[StrictBool | None, NOT_NULL] = None
    promise_max_days: Annotated[
        Annotated[
            int,
            Field(
                ge=1,
                le=PROMISE_MAX_DAYS_LIMIT,
                description="How many days ahead a debtor may promise to pay from their page (90 unless set)",
            ),
            WHOLE_NUMBER,
        ]
        | None,
        NOT_NULL,
    ] = None
    late_payment: Annotated[LatePayment | None, NOT_NULL] = Field(
        default=None,
        description="Replaces the late-payment settings whole (a field left out takes its default). The "
        "contractual rate is checked against the law's floor on the business's today (422 naming "
        "body.late_payment.contractual_rate). See docs/late-payment.md",
    )
    payment_plans: Annotated[PaymentPlans | None, NOT_NULL] = Field(
        default=None,
        description="Replaces the payment-plan settings whole (a field left out takes its default); a plan keeps "
        'the grace days it was made with (README "Payment plans")',
    )


class MemberView(Model):
    """A member of the workspace: `id` is their user id."""

    id: str
    name: str | None
    email: str | None
    role: Role
    joined_at: str


class InvitationView(Model):
    id: str
    email: str
    role: Role
    invited_by: str
    created_at: str
    expires_at: str

    @classmethod
    def of(cls, item: Mapping[str, Any]) -> InvitationView:
        return cls.model_validate({**item, "expires_at": iso(datetime.fromtimestamp(int(item["expires_at"]), UTC))})


class TeamView(Model):
    members: list[MemberView]
    invitations: list[InvitationView]


class InviteRequest(Model):
    model_config = ConfigDict(extra="forbid")

    email: EmailAddress
    role: Role = Role.MEMBER


class RoleChange(Model):
    model_config = ConfigDict(extra="forbid")

    role: Role
