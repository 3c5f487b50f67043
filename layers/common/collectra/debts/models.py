"""What the debt endpoints accept and answer. Money is an integer of minor units plus an ISO 4217 code."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import ConfigDict, Field, StringConstraints, field_validator, model_validator

from collectra.fields import NOT_NULL, WHOLE_NUMBER, CalendarDate, Currency, JsonInteger, as_sent, trim
from collectra.models import Model

if TYPE_CHECKING:
    from collectra.debts.records import Debt
    from collectra.interest import Charges, Period

# A debt's status as the API shows it and lists it (`debts.states.shown_status`).
ShownStatus = Literal["open", "partially_paid", "paid", "disputed", "cancelled", "written_off", "in_plan"]
MAX_AMOUNT = 10**13  # minor units; more than any invoice, and safely an integer everywhere
InvoiceNumber = Annotated[str, trim(64), StringConstraints(min_length=1, max_length=64), as_sent(non_blank=True)]
Description = Annotated[str, trim(500), StringConstraints(max_length=500)]
Amount = Annotated[
    int, Field(gt=0, le=MAX_AMOUNT, description="Minor units of the currency (cents; yen)"), WHOLE_NUMBER
]


class LineItem(Model):
    model_config = ConfigDict(extra="forbid")

    description: Annotated[str, trim(200), StringConstraints(min_length=1, max_length=200), as_sent(non_blank=True)]
    quantity: Annotated[int, Field(ge=1, le=1_000_000), WHOLE_NUMBER] = 1
    unit_amount: Annotated[int, Field(ge=0, le=MAX_AMOUNT), WHOLE_NUMBER]


def _check_lines(amount: int | None, lines: list[LineItem] | None) -> None:
    if amount is not None and lines:
        total = sum(line.quantity * line.unit_amount for line in lines)
        if total != amount:
            raise ValueError(f"line_items add up to {total}, not to the amount {amount}")


def _check_dates(issued_on: date | None, due_on: date | None) -> None:
    if issued_on and due_on and issued_on > due_on:
        raise ValueError("issued_on is after due_on")


class DebtCreate(Model):
    model_config = ConfigDict(extra="forbid")

    debtor_id: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    invoice_number: InvoiceNumber
    description: Description | None = None
    amount: Amount
    currency: Currency
    issued_on: CalendarDate | None = None
    due_on: CalendarDate
    line_items: Annotated[list[LineItem], Field(max_length=100)] | None = None

    @model_validator(mode="after")
    def _consistent(self) -> DebtCreate:
        _check_dates(self.issued_on, self.due_on)
        _check_lines(self.amount, self.line_items)
        return self


class DebtUpdate(Model):
    """Only the fields sent change. `version` must be the one last read: a stale one gets 409."""

    model_config = ConfigDict(extra="forbid")

    version: JsonInteger = Field(ge=1)
    invoice_number: Annotated[InvoiceNumber | None, NOT_NULL] = None
    description: Description | None = None
    amount: Annotated[Amount | None, NOT_NULL] = None
    issued_on: CalendarDate | None = None
    due_on: Annotated[CalendarDate | None, NOT_NULL] = None
    line_items: Annotated[list[LineItem], Field(max_length=100)] | None = None

    @field_validator("invoice_number", "amount", "due_on", mode="before")
    @classmethod
    def _not_cleared(cls, value: Any) -> Any:
        # Every debt has these: `null` would reach the rules that compare them (a 500), so it stops here.
        if value is None:
            raise ValueError("cannot be cleared: every debt has one")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> DebtUpdate:
        _check_dates(self.issued_on, self.due_on)
        _check_lines(self.amount, self.line_items)
        return self


class PaymentCreate(Model):
    """A payment received outside Collectra (bank transfer, cheque, cash)."""

    model_config = ConfigDict(extra="forbid")

    amount: Amount
    method: Literal["bank_transfer", "cheque", "cash", "card_elsewhere", "other"] = "bank_transfer"
    received_on: CalendarDate
    reference: Annotated[str, trim(120), StringConstraints(max_length=120)] | None = None


class Note(Model):
    """An optional reason, kept on the timeline."""

    model_config = ConfigDict(extra="forbid")

    note: Annotated[str, trim(1000), StringConstraints(max_length=1000)] | None = None


class PromiseCreate(Model):
    """A promise to pay, recorded by the business (the debtor makes one from their page)."""

    model_config = ConfigDict(extra="forbid")

    amount: Amount | None = Field(
        default=None, description="Minor units; at most what is outstanding (all of it when left out)"
    )
    on: CalendarDate = Field(
        description="The date it will be paid by: from today to the workspace's `promise_max_days`"
    )
    version: JsonInteger | None = Field(
        default=None, description="The debt's version as read: a debt changed since is refused with 409"
    )


class PromiseView(Model):
    """The debt's open promise to pay: reminders hold until it is kept or broken."""

    amount: int
    on: date
    made_at: str


