"""Amounts and dates as a debtor reads them, in English, French or German.

A small stand-in for CLDR (Babel's import cost is too high for a Lambda cold start): for the three
languages Collectra writes in, it gives the strings Babel gives, except for the one noted in format_date.
Anything that is not one of those languages is written in English.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from collectra.locales import DEFAULT_LOCALE, SUPPORTED_LOCALES
from collectra.money import MINOR_UNIT_EXPONENT

NO_BREAK_SPACE = "\u00a0"
NARROW_NO_BREAK_SPACE = "\u202f"


@dataclass(frozen=True)
class _NumberStyle:
    group: str
    decimal: str
    symbol_first: bool


_STYLES = {
    "en": _NumberStyle(group=",", decimal=".", symbol_first=True),
    "fr": _NumberStyle(group=NARROW_NO_BREAK_SPACE, decimal=",", symbol_first=False),
    "de": _NumberStyle(group=".", decimal=",", symbol_first=False),
}

# CLDR's standard symbols. Every other currency is written with its ISO code, which is never ambiguous
# (a bare "$" would be, for a Canadian or Australian dollar). French disambiguates the dollar and the
# pound, and writes the yen as its code.
_SYMBOLS = {
    "en": {"EUR": "€", "GBP": "£", "USD": "$", "JPY": "¥"},
    "fr": {"EUR": "€", "GBP": "£GB", "USD": "$US"},
    "de": {"EUR": "€", "GBP": "£", "USD": "$", "JPY": "¥"},
}

_MONTHS = {
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    "fr": [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    "de": [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ],
}


def resolve_locale(locale: str) -> str:
    """The language to write in: "en", "fr" or "de". A region is ignored ("fr-CH" is French);
    anything unsupported (or empty) is English."""
    language = locale.replace("_", "-").split("-", 1)[0].lower()
    return language if language in SUPPORTED_LOCALES else DEFAULT_LOCALE


def format_money(amount_minor: int, currency: str, locale: str) -> str:
    """An amount in minor units as the locale writes it: "€1,234.56", "CHF 10.00" (en), "1 234,56 €" (fr),
    "1.234,56 €" (de); JPY has no decimals, KWD three. The space between an amount and its symbol or code
    is a no-break space, and French groups thousands with a narrow no-break space, so an amount never
    wraps across two lines. Raises ValueError for a currency that is not ISO 4217 (upper case).
    """
    exponent = MINOR_UNIT_EXPONENT.get(currency)
    if exponent is None:
        raise ValueError(f"not an ISO 4217 currency code: {currency!r}")
    language = resolve_locale(locale)
    style = _STYLES[language]
    units, minor = divmod(abs(amount_minor), 10**exponent)
    number = f"{units:,}".replace(",", style.group)
    if exponent:
        number += f"{style.decimal}{minor:0{exponent}d}"
    symbol = _SYMBOLS[language].get(currency, currency)
    sign = "-" if amount_minor < 0 else ""
    if style.symbol_first:
        # CLDR's currency spacing: a code ("CHF") is kept apart from the digits, a sign ("€") is not.
        spacing = NO_BREAK_SPACE if symbol[-1].isalpha() else ""
        return f"{sign}{symbol}{spacing}{number}"
    return f"{sign}{number}{NO_BREAK_SPACE}{symbol}"


def format_date(value: date, locale: str) -> str:
    """A date in full, as the locale writes it: "27 November 2026" (en), "27 novembre 2026" (fr),
    "27. November 2026" (de). The first day of a month is "1er" in French, as French readers expect
    (CLDR, and so Babel, write "1")."""
    language = resolve_locale(locale)
    month = _MONTHS[language][value.month - 1]
    if language == "de":
        return f"{value.day}. {month} {value.year}"
    if language == "fr" and value.day == 1:
        return f"1er {month} {value.year}"
    return f"{value.day} {month} {value.year}"


def format_decimal(value: Decimal, locale: str) -> str:
    """A decimal as the locale writes it ("8.5", "8,5"), trailing zeros dropped and never rounded."""
    return format(value.normalize(), "f").replace(".", _STYLES[resolve_locale(locale)].decimal)


def format_rate(percent: Decimal, locale: str) -> str:
    """A yearly rate in percent as the locale writes it: "10.15%" (en), "10,15 %" (fr, narrow no-break space),
    "10,15 %" (de, no-break space). Trailing zeros go ("8.5%", not "8.50%"); the rate is never rounded."""
    spacing = {"en": "", "fr": NARROW_NO_BREAK_SPACE, "de": NO_BREAK_SPACE}[resolve_locale(locale)]
    return f"{format_decimal(percent, locale)}{spacing}%"
