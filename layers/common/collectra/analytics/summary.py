"""GET /workspace/analytics/summary: aging, DSO, days to pay, CEI, the month's money, reminders and the forecast.

Read from the figures as of the day asked for (`closings.figures_as_of`: one Query after the caller's own read),
computed with `formulas`, per currency and never summed across currencies.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from pydantic import Field

from collectra.analytics import formulas
from collectra.analytics.closings import figures_as_of
from collectra.analytics.figures import CurrencyFigures, Figures, last_day, month_of, previous_month
from collectra.debts.service import today_in
from collectra.errors import InvalidInput
from collectra.models import Model
from collectra.workspaces.records import Workspace

MONTHS = 12
DSO_MONTHS = 3
FORECAST_WEEKS = 8

_DAYS = "Days, to one decimal"
_AMOUNT = "Minor units of the currency"


class Bucket(Model):
    amount: int = Field(description="Outstanding, in minor units of the currency")
    count: int = Field(description="How many debts")


class Aging(Model):
    not_due: Bucket = Field(description="Due on `as_of` or later")
    days_1_30: Bucket = Field(description="1 to 30 days past due on `as_of` (`as_of` - due date)")
    days_31_60: Bucket
    days_61_90: Bucket
    days_over_90: Bucket
    total: Bucket = Field(description="Receivable: outstanding on open, partially paid and disputed debts")


class DsoPoint(Model):
    month: str = Field(description="YYYY-MM")
    countback_days: float | None = Field(description="The countback DSO at the month's end (or `as_of`)")


class Dso(Model):
    countback_days: float | None = Field(
        description="Countback (exhaustion) method over the last 3 months, most recent first: while the receivable "
        "left exceeds a month's invoicing, subtract it and count the month's days; the month that is not used up "
        "counts days x left / invoiced. DSO = sum(days of months used up) + days_k x (receivable - sum(invoiced of "
        "months used up)) / invoiced_k. The current month counts its days up to `as_of`. Null when nothing was "
        "invoiced in the window."
    )
    simple_days: float | None = Field(
        description="Simple ratio: receivable / invoiced in the last 3 months x period_days. Null when nothing was "
        "invoiced in the period."
    )
    period_days: int = Field(description="Days of the period: the two months before `as_of`'s, and its days to it")
    trend: list[DsoPoint] = Field(description="The countback DSO at each of the last 12 months' ends, oldest first")


class Month(Model):
    month: str = Field(description="YYYY-MM, in the workspace's time zone; the last one ends at `as_of`")
    invoiced: int = Field(
        description=f"{_AMOUNT}: amounts of new debts, plus changes of amounts, less what cancelled debts still owed"
    )
    collected_page: int = Field(description=f"{_AMOUNT}: paid through Collectra's page (Stripe)")
    collected_manual: int = Field(description=f"{_AMOUNT}: payments booked by hand")
    refunded: int = Field(description=f"{_AMOUNT}: refunded or charged back")
    charges_in: int = Field(
        default=0,
        description=f"{_AMOUNT}: late-payment interest and compensation received, less what of them was given back; "
        "kept apart from the flows above, which are principal only",
    )
    written_off: int = Field(description=f"{_AMOUNT}: what written-off debts still owed")
    disputed: int = Field(description=f"{_AMOUNT}: what newly disputed debts owed")
    ending_receivable: int = Field(description=f"{_AMOUNT}: receivable at the month's end (or `as_of`)")
    cei: float | None = Field(
        description="Collection effectiveness index, percent: (beginning receivable + invoiced - ending receivable) "
        "/ (beginning receivable + invoiced - ending current receivable) x 100, where beginning is the previous "
        "month's ending receivable and current is what was not yet due at the month's end. Null when nothing was "
        "collectable."
    )


class ReminderStep(Model):
    step: int = Field(description="The reminder policy's step (0 is the first)")
    sent: int = Field(description="Debts reminded at this step in the last 12 months")
    paid_within_7_days: int = Field(
        description="Debts paid in full within 7 days of this step, when it was the last step sent to them"
    )
    share: float | None = Field(description="paid_within_7_days / sent; null when none was sent")


class ForecastWeek(Model):
    week_start: date = Field(description="Week i covers week_start to week_start + 6 days; the first starts on as_of")
    promised: int = Field(
        description=f"{_AMOUNT}: what open promises still cover (promised amount less what was paid since), by their "
        "date; a promise whose date has passed falls in the first week"
    )
    predicted: int = Field(
        description=f"{_AMOUNT}: the rest of what open and partially paid debts owe, by their expected pay date (due "
        "date + the debtor's average lateness); what is expected before as_of falls in the first week. The debts of "
        "an active payment plan are not predicted: their money is `planned`"
    )
    planned: int = Field(
        default=0,
        description=f"{_AMOUNT}: active payment plans' instalments not yet paid (each instalment's amount less what "
        "was paid towards it), by the instalment's date; an instalment whose date has passed (within the plan's grace "
        "days) falls in the first week. A plan that ends takes its instalments out (a broken plan's debts are "
        "predicted again)",
    )


class CurrencySummary(Model):
    currency: str = Field(description="ISO 4217 code: every amount of this entry is in it")
    aging: Aging
    dso: Dso
    average_days_to_pay: float | None = Field(
        description="Over the debts paid in full up to as_of: days from issued_on (else the day it was recorded) to "
        "the business day it was paid, averaged. Null when none was paid."
    )
    months: list[Month] = Field(description="The last 12 months, oldest first")
    reminder_steps: list[ReminderStep]
    forecast: list[ForecastWeek] = Field(
        description="8 weeks from as_of; promised, predicted and planned (payment plans' instalments) never added up"
    )


class AnalyticsSummary(Model):
    as_of: date = Field(description="The business day the figures stand at (its end; today: now)")
    today: date = Field(description="The business's date, in its time zone")
    currencies: list[CurrencySummary] = Field(description="One per currency, by code; never summed across them")


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def _months_back(month: str, count: int) -> list[str]:
    """`count` months ending with `month`, most recent first."""
    months = [month]
    while len(months) < count:
        months.append(previous_month(months[-1]))
    return months


def _ending(figures: CurrencyFigures, month: str, as_of: date) -> tuple[int, int]:
    """Receivable at `month`'s end and what of it was not due then (as_of in its own month)."""
    if month == month_of(as_of):
        return figures.receivable(), figures.not_due(as_of)
    closed = figures.ends.get(month)
    return (closed[0], closed[1]) if closed else (0, 0)


