"""Simple interest day by day, in exact fractions, split into the periods a debtor is shown.

The days counted run from `first` to `last` inclusive. The principal of day d is the debt's amount less every
move dated before d (a payment on day P still counts P at the old principal: what was quoted on P is exactly
what paying on P settles). A paused day (a dispute, [from, to)) does not count; nor does a day without
principal (paid, or overpaid). The rate of day d is that of d's half-year (the UK's: that of the half-year
interest started to run in, SI 2002/1675 art. 4). Interest is the exact sum of
principal * rate / 100 * days / year_days over the periods, never rounded here (`round_half_up` once, by the
caller) and never added to the principal: it never compounds (Directive 2011/7/EU art. 2(5) "simple interest";
§289 BGB "Von Zinsen sind Verzugszinsen nicht zu entrichten"; 1998 Act s1 "simple interest").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise
from math import floor

from collectra.interest.law import Law, rate_floor
from collectra.interest.rates import FR_LEGAL, next_half_year, rate_on

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Period:
    """Days at one principal and one rate."""

    start: date
    end: date  # inclusive
    days: int
    principal: int  # minor units
    rate: Decimal  # percent per year applied
    reference_rate: Decimal | None
    margin: Decimal | None
    series: str | None
    year_days: int
    source: str | None
    contractual: bool

    @property
    def interest(self) -> Fraction:
        """Exact, in minor units."""
        return Fraction(self.principal) * Fraction(self.rate) * self.days / (100 * self.year_days)


Move = tuple[date, int]
Pause = tuple[date, date | None]


def accrue(
    law: Law,
    contractual_rate: Decimal | None,
    amount: int,
    *,
    moves: Sequence[Move],
    pauses: Sequence[Pause],
    first: date,
    last: date,
    starts_to_run: date,
) -> tuple[Period, ...]:
    """The periods of interest from `first` to `last` inclusive (none when `last` is before `first`).
    `starts_to_run` is the day the law's interest starts (the day after the due date), which fixes the UK's
    rate for the debt. RateMissing when a day needs a rate the data does not have."""
    if last < first or (law.series is None and contractual_rate is None):
        return ()
    end = last + ONE_DAY
    cuts = {first, end, *(day + ONE_DAY for day, _ in moves), *_pause_edges(pauses), *_half_years(first, last)}
    periods: list[Period] = []
    for start, stop in pairwise(sorted(day for day in cuts if first <= day <= end)):
        principal = amount - sum(change for day, change in moves if day < start)
        if principal <= 0 or _paused(start, pauses):
            continue
        period = _period(
            law,
            contractual_rate,
            start=start,
            stop=stop,
            principal=principal,
            rate_day=law.rate_day(start, starts_to_run),
        )
        if periods and _continues(periods[-1], period):
            periods[-1] = replace(periods[-1], end=period.end, days=periods[-1].days + period.days)
        else:
            periods.append(period)
    return tuple(periods)


def round_half_up(value: Fraction) -> int:
    """To whole minor units, half up (never negative here: interest is)."""
    return floor(value + Fraction(1, 2))


def _period(
    law: Law, contractual_rate: Decimal | None, *, start: date, stop: date, principal: int, rate_day: date
) -> Period:
    period = Period(
        start=start,
        end=stop - ONE_DAY,
        days=(stop - start).days,
        principal=principal,
        rate=Decimal(0),
        reference_rate=None,
        margin=None,
        series=None,
        year_days=law.year_days(start),
        source=None,
        contractual=False,
    )
    if contractual_rate is not None:
        floor_rate = _floor(law, rate_day)
        if floor_rate is None or contractual_rate >= floor_rate:
            return replace(period, rate=contractual_rate, contractual=True)
        if law.jurisdiction == "FR":  # three times the legal rate (L441-10) rose above the agreed rate
            legal = rate_on(FR_LEGAL, rate_day)
            return replace(period, rate=floor_rate, reference_rate=legal.rate, series=FR_LEGAL, source=legal.source)
    # The statutory rate; in DE also the floor of an agreed rate (§288(6) BGB).
    if law.series is None or law.margin is None:
        raise ValueError(f"{law.jurisdiction} gives this debtor no statutory interest")
    reference = rate_on(law.series, rate_day)
    return replace(
        period,
        rate=reference.rate + law.margin,
        reference_rate=reference.rate,
        margin=law.margin,
        series=law.series,
        source=reference.source,
    )


def _floor(law: Law, day: date) -> Decimal | None:
    if law.jurisdiction == "DE" and law.series is not None and law.margin is not None:
        return rate_on(law.series, day).rate + law.margin  # the statutory rate, + 8 for pre-2014 obligations
    return rate_floor(law.jurisdiction, "business", day)


def _continues(before: Period, after: Period) -> bool:
    same = replace(after, start=before.start, end=before.end, days=before.days)
    return before.end + ONE_DAY == after.start and same == before


def _paused(day: date, pauses: Sequence[Pause]) -> bool:
    return any(start <= day and (end is None or day < end) for start, end in pauses)


def _pause_edges(pauses: Sequence[Pause]) -> Iterable[date]:
    for start, end in pauses:
        yield start
        if end is not None:
            yield end


def _half_years(first: date, last: date) -> Iterable[date]:
    start = next_half_year(first)
    while start <= last:
        yield start
        start = next_half_year(start)
