"""Amounts as accounting tools write them, read exactly into minor units of their currency."""

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collectra.imports import parse_csv


def read(cell: str, *, hint: str | None = None, default: str = "EUR", currency: str = "") -> tuple[int, str] | str:
    """The row's (amount_minor, currency), or the reason it was refused."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerows([["Invoice", "Customer", "Amount", "Currency", "Due"], ["1", "A", cell, currency, "2026-12-31"]])
    parsed = parse_csv(out.getvalue().encode(), default_currency=default, locale_hint=hint)
    if parsed.rows:
        return parsed.rows[0].amount_minor, parsed.rows[0].currency
    return "; ".join(error.reason for error in parsed.errors)


@pytest.mark.parametrize(
    "cell",
    [
        "1234.56",
        "1,234.56",
        "1 234,56",
        "1\u00a0234,56",
        "1\u202f234,56",
        "1.234,56",
        "1'234.56",
        "1\u2019234.56",  # a typographic apostrophe
        "€1,234.56",
        "1 234,56 €",
        "EUR 1234.56",
        "1234.56 EUR",
        "eur1234.56",
        "'1234.56",
        '"1 234,56"',
    ],
)
def test_each_written_style_of_an_amount_is_read(cell: str) -> None:
    assert read(cell) == (123456, "EUR")


def test_a_whole_amount_is_read() -> None:
    assert read("$12", default="USD") == (1200, "USD")


def test_groups_of_thousands_repeat() -> None:
    assert read("1.234.567,89") == (123456789, "EUR")
    assert read("1 234 567") == (123456700, "EUR")


def test_a_repeated_separator_groups_thousands_without_a_hint() -> None:
    assert read("1,234,567") == (123456700, "EUR")


def test_a_separator_followed_by_other_than_three_digits_is_a_decimal_mark() -> None:
    assert read("12,5") == (1250, "EUR")
    assert read("1234,50") == (123450, "EUR")


@pytest.mark.parametrize("cell", ["1,234", "1.234"])
def test_a_lone_separator_before_three_digits_is_refused_without_a_hint(cell: str) -> None:
    assert read(cell) == f"'{cell}' could be read two ways (a thousand and more, or one and a bit): " + (
        "import the file again with a locale hint, e.g. en or fr"
    )


@pytest.mark.parametrize(("cell", "hint", "minor"), [("1,234", "en", 123400), ("1,234", "en-US", 123400)])
def test_an_english_hint_reads_a_comma_as_grouping(cell: str, hint: str, minor: int) -> None:
    assert read(cell, hint=hint) == (minor, "EUR")


def test_an_english_hint_reads_a_point_as_the_decimal_mark() -> None:
    assert read("1.234", hint="en-GB", default="KWD") == (1234, "KWD")


@pytest.mark.parametrize("hint", ["fr", "de", "fr-CA", "it"])
def test_other_hints_read_a_comma_as_the_decimal_mark(hint: str) -> None:
    assert read("1,234", hint=hint, default="KWD") == (1234, "KWD")


@pytest.mark.parametrize("hint", ["fr", "de"])
def test_other_hints_read_a_point_as_grouping(hint: str) -> None:
    assert read("1.234", hint=hint) == (123400, "EUR")


def test_a_leading_zero_cannot_start_a_group_of_thousands_so_needs_no_hint() -> None:
    assert read("0,125", default="KWD") == (125, "KWD")


def test_a_hint_does_not_override_what_the_writing_already_says() -> None:
    assert read("1.234,56", hint="en") == (123456, "EUR")


def test_yen_have_no_minor_unit() -> None:
    assert read("1 200", default="JPY") == (1200, "JPY")


def test_decimals_in_yen_are_refused() -> None:
    assert read("12.5", default="JPY") == "'12.5' has decimals, but JPY amounts are whole numbers"


def test_zero_decimals_in_yen_lose_nothing_and_are_accepted() -> None:
    assert read("1200.00", default="JPY") == (1200, "JPY")


def test_dinars_have_three_decimals() -> None:
    assert read("12,345", default="KWD", hint="fr") == (12345, "KWD")


def test_more_decimals_than_the_currency_allows_are_refused() -> None:
    assert read("12.345", hint="en") == "'12.345' has more decimals than EUR allows (2)"


def test_a_zero_amount_is_refused() -> None:
    assert read("0.00") == "'0.00' is zero: only amounts owed can be imported"


@pytest.mark.parametrize("cell", ["-12.00", "12.00-", "€-12", "-€12", "\u221212"])
def test_a_negative_amount_is_refused(cell: str) -> None:
    assert str(read(cell)).endswith("is negative: only amounts owed can be imported")


def test_an_amount_in_parentheses_is_refused_as_a_credit() -> None:
    assert read("(12.00)") == "'(12.00)' is in parentheses, which marks a credit: only amounts owed can be imported"


@pytest.mark.parametrize("cell", ["12,3,4", "1,23,456", "1.234.56", "1,234 567", "12..5", "abc", "12 kr", "€12 EUR"])
def test_malformed_amounts_are_refused(cell: str) -> None:
    assert read(cell, hint="en") == f"'{cell}' is not an amount"


def test_an_amount_with_an_unknown_currency_code_is_refused() -> None:
    assert read("XYZ 12") == "'XYZ 12' is not an amount (XYZ is not a currency code)"


def test_an_amount_above_what_a_debt_accepts_is_refused() -> None:
    assert read("1" + "0" * 12) == "'1000000000000' is larger than any amount Collectra accepts"


def test_an_absurdly_long_number_is_refused_without_rounding() -> None:
    assert "not an amount Collectra can accept" in str(read("1" * 40))
    assert "more decimals than EUR" in str(read("1." + "0" * 17 + "1"))


def test_an_unambiguous_symbol_sets_the_currency_when_no_column_does() -> None:
    assert read("£12.50", default="EUR") == (1250, "GBP")


def test_a_code_written_with_the_amount_sets_the_currency() -> None:
    assert read("1200 JPY", default="EUR") == (1200, "JPY")


def test_a_dollar_sign_means_the_default_currency_when_that_is_a_dollar() -> None:
    assert read("$12", default="CAD") == (1200, "CAD")


def test_a_dollar_sign_means_us_dollars_with_an_american_hint() -> None:
    assert read("$12", default="EUR", hint="en-US") == (1200, "USD")


def test_a_dollar_sign_that_cannot_be_settled_is_refused() -> None:
    assert read("$12", default="EUR", hint="en") == (
        "'$12' does not say which currency $ is: add a Currency column, or write the code (e.g. USD 12.50)"
    )


def test_a_symbol_that_contradicts_the_currency_column_is_refused() -> None:
    assert read("€12", currency="USD") == "'€12' is not in USD, the currency given for this row"


def test_a_symbol_that_agrees_with_the_currency_column_is_fine() -> None:
    assert read("$12", currency="AUD") == (1200, "AUD")


def test_decimals_are_checked_against_the_currency_of_the_row() -> None:
    assert read("12.5", currency="JPY") == "'12.5' has decimals, but JPY amounts are whole numbers"


# Each style: how it groups thousands, its decimal mark, the hint that settles "1,234", and where a code goes.
STYLES = {
    "plain": ("", ".", "en"),
    "english": (",", ".", "en"),
    "french": (" ", ",", "fr"),
    "french, no-break space": ("\u00a0", ",", "fr"),
    "french, narrow no-break space": ("\u202f", ",", "fr"),
    "german": (".", ",", "de"),
    "swiss": ("'", ".", "en"),
}


def written(minor: int, exponent: int, grouping: str, mark: str) -> str:
    whole, fraction = divmod(minor, 10**exponent)
    digits = f"{whole:,}".replace(",", grouping) if grouping else str(whole)
    return f"{digits}{mark}{fraction:0{exponent}d}" if exponent else digits


@given(
    minor=st.integers(min_value=1, max_value=10**13),
    currency=st.sampled_from([("EUR", 2), ("JPY", 0), ("KWD", 3)]),
    style=st.sampled_from(sorted(STYLES)),
    code=st.sampled_from(["none", "before", "after", "column"]),
)
def test_an_amount_written_in_any_style_reads_back_to_the_same_minor_units(
    minor: int, currency: tuple[str, int], style: str, code: str
) -> None:
    name, exponent = currency
    grouping, mark, hint = STYLES[style]
    cell = written(minor, exponent, grouping, mark)
    if code == "before":
        cell = f"{name} {cell}"
    elif code == "after":
        cell = f"{cell} {name}"
    stated = name if code == "column" else ""
    default = name if code == "none" else "USD"
    assert read(cell, hint=hint, default=default, currency=stated) == (minor, name)