def _days_in(month: str, as_of: date) -> int:
    return as_of.day if month == month_of(as_of) else last_day(month).day


def _flow(figures: CurrencyFigures, month: str, measure: str) -> int:
    return figures.months.get(month, {}).get(measure, 0)


def _countback(figures: CurrencyFigures, month: str, as_of: date) -> float | None:
    sales = [formulas.MonthSales(_days_in(m, as_of), _flow(figures, m, "inv")) for m in _months_back(month, DSO_MONTHS)]
    return formulas.dso_countback(_ending(figures, month, as_of)[0], sales)


def _aging(figures: CurrencyFigures, as_of: date) -> Aging:
    buckets = {name: [0, 0] for name in formulas.BUCKETS}
    for due, amount in figures.stocks["ra"].items():
        bucket = buckets[formulas.aging_bucket(date.fromisoformat(due), as_of)]
        bucket[0] += amount
        bucket[1] += figures.stocks["rn"].get(due, 0)
    total = [sum(b[0] for b in buckets.values()), sum(b[1] for b in buckets.values())]
    return Aging(
        **{name: Bucket(amount=a, count=n) for name, (a, n) in buckets.items()},
        total=Bucket(amount=total[0], count=total[1]),
    )


def _dso(figures: CurrencyFigures, as_of: date) -> Dso:
    window = _months_back(month_of(as_of), DSO_MONTHS)
    days = sum(_days_in(m, as_of) for m in window)
    invoiced = sum(_flow(figures, m, "inv") for m in window)
    shown = list(reversed(_months_back(month_of(as_of), MONTHS)))
    return Dso(
        countback_days=_round(_countback(figures, month_of(as_of), as_of)),
        simple_days=_round(formulas.dso_simple(figures.receivable(), invoiced, days)),
        period_days=days,
        trend=[DsoPoint(month=m, countback_days=_round(_countback(figures, m, as_of))) for m in shown],
    )


