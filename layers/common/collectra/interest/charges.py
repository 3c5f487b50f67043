"""What a late debt owes beyond its principal, and how money in and out divides between principal and charges.

`charges_of` reads a debt as stored (docs/late-payment.md): `amount`, `amount_paid` (principal only),
`principal_moves` (their sum is amount_paid; a shortfall, on debts older than this, counts as paid on
`due_on`), `interest_paid`, `compensation_paid`, `charges_waived`, `interest_pauses`. Interest counts the days
from `due_on + 1 + grace_days` to `as_of` inclusive (collectra.interest.accrual), rounded once, half up.
The fixed compensation is due once the debt is more than `grace_days` overdue with principal still unpaid
then, in the law's currency only. A waived charge's due becomes 0; what was paid of it stays paid.

Allocation (`allocate`): "principal_first" fills principal, interest, compensation; "statutory" (§367(1) BGB:
"zunächst auf die Kosten, dann auf die Zinsen und zuletzt auf die Hauptleistung") fills compensation,
interest, principal; beyond everything due goes to principal (an overpayment). Money back (`take_back`)
takes from the lines in the reverse order, never more than a line holds, the rest from principal.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

from collectra.interest.accrual import ONE_DAY, Move, Pause, Period, accrue, round_half_up
from collectra.interest.law import Law, compensation_of, law_of
from collectra.interest.rates import RateMissing, half_year_of
from collectra.interest.terms import PRINCIPAL_FIRST, STATUTORY, Terms

DESIGNATIONS = ("principal", "all")
PLAN_PAUSE = "plan"  # the mark of a pause a payment plan holds, `[from, to, "plan"]` (a dispute's is `[from, to]`)


@dataclass(frozen=True)
class Lines:
    principal: int
    interest: int
    compensation: int

    @property
    def total(self) -> int:
        return self.principal + self.interest + self.compensation


@dataclass(frozen=True)
class Charges:
    principal_outstanding: int
    interest_accrued: int
    interest_paid: int
    interest_due: int
    interest_waived: bool
    compensation: int
    compensation_paid: int
    compensation_due: int
    compensation_waived: bool
    total_due: int
    periods: tuple[Period, ...]
    interest_from: date | None
    basis: str
    # Why interest or compensation is absent: "off" (the workspace claims nothing), "consumer" (the law gives
    # this debtor no interest or no compensation), "declined" (the workspace does not claim one of them),
    # "grace" (not yet more than grace_days overdue), "paid_on_time", "rates_missing" (the data lacks a
    # half-year: interest is counted only to the day before it, never at a borrowed rate), "currency"
    # (compensation is in the law's currency only).
    not_claimed: str | None
    jurisdiction: str | None
    interest_to: date | None = None  # the last day interest was counted for (None: no day counted)
    rates_missing_from: date | None = None  # the first day whose rate the data lacks, when interest stops short


def charges_of(debt: Mapping[str, Any], terms: Terms | None, *, as_of: date) -> Charges:
    """The debt's charges as of the day `as_of` (inclusive). Never raises for a missing rate."""
    amount = int(debt["amount"])
    outstanding = max(0, amount - int(debt.get("amount_paid", 0)))
    interest_paid = int(debt.get("interest_paid", 0))
    compensation_paid = int(debt.get("compensation_paid", 0))
    waived = debt.get("charges_waived") or {}
    interest_waived, compensation_waived = "interest" in waived, "compensation" in waived
    if terms is None:
        return Charges(
            principal_outstanding=outstanding,
            interest_accrued=0,
            interest_paid=interest_paid,
            interest_due=0,
            interest_waived=interest_waived,
            compensation=0,
            compensation_paid=compensation_paid,
            compensation_due=0,
            compensation_waived=compensation_waived,
            total_due=outstanding,
            periods=(),
            interest_from=None,
            basis="",
            not_claimed="off",
            jurisdiction=None,
        )
    issued_on = _day(debt.get("issued_on"))
    law = law_of(terms.jurisdiction, terms.debtor_kind, issued_on=issued_on)
    due_on = _day(debt["due_on"])
    assert due_on is not None  # noqa: S101 - every debt has one
    first = due_on + timedelta(days=1 + terms.grace_days)
    moves = principal_moves(debt, due_on)
    late = as_of >= first and amount - sum(change for day, change in moves if day < first) > 0
    contractual = terms.contractual_rate if terms.debtor_kind == "business" else None
    gives_interest = law.series is not None or contractual is not None
    entitled = compensation_of(terms.jurisdiction, terms.debtor_kind, amount, issued_on=issued_on)

    periods: tuple[Period, ...] = ()
    missing: date | None = None
    if gives_interest and terms.claim_interest:
        periods, missing = _counted(
            law, contractual, amount, moves, pauses_of(debt, terms), first=first, last=as_of, due_on=due_on
        )
    interest = round_half_up(sum((period.interest for period in periods), Fraction(0)))
    in_currency = debt.get("currency") == law.currency
    compensation = entitled if late and terms.claim_compensation and in_currency else 0
    reasons = (  # the first that holds is the one shown
        ("consumer", not gives_interest and not entitled),
        ("grace", as_of < first),
        ("paid_on_time", not late),
        ("rates_missing", missing is not None),
        ("consumer", not gives_interest or not entitled),
        ("declined", not terms.claim_interest or (entitled > 0 and not terms.claim_compensation)),
        ("currency", entitled > 0 and not in_currency),
    )

    interest_due = 0 if interest_waived else max(0, interest - interest_paid)
    compensation_due = 0 if compensation_waived else max(0, compensation - compensation_paid)
    return Charges(
        principal_outstanding=outstanding,
        interest_accrued=interest,
        interest_paid=interest_paid,
        interest_due=interest_due,
        interest_waived=interest_waived,
        compensation=compensation,
        compensation_paid=compensation_paid,
        compensation_due=compensation_due,
        compensation_waived=compensation_waived,
        total_due=outstanding + interest_due + compensation_due,
        periods=periods,
        interest_from=first if gives_interest and terms.claim_interest else None,
        basis=law.basis,
        not_claimed=next((reason for reason, holds in reasons if holds), None),
        jurisdiction=terms.jurisdiction,
        interest_to=periods[-1].end if periods else None,
        rates_missing_from=missing,
    )


