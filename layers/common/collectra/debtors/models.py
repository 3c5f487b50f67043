"""What the debtor endpoints accept and answer."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, StringConstraints

from collectra.analytics.formulas import average_days, share
from collectra.debtors.records import kind_of
from collectra.fields import INVISIBLE, NOT_NULL, EmailAddress, JsonInteger, Locale, Text200, TimeZone, as_sent, trim
from collectra.models import Model

_PHONE = r"^\+?[0-9 ().\-]{4,32}$"
_EXTERNAL_REF = rf"^[^{INVISIBLE}#]"  # a visible first character, not a comment's #
Phone = Annotated[str, trim(), StringConstraints(pattern=_PHONE), as_sent(_PHONE)]
ExternalRef = Annotated[str, trim(64), StringConstraints(max_length=64, pattern=_EXTERNAL_REF), as_sent(_EXTERNAL_REF)]
Notes = Annotated[str, StringConstraints(max_length=2000)]
DebtorKind = Literal["business", "consumer"]
_KIND = (
    "A business or a consumer: the late-payment laws differ for consumers (docs/late-payment.md: DE charges "
    "base rate + 5 points and no compensation, FR the legal rate, EU and UK nothing)"
)


class DebtorCreate(Model):
    model_config = ConfigDict(extra="forbid")

    name: Text200
    email: EmailAddress
    phone: Phone | None = None
    company: Text200 | None = None
    locale: Locale | None = Field(default=None, description="Defaults to the workspace's locale")
    time_zone: TimeZone | None = Field(default=None, description="IANA time zone; defaults to the workspace's")
    external_ref: ExternalRef | None = Field(default=None, description="Your own customer reference, unique")
    notes: Notes | None = None
    kind: DebtorKind = Field(default="business", description=_KIND)


class DebtorUpdate(Model):
    """Only the fields sent change; `null` clears an optional one. `version` must be the one last read."""

    model_config = ConfigDict(extra="forbid")

    version: JsonInteger = Field(ge=1)
    # Every debtor has these: they may be left out, not cleared (the handler's 422 names them).
    name: Annotated[Text200 | None, NOT_NULL] = None
    email: Annotated[EmailAddress | None, NOT_NULL] = None
    phone: Phone | None = None
    company: Text200 | None = None
    locale: Annotated[Locale | None, NOT_NULL] = None
    time_zone: Annotated[TimeZone | None, NOT_NULL] = None
    external_ref: ExternalRef | None = None
    notes: Notes | None = None
    kind: Annotated[DebtorKind | None, NOT_NULL] = Field(default=None, description=_KIND)


class DaysToPay(Model):
    average: float | None = Field(
        description="Their paid debts' average days to pay, unrounded: sum of (day it became paid - invoice date, "
        "else the day it was recorded) / paid_debts; null without a paid debt"
    )
    paid_debts: int = Field(description="How many of their debts are paid (a refunded one no longer counts)")
    average_days_late: float | None = Field(
        description="Their paid debts' average days paid after the due date (negative: early), unrounded: sum of "
        "(day it became paid - due date) / paid_debts; null without a paid debt. The cash forecast moves their "
        "open debts' due dates by it"
    )


class Promises(Model):
    kept: int = Field(description="Promises to pay they kept (paid at least the amount by the date and a grace day)")
    broken: int = Field(description="Promises to pay they broke")
    kept_rate: float | None = Field(
        description="kept / (kept + broken), a fraction from 0 to 1, unrounded; null before any promise was due"
    )


class DebtorView(Model):
    id: str
    name: str
    email: str | None
    phone: str | None
    company: str | None
    locale: str
    time_zone: str
    external_ref: str | None
    notes: str | None
    kind: DebtorKind = Field(description=_KIND)
    open_debts: int
    erased: bool
    has_link: bool
    email_suppressed: str | None = Field(
        default=None,
        description="Why no reminder may be emailed to this debtor, or null: opted_out (the debtor's choice), "
        "hard_bounce, invalid_email, complaint (marked as spam) or unsubscribed (reported by the email provider)",
    )
    days_to_pay: DaysToPay
    promises: Promises
    created_at: str
    updated_at: str
    version: int

    @classmethod
    def of(cls, item: Mapping[str, Any]) -> DebtorView:
        fields = {name: item.get(name) for name in cls.model_fields}
        fields["kind"] = kind_of(item)
        fields["erased"] = bool(item.get("erased"))
        fields["has_link"] = bool(item.get("link_hash"))
        paid = int(item.get("paid_debts", 0))
        fields["days_to_pay"] = DaysToPay(
            average=average_days(int(item.get("days_to_pay_total", 0)), paid),
            paid_debts=paid,
            average_days_late=average_days(int(item.get("days_late_total", 0)), paid),
        )
        kept, broken = int(item.get("promises_kept", 0)), int(item.get("promises_broken", 0))
        fields["promises"] = Promises(kept=kept, broken=broken, kept_rate=share(kept, kept + broken))
        return cls.model_validate(fields)


class DebtorList(Model):
    items: list[DebtorView]
    next_cursor: str | None


class LinkView(Model):
    """The debtor's secret page link. Shown once: Collectra keeps only its hash."""

    url: str
