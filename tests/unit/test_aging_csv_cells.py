"""The accountant's file: amounts in the currency's own decimals, and no cell a spreadsheet would run."""

from __future__ import annotations

import pytest

from collectra.analytics.aging_csv import safe_cell
from collectra.money import major_units


@pytest.mark.parametrize(
    ("amount", "currency", "written"),
    [
        (123_450, "EUR", "1234.50"),
        (5, "EUR", "0.05"),
        (0, "USD", "0.00"),
        (1_234, "JPY", "1234"),
        (1_234, "KWD", "1.234"),
    ],
)
def test_amounts_are_written_in_major_units_exactly(amount: int, currency: str, written: str) -> None:
    assert major_units(amount, currency) == written


def test_ten_billion_euros_lose_no_cent() -> None:
    assert major_units(1_000_000_000_001, "EUR") == "10000000000.01"


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_that_would_be_a_formula_is_written_as_text(start: str) -> None:
    assert safe_cell(f"{start}SUM(A1:A9)") == f"'{start}SUM(A1:A9)"


def test_other_cells_are_written_as_they_are() -> None:
    assert safe_cell("Zoë, Tanaka & Co") == "Zoë, Tanaka & Co"
    assert safe_cell("123.45") == "123.45"
    assert safe_cell("") == ""