def _rate(rate: Decimal | None) -> str | None:
    """A rate as decimal text with at least two decimals ("10.15", "4.50"), never rounded."""
    if rate is None:
        return None
    exponent = rate.as_tuple().exponent
    return str(rate.quantize(Decimal("0.01"))) if isinstance(exponent, int) and exponent > -2 else str(rate)


class InterestPeriodView(Model):
    """Days charged at one rate on one principal."""

    model_config = ConfigDict(populate_by_name=True)

    from_: date = Field(alias="from", description="First day of the period")
    to: date = Field(description="Last day of the period, included")
    days: int
    principal: int = Field(description="Principal outstanding on these days, minor units")
    rate: str = Field(description='Percent per year applied, as decimal text ("10.15")')
    reference_rate: str | None = Field(
        description="The central bank's rate it is built on; null for a contractual rate"
    )
    margin: str | None = Field(description="Points the law adds to the reference rate")
    contractual: bool = Field(description="The rate is the business's contractual one, not the statutory one")

    @classmethod
    def of(cls, period: Period) -> InterestPeriodView:
        return cls.model_validate(
            {
                "from": period.start,
                "to": period.end,
                "days": period.days,
                "principal": period.principal,
                "rate": _rate(period.rate),
                "reference_rate": _rate(period.reference_rate),
                "margin": _rate(period.margin),
                "contractual": period.contractual,
            }
        )


class InterestView(Model):
    model_config = ConfigDict(populate_by_name=True)

    accrued: int = Field(description="Interest accrued to the business's today, minor units, rounded once")
    paid: int
    due: int = Field(description="accrued - paid; 0 when waived")
    waived: bool
    from_: date | None = Field(alias="from", description="First day interest counts (due date + 1 + grace days)")
    to: date | None = Field(
        default=None,
        description="The last day interest was counted for: the business's today, or, when `rates_missing_from` "
        "is set, the day before it (null: no day counted yet)",
    )
    rates_missing_from: date | None = Field(
        default=None,
        description="The first day whose reference rate is not yet recorded: interest stops short of it rather "
        "than use a guessed rate (docs/late-payment.md)",
    )
    basis: str = Field(description='The day count the law uses, e.g. "actual/365"')
    periods: list[InterestPeriodView]


class CompensationView(Model):
    amount: int = Field(description="The law's fixed recovery compensation for this invoice, minor units")
    paid: int
    due: int = Field(description="amount - paid; 0 when waived")
    waived: bool


class ChargesView(Model):
    """What the law lets the business charge on a late debt, beside its principal (docs/late-payment.md)."""

    principal_outstanding: int
    interest: InterestView
    compensation: CompensationView
    total_due: int = Field(description="Principal outstanding + interest due + compensation due")
    jurisdiction: str | None
    not_claimed: str | None = Field(
        description="Why no interest or compensation is charged, when none is: off, consumer, currency, grace, "
        "rates_missing (the reference rate of a half-year is not yet recorded)..."
    )

    @classmethod
    def of(cls, charges: Charges) -> ChargesView:
        return cls(
            principal_outstanding=charges.principal_outstanding,
            interest=InterestView(
                accrued=charges.interest_accrued,
                paid=charges.interest_paid,
                due=charges.interest_due,
                waived=charges.interest_waived,
                from_=charges.interest_from,
                to=charges.interest_to,
                rates_missing_from=charges.rates_missing_from,
                basis=charges.basis,
                periods=[InterestPeriodView.of(period) for period in charges.periods],
            ),
            compensation=CompensationView(
                amount=charges.compensation,
                paid=charges.compensation_paid,
                due=charges.compensation_due,
                waived=charges.compensation_waived,
            ),
            total_due=charges.total_due,
            jurisdiction=charges.jurisdiction,
            not_claimed=charges.not_claimed,
        )


class NextInstalment(Model):
    number: int
    due_on: date
    amount: int = Field(description="What it still asks for: the rest of a partly paid instalment")


class DebtPlanView(Model):
    """The active payment plan that holds the debt."""

    id: str
    status: str
    next_instalment: NextInstalment | None = Field(
        default=None, description="Filled by GET /debts/{id}, which reads the plan; null in lists"
    )


