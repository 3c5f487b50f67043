"""The formulas behind the figures: pure, no I/O, money in integer minor units of one currency.

Every function takes amounts already summed per currency (figures are never added across currencies) and keeps full
float precision: rounding ratios for display (one decimal) is the caller's job at the API's edge. A ratio that has no
meaning (nothing invoiced, nothing to collect, no paid debt) is None rather than 0 or infinity, so a screen shows "—"
instead of a misleading number.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class MonthSales:
    """One calendar month of the countback: its length in days and what was invoiced in it (net of corrections)."""

    days: int
    invoiced: int


@dataclass(frozen=True)
class ForecastWeek:
    """Seven days of the cash forecast, from `week_start`: promised, predicted and planned money kept apart."""

    week_start: date
    promised: int
    predicted: int
    planned: int = 0


BUCKETS = ("not_due", "days_1_30", "days_31_60", "days_61_90", "days_over_90")


def dso_countback(receivable: int, months: Sequence[MonthSales]) -> float | None:
    """Days sales outstanding by the countback (exhaustion) method; `months` most recent first (usually 3).

    Walk back from the most recent month: while the receivable left is more than that month's sales, subtract them and
    count the month's whole days; the month that is not used up counts `days x left / invoiced`.

        DSO = sum(days of months used up) + days_k x (receivable - sum(invoiced of months used up)) / invoiced_k

    A month whose net invoicing is zero or negative (nothing sold, or refunds beyond sales) absorbs nothing, so its
    whole days count. When the receivable is larger than all the months' sales, the method runs out of history: the
    window's days count in full and what is left is divided by the window's average daily sales (the sales it used
    up / its days), as if older months had sold at that average; the days grow on smoothly past the window's edge.
    None when the window sold nothing (nothing to divide by) or there are no months; 0.0 when nothing is receivable
    (a credit balance counts as nothing outstanding).
    """
    if not months:
        return None
    left = receivable
    if left <= 0:
        return 0.0
    days = 0.0
    for month in months:
        sold = max(month.invoiced, 0)
        if left <= sold:
            return days + month.days * left / sold
        left -= sold
        days += month.days
    window_sales = sum(max(month.invoiced, 0) for month in months)
    if window_sales == 0:
        return None
    return days + left * sum(month.days for month in months) / window_sales


def dso_simple(receivable: int, invoiced: int, days: int) -> float | None:
    """Days sales outstanding by the simple ratio: DSO = receivable / invoiced in the period x days in the period.

    None when the period invoiced nothing (or less than nothing, after refunds); a credit balance counts as zero
    receivable.
    """
    if invoiced <= 0:
        return None
    return max(receivable, 0) * days / invoiced


def cei(beginning_receivable: int, invoiced: int, ending_receivable: int, ending_current: int) -> float | None:
    """Collection effectiveness index of one period, in percent.

        CEI = (beginning receivable + invoiced - ending receivable)
            / (beginning receivable + invoiced - ending current receivable) x 100

    `ending_current` is the part of the ending receivable not yet due. The numerator is what was collected (or
    otherwise cleared) in the period; the denominator what was collectable in it. Net flows can be negative after
    refunds, and the index can then fall below zero: it is reported as computed. None when nothing was collectable
    (the denominator is zero or negative).
    """
    collectable = beginning_receivable + invoiced - ending_current
    if collectable <= 0:
        return None
    return (beginning_receivable + invoiced - ending_receivable) * 100 / collectable


def average_days(total_days: int, count: int) -> float | None:
    """Average days to pay: the sum of each paid debt's days to pay divided by their number; None without any."""
    if count <= 0:
        return None
    return total_days / count


def aging_bucket(due_on: date, as_of: date) -> str:
    """The aging bucket of money due on `due_on`, seen on `as_of`: days past due = as_of - due_on.

    not_due (0 or fewer days past due: due today is not late yet), days_1_30, days_31_60, days_61_90, days_over_90.
    """
    late = (as_of - due_on).days
    if late <= 0:
        return "not_due"
    if late <= 30:
        return "days_1_30"
    if late <= 60:
        return "days_31_60"
    if late <= 90:
        return "days_61_90"
    return "days_over_90"


def expected_pay_date(due_on: date, average_lateness_days: float | None) -> date:
    """When a debtor is expected to pay: due date + their own average lateness (days paid after the due date).

    The lateness is rounded to whole days half away from zero (2.5 -> 3, -2.5 -> -3); a debtor who usually pays early
    is expected before the due date. Without history (None) the due date itself.
    """
    if average_lateness_days is None:
        return due_on
    return due_on + timedelta(days=whole_days(average_lateness_days))


def whole_days(days: float) -> int:
    """Days rounded to a whole number half away from zero (2.5 -> 3, -2.5 -> -3)."""
    whole = math.floor(abs(days) + 0.5)
    return whole if days >= 0 else -whole


def usual_lateness(days_late_total: int, paid_debts: int) -> int:
    """The whole days a debtor's next debt is expected after its due date: their average lateness over the debts
    they paid, rounded half away from zero; 0 before they paid any (the due date itself)."""
    average = average_days(days_late_total, paid_debts)
    return 0 if average is None else whole_days(average)


def forecast_weeks(
    start: date,
    weeks: int,
    promised: Iterable[tuple[date, int]],
    predicted: Iterable[tuple[date, int]],
    planned: Iterable[tuple[date, int]] = (),
) -> list[ForecastWeek]:
    """The cash forecast: `weeks` weeks of seven days from `start`, promised, predicted and planned amounts summed per
    week.

    Week i covers start + 7i to start + 7i + 6. Money dated before `start` is expected and not yet in (a promise
    whose grace day has not passed, a debtor later than their habit, an instalment within its grace days): it falls
    in the first week. Money dated after the last week is beyond the forecast and left out. Promises, predictions and
    payment plans' instalments are kept apart (the caller predicts only what no promise or plan covers), never added
    together.
    """
    by_week = {name: [0] * weeks for name in ("promised", "predicted", "planned")}
    for name, dated in (("promised", promised), ("predicted", predicted), ("planned", planned)):
        for on, amount in dated:
            week = max((on - start).days, 0) // 7
            if week < weeks:
                by_week[name][week] += amount
    return [
        ForecastWeek(
            start + timedelta(days=7 * week),
            by_week["promised"][week],
            by_week["predicted"][week],
            by_week["planned"][week],
        )
        for week in range(weeks)
    ]


def share(part: int, whole: int) -> float | None:
    """part / whole as a fraction (0.25, not 25): e.g. debts paid within 7 days of a reminder step / debts sent it,
    or promises kept / promises kept or broken. None when the whole is zero or negative.
    """
    if whole <= 0:
        return None
    return part / whole
