"""How money in divides between principal and charges, and how money back comes off them (common17.md)."""

from __future__ import annotations

from datetime import date

import pytest

from collectra.interest import Charges, Lines, allocate, take_back
from tests.unit.interest.stored import debt_of


def owing(principal: int, interest: int, compensation: int) -> Charges:
    return Charges(
        principal_outstanding=principal,
        interest_accrued=interest,
        interest_paid=0,
        interest_due=interest,
        interest_waived=False,
        compensation=compensation,
        compensation_paid=0,
        compensation_due=compensation,
        compensation_waived=False,
        total_due=principal + interest + compensation,
        periods=(),
        interest_from=date(2024, 2, 1),
        basis="actual/365",
        not_claimed=None,
        jurisdiction="DE",
    )


@pytest.mark.parametrize(
    ("amount", "order", "lines"),
    [
        (5_000, "principal_first", Lines(5_000, 0, 0)),
        (10_500, "principal_first", Lines(10_000, 500, 0)),
        (11_000, "principal_first", Lines(10_000, 800, 200)),
        # §367(1) BGB: costs (the lump sum), then interest, then the principal.
        (3_000, "statutory", Lines(0, 0, 3_000)),
        (3_500, "statutory", Lines(0, 500, 3_000)),
        (5_000, "statutory", Lines(1_200, 800, 3_000)),
        # Beyond everything due: an overpayment of principal, as before charges existed.
        (15_000, "principal_first", Lines(11_200, 800, 3_000)),
        (15_000, "statutory", Lines(11_200, 800, 3_000)),
    ],
)
def test_money_in_fills_the_lines_in_the_workspaces_order(amount: int, order: str, lines: Lines) -> None:
    allocated = allocate(owing(10_000, 800, 3_000), amount, order)

    assert allocated == lines
    assert allocated.total == amount


def test_paying_the_invoice_amount_puts_everything_on_principal() -> None:
    assert allocate(owing(10_000, 800, 3_000), 3_000, "statutory", designation="principal") == Lines(3_000, 0, 0)


def test_a_waived_charge_takes_nothing() -> None:
    waived = owing(10_000, 0, 3_000)
    assert allocate(waived, 12_000, "principal_first") == Lines(10_000, 0, 2_000)


@pytest.mark.parametrize(
    ("amount", "order", "lines"),
    [
        # Reverse of principal, interest, compensation: compensation first, then interest, then principal.
        (100, "principal_first", Lines(0, 0, 100)),
        (4_500, "principal_first", Lines(1_000, 500, 3_000)),
        # Reverse of §367: principal first, then interest, then compensation.
        (4_500, "statutory", Lines(4_500, 0, 0)),
        (10_600, "statutory", Lines(10_000, 500, 100)),
        # Never more than a line holds; the rest from principal.
        (20_000, "statutory", Lines(16_500, 500, 3_000)),
        (20_000, "principal_first", Lines(16_500, 500, 3_000)),
    ],
)
def test_money_back_comes_off_in_the_reverse_order(amount: int, order: str, lines: Lines) -> None:
    debt = debt_of(10_000, "2024-01-31", moves=[("2024-02-10", 10_000)], interest_paid=500, compensation_paid=3_000)

    assert take_back(debt, amount, order) == lines


def test_money_back_on_a_principal_only_payment_is_principal() -> None:
    debt = debt_of(10_000, "2024-01-31", moves=[("2024-02-10", 10_000)], interest_paid=500)
    assert take_back(debt, 700, "principal_first", designation="principal") == Lines(700, 0, 0)


@pytest.mark.parametrize(
    ("amount", "order", "designation"),
    [(0, "principal_first", "all"), (100, "fifo", "all"), (100, "statutory", "everything")],
)
def test_nonsense_is_refused(amount: int, order: str, designation: str) -> None:
    with pytest.raises(ValueError, match="amount"):
        allocate(owing(1, 1, 1), amount, order, designation=designation)
