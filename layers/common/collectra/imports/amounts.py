"""Amounts as accounting tools write them ("1 234,56 €", "$1,234.56", "EUR 1.234,56", "1'234.50"), read exactly
(Decimal, never float) into minor units of their currency.

Grouping and decimal marks are told apart by the way the number is written wherever that settles it; only a
lone "," or "." followed by exactly three digits ("1,234") needs the locale hint, and without one it is refused
rather than guessed, since guessing wrong is off by a factor of a thousand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Context, Decimal, Inexact

from collectra.debts.models import MAX_AMOUNT
from collectra.imports.conventions import Conventions
from collectra.imports.model import CellError, quoted
from collectra.money import MINOR_UNIT_EXPONENT

_SIGN = r"[-\u2212]"  # hyphen-minus, and the minus sign some tools write
_MARK = r"[€$£¥]|[A-Za-z]{3}"  # a currency symbol, or an ISO code such as EUR
_NUMBER = r"[0-9](?:[0-9.,'\u2019 \u00a0\u202f]*[0-9])?"  # digits with their separators, a digit at each end
_AMOUNT = re.compile(
    rf"(?P<sign1>{_SIGN})?\s*(?P<before>{_MARK})?\s*(?P<sign2>{_SIGN})?\s*"
    rf"(?P<number>{_NUMBER})"
    rf"\s*(?P<sign3>{_SIGN})?\s*(?P<after>{_MARK})?\s*(?P<sign4>{_SIGN})?"
)
_SEPARATOR = re.compile(r"([^0-9])")
# Every kind of space groups thousands the same way, and so do both apostrophes.
_SEPARATOR_KIND = {"\u00a0": " ", "\u202f": " ", "\u2019": "'"}

# Currencies written with a dollar (or peso) sign.
_DOLLARS = "USD CAD AUD NZD SGD HKD TWD MXN ARS CLP COP BSD BBD BZD BMD BND FJD GYD JMD KYD LRD NAD SBD SRD TTD XCD"

# The currencies a symbol can stand for. Only an unambiguous one sets the currency by itself.
SYMBOLS: dict[str, frozenset[str]] = {
    "€": frozenset({"EUR"}),
    "£": frozenset({"GBP"}),
    "¥": frozenset({"JPY", "CNY"}),
    "$": frozenset(_DOLLARS.split()),
}


# Wide enough for any amount `_exact` lets through, and loud (Inexact) when minor units would drop a digit.
_EXACT = Context(prec=60, traps=[Inexact])


@dataclass(frozen=True)
class WrittenAmount:
    """An amount as the cell states it, before its currency is settled."""

    text: str  # the cell, for messages
    value: Decimal
    mark: str | None  # the currency symbol or upper-cased ISO code written with it, if any


def read_amount(cell: str, conventions: Conventions) -> WrittenAmount:
    """Raises CellError, saying why, for anything but a positive amount written in one of the known styles."""
    text = cell.strip()
    # A value copied with its quotes, or Excel's leading apostrophe that forces text.
    bare = text.strip("\"'").strip()
    if not bare:
        raise CellError("the amount is empty")
    if bare[0] in "=+@":
        raise CellError(f"{quoted(text)} looks like a spreadsheet formula, not an amount")
    parenthesised = bare.startswith("(") and bare.endswith(")")
    if parenthesised:
        bare = bare[1:-1].strip()
    match = _AMOUNT.fullmatch(bare)
    if match is None or (match["before"] and match["after"]):
        raise CellError(f"{quoted(text)} is not an amount")
    if parenthesised:
        raise CellError(f"{quoted(text)} is in parentheses, which marks a credit: only amounts owed can be imported")
    if match["sign1"] or match["sign2"] or match["sign3"] or match["sign4"]:
        raise CellError(f"{quoted(text)} is negative: only amounts owed can be imported")
    mark = match["before"] or match["after"]
    if mark is not None and mark not in SYMBOLS:
        mark = mark.upper()
        if mark not in MINOR_UNIT_EXPONENT:
            raise CellError(f"{quoted(text)} is not an amount ({mark} is not a currency code)")
    value = _number(match["number"], text, conventions)
    if value == 0:
        raise CellError(f"{quoted(text)} is zero: only amounts owed can be imported")
    return WrittenAmount(text=text, value=value, mark=mark)


def settle_currency(amount: WrittenAmount, *, stated: str | None, default: str, conventions: Conventions) -> str:
    """The amount's currency: the currency column's (`stated`) if any, else the one written with the amount,
    else the default. Raises CellError when the amount's own symbol or code disagrees or cannot be settled."""
    if amount.mark is None:
        return stated or default
    could_be = SYMBOLS.get(amount.mark, frozenset({amount.mark}))
    if stated is not None:
        if stated not in could_be:
            raise CellError(f"{quoted(amount.text)} is not in {stated}, the currency given for this row")
        return stated
    if default in could_be:
        return default
    if len(could_be) == 1:
        return next(iter(could_be))
    if amount.mark == "$" and conventions.dollar is not None:
        return conventions.dollar
    raise CellError(
        f"{quoted(amount.text)} does not say which currency {amount.mark} is: "
        "add a Currency column, or write the code (e.g. USD 12.50)"
    )