class DebtView(Model):
    id: str
    debtor_id: str
    invoice_number: str
    description: str | None
    amount: int
    currency: str
    issued_on: date | None
    due_on: date
    line_items: list[LineItem] | None
    amount_paid: int
    amount_outstanding: int
    days_overdue: int
    status: str = Field(
        description="open, partially_paid, paid, disputed, cancelled, written_off; or in_plan: open or partly paid "
        "and held by an active payment plan (`plan`)"
    )
    reminders_paused: bool
    payment_processing: bool  # a payment by a delayed method (e.g. a bank debit) is on its way
    # Paid beyond the amount through Stripe, then given back automatically (the workspace's refund_overpayments).
    overpayment_refunded: int = 0
    reminder_steps: dict[str, Any] | None = None  # the debt's own reminder steps, if not the workspace's
    promise: PromiseView | None = Field(
        default=None,
        description="The open promise to pay, if any: kept once `amount` is paid since `made_at`, broken (reminders "
        'resume with a "you promised" email) when the day after `on` ends in the workspace\'s time zone',
    )
    charges: ChargesView | None = Field(
        default=None,
        description="Late-payment interest and compensation to the business's today, when the workspace claims them "
        "(null when it does not). Computed where the debtor (whose kind the law depends on) is read anyway: GET "
        "/debts/{id}, GET /debts with include=debtors, and the answers of a recorded payment and a waiver; the "
        "answers of other changes leave them null (read the debt again)",
    )
    plan: DebtPlanView | None = Field(
        default=None, description="The active payment plan that holds it (reminders follow its instalments)"
    )
    source: str
    created_at: str
    updated_at: str
    version: int

    @classmethod
    def of(
        cls, item: Debt, *, today: date, charges: Charges | None = None, plan: DebtPlanView | None = None
    ) -> DebtView:
        """The debt as the API shows it on `today` (the business's date); `charges` as computed for that day
        (`debts.charges.charges_on`), or None where the answer does not compute them; `plan` as read (GET
        /debts/{id}), else what the debt's own field says."""
        from collectra.debts.records import outstanding
        from collectra.debts.service import days_overdue
        from collectra.debts.states import shown_status

        fields = {name: item.get(name) for name in cls.model_fields}
        fields |= {
            "amount_outstanding": outstanding(item),
            "days_overdue": days_overdue(item, today=today),
            "reminders_paused": bool(item.get("reminders_paused")),
            "payment_processing": bool(item.get("payment_processing")),
            "overpayment_refunded": int(item.get("overpayment_refunded") or 0),
            "promise": _promise(item),
            "charges": ChargesView.of(charges) if charges is not None else None,
            "status": shown_status(item),
            "plan": plan or _plan(item),
        }
        return cls.model_validate(fields)


class DebtorName(Model):
    """Who owes a debt, as a list shows it: enough to name the debtor without reading each one."""

    name: str
    company: str | None = None
    erased: bool = False

    @classmethod
    def of(cls, debtor: dict[str, Any]) -> DebtorName:
        return cls(name=str(debtor.get("name") or ""), company=debtor.get("company"), erased=bool(debtor.get("erased")))


class DebtWithDebtor(DebtView):
    """One debt as its screen shows it: with `include=debtor`, whom it is owed by."""

    debtor: DebtorName | None = Field(default=None, description="With `include=debtor`: who owes it")


class DebtList(Model):
    items: list[DebtView]
    next_cursor: str | None
    debtors: dict[str, DebtorName] = Field(
        default_factory=dict, description="With `include=debtors`: the debtors of this page's debts, by id"
    )


class TimelineEntry(Model):
    id: str
    at: str
    type: str
    actor: dict[str, str]
    data: dict[str, Any]


class Timeline(Model):
    items: list[TimelineEntry]
    next_cursor: str | None


def _plan(item: Debt) -> DebtPlanView | None:
    held = item.get("plan")
    return DebtPlanView(id=held["id"], status="active") if held else None


def _promise(item: Debt) -> dict[str, Any] | None:
    promise = item.get("promise")
    return {name: promise[name] for name in ("amount", "on", "made_at")} if promise else None


class Waiver(Model):
    """Charges the business gives up on a debt: true waives that charge (what was paid of it stays paid); false
    leaves it as it is (a waiver is never taken back). Asking for nothing not already waived changes nothing."""

    model_config = ConfigDict(extra="forbid")

    interest: bool = Field(description="Waive the late-payment interest")
    compensation: bool = Field(description="Waive the fixed recovery compensation")
    note: Annotated[str, trim(1000), StringConstraints(max_length=1000)] | None = None
    version: JsonInteger | None = Field(
        default=None, description="The debt's version as read: a debt changed since is refused with 409"
    )