def _counted(
    law: Law,
    contractual: Decimal | None,
    amount: int,
    moves: Sequence[Move],
    pauses: Sequence[Pause],
    *,
    first: date,
    last: date,
    due_on: date,
) -> tuple[tuple[Period, ...], date | None]:
    """The periods from `first` to `last`, or, when the data lacks a half-year's rate, to the day before that
    half-year (what can be claimed exactly today), with the first day the data lacks: the missing rate is never
    guessed, and once that half-year's row is added its days count like any other."""
    try:
        return accrue(
            law, contractual, amount, moves=moves, pauses=pauses, first=first, last=last, starts_to_run=due_on + ONE_DAY
        ), None
    except RateMissing as lacking:
        stop = half_year_of(lacking.on)
    try:
        counted = accrue(
            law,
            contractual,
            amount,
            moves=moves,
            pauses=pauses,
            first=first,
            last=stop - ONE_DAY,
            starts_to_run=due_on + ONE_DAY,
        )
    except RateMissing:  # the UK's rate is that of the half-year interest started in: nothing can be counted
        return (), max(first, stop)
    return counted, max(first, stop)


def allocate(charges: Charges, amount: int, order: str, *, designation: str = "all") -> Lines:
    """How `amount` (> 0) coming in divides: designation "principal" puts it all on principal; "all" fills the
    lines in `order` up to what each is due, and anything beyond everything due goes to principal."""
    _check(amount, order, designation)
    if designation == "principal":
        return Lines(amount, 0, 0)
    due = {
        "principal": charges.principal_outstanding,
        "interest": charges.interest_due,
        "compensation": charges.compensation_due,
    }
    return _fill(amount, _order(order), due)


def take_back(debt: Mapping[str, Any], amount: int, order: str, *, designation: str = "all") -> Lines:
    """How `amount` (> 0) going back (a refund, a chargeback) comes off the debt's lines: in the reverse of
    `order`, never more than a line holds, the rest from principal; all from principal for "principal"."""
    _check(amount, order, designation)
    if designation == "principal":
        return Lines(amount, 0, 0)
    held = {
        "principal": max(0, int(debt.get("amount_paid", 0))),
        "interest": max(0, int(debt.get("interest_paid", 0))),
        "compensation": max(0, int(debt.get("compensation_paid", 0))),
    }
    return _fill(amount, tuple(reversed(_order(order))), held)


def principal_moves(debt: Mapping[str, Any], due_on: date) -> list[Move]:
    """The debt's principal moves, with any shortfall against amount_paid counted as paid on `due_on`."""
    moves = [(date.fromisoformat(str(day)), int(change)) for day, change in debt.get("principal_moves") or ()]
    shortfall = int(debt.get("amount_paid", 0)) - sum(change for _, change in moves)
    return [*moves, (due_on, shortfall)] if shortfall else moves


def pauses_of(debt: Mapping[str, Any], terms: Terms) -> Sequence[Pause]:
    """The days interest is held: a payment plan's always (`[from, to, "plan"]`: an agreed deferral ends the
    default), a dispute's (`[from, to]`) when the workspace pauses for disputes."""
    return [
        (date.fromisoformat(str(start)), None if end is None else date.fromisoformat(str(end)))
        for start, end, *why in debt.get("interest_pauses") or ()
        if why == [PLAN_PAUSE] or terms.pause_while_disputed
    ]


def _fill(amount: int, order: tuple[str, ...], room: Mapping[str, int]) -> Lines:
    lines = dict.fromkeys(("principal", "interest", "compensation"), 0)
    left = amount
    for line in order:
        lines[line] = min(left, max(0, room[line]))
        left -= lines[line]
    lines["principal"] += left
    return Lines(**lines)


def _order(order: str) -> tuple[str, ...]:
    if order == STATUTORY:
        return ("compensation", "interest", "principal")
    return ("principal", "interest", "compensation")


def _check(amount: int, order: str, designation: str) -> None:
    if amount <= 0 or order not in (PRINCIPAL_FIRST, STATUTORY) or designation not in DESIGNATIONS:
        raise ValueError(f"amount {amount} > 0, order {order!r}, designation {designation!r}")


def _day(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))