def _month(figures: CurrencyFigures, month: str, as_of: date) -> Month:
    beginning = _ending(figures, previous_month(month), as_of)[0]
    ending, current = _ending(figures, month, as_of)
    invoiced = _flow(figures, month, "inv")
    return Month(
        month=month,
        invoiced=invoiced,
        collected_page=_flow(figures, month, "cp"),
        collected_manual=_flow(figures, month, "cm"),
        refunded=_flow(figures, month, "rf"),
        charges_in=_flow(figures, month, "ch"),
        written_off=_flow(figures, month, "wo"),
        disputed=_flow(figures, month, "dp"),
        ending_receivable=ending,
        cei=_round(formulas.cei(beginning, invoiced, ending, current)),
    )


def _reminder_steps(figures: CurrencyFigures, months: list[str]) -> list[ReminderStep]:
    sent: dict[int, int] = {}
    paid: dict[int, int] = {}
    for month in months:
        for name, count in figures.months.get(month, {}).items():
            measure, _, step = name.partition(":")
            if measure in ("sent", "p7"):
                counts = sent if measure == "sent" else paid
                counts[int(step)] = counts.get(int(step), 0) + count
    return [
        ReminderStep(
            step=step,
            sent=sent.get(step, 0),
            paid_within_7_days=paid.get(step, 0),
            share=_round(formulas.share(paid.get(step, 0), sent.get(step, 0)), 3),
        )
        for step in sorted({*sent, *paid})
    ]


def _currency(code: str, figures: CurrencyFigures, as_of: date) -> CurrencySummary:
    months = list(reversed(_months_back(month_of(as_of), MONTHS)))
    paid = sum(flows.get("pn", 0) for flows in figures.months.values())
    days = sum(flows.get("pd", 0) for flows in figures.months.values())
    dated = {
        name: [(date.fromisoformat(on), amount) for on, amount in figures.stocks[name].items()]
        for name in ("pa", "ea", "pl")
    }
    forecast = formulas.forecast_weeks(as_of, FORECAST_WEEKS, dated["pa"], dated["ea"], dated["pl"])
    return CurrencySummary(
        currency=code,
        aging=_aging(figures, as_of),
        dso=_dso(figures, as_of),
        average_days_to_pay=_round(formulas.average_days(days, paid)),
        months=[_month(figures, month, as_of) for month in months],
        reminder_steps=_reminder_steps(figures, months),
        forecast=[
            ForecastWeek(
                week_start=week.week_start, promised=week.promised, predicted=week.predicted, planned=week.planned
            )
            for week in forecast
        ],
    )


def summarise(figures: Figures, as_of: date, today: date) -> AnalyticsSummary:
    """The summary of `figures` (as they stood at the end of `as_of`)."""
    return AnalyticsSummary(
        as_of=as_of,
        today=today,
        currencies=[_currency(code, figures.currencies[code], as_of) for code in sorted(figures.currencies)],
    )


def analytics_summary(workspace: Workspace, as_of: date | None, *, now: datetime) -> AnalyticsSummary:
    """The summary as of the business day `as_of` (default today); a day after today is refused (422)."""
    today = today_in(workspace, now)
    day = as_of or today
    if day > today:
        raise InvalidInput(
            f"as_of ({day}) is after today ({today}) in the workspace's time zone.",
            details=[{"field": "query.as_of", "message": "must not be in the future"}],
        )
    figures = figures_as_of(str(workspace["id"]), ZoneInfo(workspace["time_zone"]), day, now=now)
    return summarise(figures, day, today)
