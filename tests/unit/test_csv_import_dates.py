"""Due and issue dates as spreadsheets export them."""

from datetime import date

import pytest

from collectra.imports import parse_csv


def due(cell: str, *, hint: str | None = None) -> date | str:
    """The row's due date, or the reason it was refused."""
    data = f"Invoice;Customer;Amount;Due Date\n1;A;1;{cell}\n".encode()
    parsed = parse_csv(data, default_currency="EUR", locale_hint=hint)
    return parsed.rows[0].due_date if parsed.rows else parsed.errors[0].reason


@pytest.mark.parametrize("hint", [None, "en-US", "fr"])
def test_iso_dates_are_read_whatever_the_hint(hint: str | None) -> None:
    assert due("2026-03-04", hint=hint) == date(2026, 3, 4)


@pytest.mark.parametrize("cell", ["04/03/2026", "04.03.2026", "04-03-2026", "4/3/2026"])
def test_dates_with_the_year_last_are_day_first(cell: str) -> None:
    assert due(cell) == date(2026, 3, 4)


@pytest.mark.parametrize("cell", ["03/04/2026", "03-04-2026"])
def test_an_american_hint_puts_the_month_first(cell: str) -> None:
    assert due(cell, hint="en-US") == date(2026, 3, 4)


def test_a_british_hint_keeps_the_day_first() -> None:
    assert due("03/04/2026", hint="en-GB") == date(2026, 4, 3)


def test_a_dotted_date_stays_day_first_even_with_an_american_hint() -> None:
    assert due("04.03.2026", hint="en-US") == date(2026, 3, 4)


def test_a_two_digit_year_is_refused() -> None:
    assert due("31/12/26") == "'31/12/26' has a two-digit year: write the year in full (e.g. 2026)"


@pytest.mark.parametrize("cell", ["46387", "46387.5"])
def test_an_excel_serial_number_is_refused_saying_what_it_is(cell: str) -> None:
    assert "date serial number" in str(due(cell))


def test_a_day_that_is_not_in_the_calendar_is_refused() -> None:
    assert due("31/02/2026") == "'31/02/2026' is not a day of the calendar"


def test_a_month_first_date_without_the_hint_is_refused_when_it_cannot_be_day_first() -> None:
    assert due("12/31/2026") == "'12/31/2026' is not a day of the calendar"


def test_text_is_not_a_date() -> None:
    assert due("next Tuesday") == "'next Tuesday' is not a date: write it like 2026-12-31 or 31/12/2026"


def test_an_empty_due_date_is_refused() -> None:
    assert due("") == "the due date is empty"


def test_a_bad_issue_date_is_reported_on_the_issue_date_column() -> None:
    data = b"Invoice,Customer,Amount,Due,Date\n1,A,1,2026-12-31,yesterday\n"
    (error,) = parse_csv(data, default_currency="EUR").errors
    assert error.column == "Date"
    assert error.reason.startswith("'yesterday' is not a date")


@pytest.mark.parametrize("cell", ["0001-01-05", "1899-12-31", "2200-01-01", "9999-12-31", "05/01/0001"])
def test_a_date_outside_1900_to_2199_is_the_rows_error(cell: str) -> None:
    assert due(cell) == f"'{cell}' is out of range: a date must be between 1900-01-01 and 2199-12-31"


@pytest.mark.parametrize(("cell", "day"), [("1900-01-01", date(1900, 1, 1)), ("31/12/2199", date(2199, 12, 31))])
def test_the_first_and_last_accepted_days_are_read(cell: str, day: date) -> None:
    assert due(cell) == day