def minor_units(amount: WrittenAmount, currency: str) -> int:
    """Raises CellError when the currency has no room for the decimals written (12.345 EUR, 12.5 JPY)."""
    exponent = MINOR_UNIT_EXPONENT[currency]
    # Judged on the value: trailing zeros lose nothing, so 12.00 JPY is 12 (and 12.50 JPY is refused).
    try:
        minor = int(amount.value.scaleb(exponent, context=_EXACT).to_integral_exact(context=_EXACT))
    except Inexact:
        if exponent == 0:
            raise CellError(f"{quoted(amount.text)} has decimals, but {currency} amounts are whole numbers") from None
        raise CellError(f"{quoted(amount.text)} has more decimals than {currency} allows ({exponent})") from None
    if minor > MAX_AMOUNT:
        raise CellError(f"{quoted(amount.text)} is larger than any amount Collectra accepts")
    return minor


def _number(number: str, text: str, conventions: Conventions) -> Decimal:
    parts = _SEPARATOR.split(number)
    runs = parts[0::2]  # the digits between separators
    separators = [_SEPARATOR_KIND.get(part, part) for part in parts[1::2]]
    if not all(runs):  # two separators in a row
        raise CellError(f"{quoted(text)} is not an amount")
    if not separators:
        return _exact(number, "", text)

    decimal_mark = _decimal_mark(runs, separators, text, conventions)
    if decimal_mark is None:
        whole, fraction, grouping = runs, "", separators
    else:
        whole, fraction, grouping = runs[:-1], runs[-1], separators[:-1]
    if grouping and (
        len(set(grouping)) > 1
        or decimal_mark in grouping
        or not _leads_a_group(whole[0])
        or any(len(run) != 3 for run in whole[1:])
    ):
        raise CellError(f"{quoted(text)} is not an amount")
    return _exact("".join(whole), fraction, text)


def _exact(whole: str, fraction: str, text: str) -> Decimal:
    # Far beyond MAX_AMOUNT already; bounding the digits keeps every later step within _EXACT's precision.
    if len(whole.lstrip("0")) > 18 or len(fraction) > 18:
        raise CellError(f"{quoted(text)} is not an amount Collectra can accept")
    return Decimal(f"{whole}.{fraction or '0'}")


def _decimal_mark(runs: list[str], separators: list[str], text: str, conventions: Conventions) -> str | None:
    """Which separator, if any, is the decimal mark: always the last one when there is one."""
    last = separators[-1]
    if last not in ".,":
        return None  # spaces and apostrophes only ever group
    if len(set(separators)) > 1:
        return last  # 1.234,56 and 1 234,56: the other kind groups
    if len(separators) > 1:
        return None  # 1,234,567: a decimal mark appears once, so these group
    if len(runs[-1]) != 3 or not _leads_a_group(runs[0]):
        return last  # 12,5 and 1234,567 and 0,125 can only be decimals
    if conventions.decimal_comma is None:
        raise CellError(
            f"{quoted(text)} could be read two ways (a thousand and more, or one and a bit): "
            "import the file again with a locale hint, e.g. en or fr"
        )
    return last if (last == ",") == conventions.decimal_comma else None


def _leads_a_group(run: str) -> bool:
    """Whether digits can come before a thousands separator: one to three, not starting with 0."""
    return 1 <= len(run) <= 3 and not run.startswith("0")
