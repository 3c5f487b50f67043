"""The reference rates late-payment interest is built on, by half-year: `reference_rates.csv` beside this module.

One row per series and half-year (`valid_from` is 1 January or 1 July), the rate in percent per year as a
decimal, and the official page that publishes it:
* ECB_MRO — the ECB's main refinancing operations rate in force on the first calendar day of the half-year
  (Directive 2011/7/EU art. 2(12); Code de commerce L441-10), ecb.europa.eu's key interest rates.
* DE_BASIS — the Basiszinssatz of §247 BGB, set on 1 January and 1 July and published by the Bundesbank.
* FR_LEGAL — le taux de l'intérêt légal (Code monétaire et financier L313-2), "autres cas" (the creditor is
  a business): fixed per half-year by arrêté since 2015, per year before (written here as two equal rows).
* UK_BASE — the Bank of England's Bank Rate in force on 31 December / 30 June before the half-year (Late
  Payment of Commercial Debts (Rates of Interest) (No. 3) Order 2002), bankofengland.co.uk.

The file is read once per process, lazily, with the standard library; a half-year with no row raises
`RateMissing` rather than borrowing a neighbour's rate: a wrong figure loses the creditor's claim. Adding a
half-year: docs/late-payment.md.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

ECB_MRO = "ECB_MRO"
DE_BASIS = "DE_BASIS"
FR_LEGAL = "FR_LEGAL"
UK_BASE = "UK_BASE"
SERIES = (ECB_MRO, DE_BASIS, FR_LEGAL, UK_BASE)

DATA = Path(__file__).with_name("reference_rates.csv")


@dataclass(frozen=True)
class ReferenceRate:
    series: str
    valid_from: date
    rate: Decimal  # percent per year
    source: str


class RateMissing(LookupError):
    """The data has no rate of `series` for the half-year containing `on` (add it: docs/late-payment.md)."""

    def __init__(self, series: str, on: date) -> None:
        super().__init__(f"no {series} rate for the half-year from {half_year_of(on).isoformat()}")
        self.series = series
        self.on = on


def half_year_of(day: date) -> date:
    """The first day of `day`'s half-year: 1 January or 1 July."""
    return date(day.year, 1 if day.month < 7 else 7, 1)


def next_half_year(day: date) -> date:
    """The first day of the half-year after `day`'s."""
    return date(day.year, 7, 1) if day.month < 7 else date(day.year + 1, 1, 1)


def rate_on(series: str, day: date) -> ReferenceRate:
    """The rate of `series` for `day`'s half-year; RateMissing when the data does not have it."""
    found = _table().get((series, half_year_of(day)))
    if found is None:
        raise RateMissing(series, day)
    return found


def latest(series: str) -> date | None:
    """The first day of the latest half-year the data has for `series`."""
    return max((start for name, start in _table() if name == series), default=None)


@cache
def _table() -> dict[tuple[str, date], ReferenceRate]:
    with DATA.open(newline="", encoding="utf-8") as file:
        rows = [
            ReferenceRate(row["series"], date.fromisoformat(row["valid_from"]), Decimal(row["rate"]), row["source"])
            for row in csv.DictReader(file)
        ]
    table = {(row.series, row.valid_from): row for row in rows}
    if len(table) != len(rows) or any(half_year_of(start) != start for _, start in table):
        raise ValueError(f"{DATA.name}: one row per series and half-year, each from 1 January or 1 July")
    return table
