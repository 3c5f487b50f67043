from datetime import date

import pytest

from collectra.pages import format_date, format_money
from collectra.pages.formatting import resolve_locale

NBSP = "\u00a0"  # between an amount and its symbol or code
NNBSP = "\u202f"  # French thousands separator


@pytest.mark.parametrize(
    ("amount_minor", "currency", "locale", "expected"),
    [
        (123456, "EUR", "en", "€1,234.56"),
        (123456, "EUR", "fr", f"1{NNBSP}234,56{NBSP}€"),
        (123456, "EUR", "de", f"1.234,56{NBSP}€"),
        (1200, "USD", "en", "$12.00"),
        (1200, "USD", "fr", f"12,00{NBSP}$US"),
        (1200, "USD", "de", f"12,00{NBSP}$"),
        (123456789, "GBP", "en", "£1,234,567.89"),
        (123456789, "GBP", "fr", f"1{NNBSP}234{NNBSP}567,89{NBSP}£GB"),
        (123456789, "GBP", "de", f"1.234.567,89{NBSP}£"),
        (1235, "JPY", "en", "¥1,235"),
        (1235, "JPY", "fr", f"1{NNBSP}235{NBSP}JPY"),
        (1235, "JPY", "de", f"1.235{NBSP}¥"),
        (1234567, "KWD", "en", f"KWD{NBSP}1,234.567"),
        (1234567, "KWD", "fr", f"1{NNBSP}234,567{NBSP}KWD"),
        (1234567, "KWD", "de", f"1.234,567{NBSP}KWD"),
        (1000, "CHF", "en", f"CHF{NBSP}10.00"),
        (1000, "CHF", "fr", f"10,00{NBSP}CHF"),
        (1000, "CHF", "de", f"10,00{NBSP}CHF"),
    ],
)
def test_amounts_are_written_as_each_language_writes_them(
    amount_minor: int, currency: str, locale: str, expected: str
) -> None:
    assert format_money(amount_minor, currency, locale) == expected


def test_small_amounts_keep_every_minor_digit() -> None:
    assert format_money(0, "EUR", "en") == "€0.00"
    assert format_money(5, "EUR", "en") == "€0.05"
    assert format_money(5, "KWD", "en") == f"KWD{NBSP}0.005"
    assert format_money(999, "EUR", "de") == f"9,99{NBSP}€"


def test_a_credit_is_written_with_a_leading_minus() -> None:
    assert format_money(-150, "EUR", "en") == "-€1.50"
    assert format_money(-123456, "EUR", "fr") == f"-1{NNBSP}234,56{NBSP}€"


def test_an_unsupported_locale_writes_english() -> None:
    assert format_money(123456, "EUR", "es") == "€1,234.56"
    assert format_money(123456, "EUR", "") == "€1,234.56"


def test_a_region_does_not_change_the_language() -> None:
    assert format_money(123456, "EUR", "fr-CH") == format_money(123456, "EUR", "fr")
    assert resolve_locale("de_AT") == "de"
    assert resolve_locale("FR") == "fr"


def test_an_unknown_currency_is_refused() -> None:
    with pytest.raises(ValueError, match="ISO 4217"):
        format_money(100, "XYZ", "en")
    with pytest.raises(ValueError, match="ISO 4217"):
        format_money(100, "eur", "en")


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("en", "27 November 2026"), ("fr", "27 novembre 2026"), ("de", "27. November 2026")],
)
def test_dates_are_written_in_full_in_each_language(locale: str, expected: str) -> None:
    assert format_date(date(2026, 11, 27), locale) == expected


def test_month_names_follow_the_language() -> None:
    assert format_date(date(2026, 3, 5), "en") == "5 March 2026"
    assert format_date(date(2026, 3, 5), "de") == "5. März 2026"
    assert format_date(date(2026, 8, 15), "fr") == "15 août 2026"
    assert format_date(date(2026, 2, 9), "fr") == "9 février 2026"


def test_first_of_the_month_is_premier_in_french() -> None:
    assert format_date(date(2027, 1, 1), "fr") == "1er janvier 2027"
    assert format_date(date(2027, 1, 1), "en") == "1 January 2027"
    assert format_date(date(2027, 1, 1), "de") == "1. Januar 2027"


def test_dates_in_an_unsupported_locale_are_english() -> None:
    assert format_date(date(2026, 12, 31), "pt") == "31 December 2026"
