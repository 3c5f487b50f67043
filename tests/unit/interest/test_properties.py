"""Invariants of the interest rules over generated debts: never negative, never compounding, monotonic in days
while nothing is paid; money in and out divides exactly and never overfills or overdraws a charge."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from collectra.interest import Charges, Terms, allocate, charges_of, take_back
from tests.unit.interest.stored import debt_of

FIRST, LAST = date(2013, 1, 1), date(2026, 6, 30)  # every series has these half-years

terms = st.builds(
    Terms,
    jurisdiction=st.sampled_from(["EU", "DE", "FR", "UK"]),
    debtor_kind=st.sampled_from(["business", "consumer"]),
    claim_interest=st.booleans(),
    claim_compensation=st.booleans(),
    contractual_rate=st.none() | st.decimals(min_value=0, max_value=30, places=2),
    grace_days=st.integers(0, 90),
    pause_while_disputed=st.booleans(),
    allocation=st.sampled_from(["principal_first", "statutory"]),
)
days = st.dates(FIRST, LAST)


@st.composite
def debts(draw: st.DrawFn, *, paid: bool = True) -> dict[str, Any]:
    due_on = draw(st.dates(FIRST, LAST - timedelta(days=1)))
    moves = draw(st.lists(st.tuples(days, st.integers(-50_000, 200_000)), max_size=6)) if paid else []
    starts = draw(st.lists(days, max_size=3))
    pauses = [[start.isoformat(), draw(st.none() | st.dates(start, LAST).map(date.isoformat))] for start in starts]
    return debt_of(
        draw(st.integers(1, 10_000_000)),
        due_on.isoformat(),
        draw(st.sampled_from(["EUR", "GBP", "JPY"])),
        issued_on=draw(st.none() | st.dates(FIRST, due_on).map(date.isoformat)),
        moves=[(day.isoformat(), change) for day, change in moves],
        interest_pauses=pauses,
        interest_paid=draw(st.integers(0, 100_000)),
        compensation_paid=draw(st.integers(0, 10_000)),
    )


@given(debts(), terms, days)
def test_interest_is_never_negative(debt: dict[str, Any], chosen: Terms, as_of: date) -> None:
    result = charges_of(debt, chosen, as_of=as_of)

    assert result.interest_accrued >= 0
    assert result.interest_due >= 0
    assert result.compensation_due >= 0
    assert all(period.days > 0 and period.principal > 0 and period.rate >= 0 for period in result.periods)
    assert result.total_due == result.principal_outstanding + result.interest_due + result.compensation_due


@given(debts(), terms, days, st.integers(0, 1_000_000), st.integers(0, 10_000))
def test_interest_never_compounds(debt: dict[str, Any], chosen: Terms, as_of: date, interest: int, fee: int) -> None:
    """What was paid of the charges never changes the interest computed: interest earns no interest."""
    before = charges_of(debt, chosen, as_of=as_of)
    after = charges_of({**debt, "interest_paid": interest, "compensation_paid": fee}, chosen, as_of=as_of)

    assert after.interest_accrued == before.interest_accrued
    assert after.periods == before.periods
    assert after.compensation == before.compensation


@given(debts(paid=False), terms, days, days)
def test_interest_grows_with_the_days_while_nothing_is_paid(
    debt: dict[str, Any], chosen: Terms, one: date, other: date
) -> None:
    earlier, later = sorted((one, other))
    assert charges_of(debt, chosen, as_of=earlier).interest_accrued <= (
        charges_of(debt, chosen, as_of=later).interest_accrued
    )


@st.composite
def owed(draw: st.DrawFn) -> Charges:
    principal, interest, fee = (
        draw(st.integers(0, 10_000_000)),
        draw(st.integers(0, 1_000_000)),
        draw(st.integers(0, 10_000)),
    )
    return Charges(
        principal_outstanding=principal,
        interest_accrued=interest,
        interest_paid=0,
        interest_due=interest,
        interest_waived=False,
        compensation=fee,
        compensation_paid=0,
        compensation_due=fee,
        compensation_waived=False,
        total_due=principal + interest + fee,
        periods=(),
        interest_from=None,
        basis="actual/365",
        not_claimed=None,
        jurisdiction="EU",
    )


orders = st.sampled_from(["principal_first", "statutory"])
designations = st.sampled_from(["principal", "all"])


@given(owed(), st.integers(1, 20_000_000), orders, designations)
def test_allocation_sums_to_the_amount_and_fills_no_charge_beyond_its_due(
    charges: Charges, amount: int, order: str, designation: str
) -> None:
    lines = allocate(charges, amount, order, designation=designation)

    assert lines.total == amount
    assert 0 <= lines.interest <= charges.interest_due
    assert 0 <= lines.compensation <= charges.compensation_due
    assert lines.principal >= 0


@given(debts(), st.integers(1, 20_000_000), orders, designations)
def test_take_back_never_takes_more_than_a_charge_holds(
    debt: dict[str, Any], amount: int, order: str, designation: str
) -> None:
    lines = take_back(debt, amount, order, designation=designation)

    assert lines.total == amount
    assert 0 <= lines.interest <= debt["interest_paid"]
    assert 0 <= lines.compensation <= debt["compensation_paid"]
    assert lines.principal >= 0
