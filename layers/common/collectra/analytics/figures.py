"""A workspace's figures as they stood at an instant: the debts' deltas (`debts.aggregates`) folded, pure.

`Figures` is what a closing state holds (JSON, integers only): per currency, the stocks by date (receivable and
its count by due date, promised by promised date, predicted by expected date, payment plans' instalments by their
date) and per month of the business (in the workspace's time zone) the flows recorded in it, and, once the month
is over, its ending receivable and the part of it not yet due then (CEI and DSO need both as they stood at the
month's end, which no later read can recompute from the stocks, since they move on).

Folding is in time order: a delta stamped with its quarter of an hour is booked on the business day that quarter
starts in, and every month that ends before that day is closed first with the stocks as they stood.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

STOCKS = ("ra", "rn", "pa", "ea", "pl")


def month_of(day: date) -> str:
    return day.isoformat()[:7]


def next_month(month: str) -> str:
    year, number = int(month[:4]), int(month[5:7])
    return f"{year + number // 12:04d}-{number % 12 + 1:02d}"


def previous_month(month: str) -> str:
    year, number = int(month[:4]), int(month[5:7])
    return f"{year - (number == 1):04d}-{(number - 2) % 12 + 1:02d}"


def last_day(month: str) -> date:
    return date.fromisoformat(f"{next_month(month)}-01") - timedelta(days=1)


@dataclass
class CurrencyFigures:
    stocks: dict[str, dict[str, int]] = field(default_factory=lambda: {name: {} for name in STOCKS})
    months: dict[str, dict[str, int]] = field(default_factory=dict)
    # month -> [ending receivable, the part of it not yet due on the month's last day]
    ends: dict[str, list[int]] = field(default_factory=dict)

    def receivable(self) -> int:
        return sum(self.stocks["ra"].values())

    def not_due(self, on: date) -> int:
        """What is receivable and due after `on`."""
        return sum(amount for due, amount in self.stocks["ra"].items() if due > on.isoformat())

    def as_dict(self) -> dict[str, Any]:
        return {"stocks": self.stocks, "months": self.months, "ends": self.ends}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CurrencyFigures:
        stocks = {name: dict(data.get("stocks", {}).get(name, {})) for name in STOCKS}
        return cls(stocks, {m: dict(v) for m, v in data.get("months", {}).items()}, dict(data.get("ends", {})))


@dataclass
class Figures:
    at: str = ""  # everything recorded before this instant is in (an analytics key's instant; "" for nothing)
    month: str | None = None  # the business month folded up to: the months before it are closed
    currencies: dict[str, CurrencyFigures] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "at": self.at,
            "month": self.month,
            "currencies": {code: figures.as_dict() for code, figures in self.currencies.items()},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Figures:
        currencies = {code: CurrencyFigures.from_dict(value) for code, value in data.get("currencies", {}).items()}
        return cls(str(data.get("at", "")), data.get("month"), currencies)

    def advance(self, day: date) -> None:
        """Move to the business day `day`: close each month that ended before it, as the stocks stand."""
        month = month_of(day)
        if self.month is None:
            self.month = month
        while self.month < month:
            end = last_day(self.month)
            for figures in self.currencies.values():
                figures.ends[self.month] = [figures.receivable(), figures.not_due(end)]
            self.month = next_month(self.month)

    def add(self, day: date, counters: Mapping[str, int]) -> None:
        """Book one delta's counters on the business day `day` (no earlier than any booked before)."""
        self.advance(day)
        month = month_of(day)
        paid: dict[str, list[int]] = {}
        for name, amount in counters.items():
            currency, measure, *argument = name.split(":", 2)
            figures = self.currencies.setdefault(currency, CurrencyFigures())
            if measure in STOCKS:
                stock = figures.stocks[measure]
                stock[argument[0]] = stock.get(argument[0], 0) + int(amount)
                if not stock[argument[0]]:
                    del stock[argument[0]]
                continue
            flows = figures.months.setdefault(month, {})
            if measure in ("pn", "ps"):
                paid.setdefault(currency, [0, 0])[measure == "ps"] += int(amount)
                continue
            key = ":".join([measure, *argument])
            flows[key] = flows.get(key, 0) + int(amount)
        for currency, (count, start_days) in paid.items():
            flows = self.currencies[currency].months[month]
            flows["pn"] = flows.get("pn", 0) + count
            flows["pd"] = flows.get("pd", 0) + count * day.toordinal() - start_days


def business_day(instant: str, zone: ZoneInfo) -> date:
    """The business day an analytics instant (`YYYY-MM-DDTHH:MMZ`) starts in."""
    return datetime.fromisoformat(instant).astimezone(zone).date()


def fold(figures: Figures, deltas: Iterable[tuple[str, Mapping[str, int]]], zone: ZoneInfo) -> Figures:
    """`figures` with `deltas` (quarter's instant, counters), in time order, booked in the time zone `zone`."""
    for quarter, counters in sorted(deltas, key=lambda delta: delta[0]):
        figures.add(business_day(quarter, zone), counters)
    return figures
