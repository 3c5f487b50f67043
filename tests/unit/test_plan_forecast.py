"""Payment plans in the cash forecast: their instalments are planned money, their debts are not predicted again."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, cast

from collectra.analytics.figures import Figures
from collectra.analytics.formulas import ForecastWeek, forecast_weeks
from collectra.analytics.summary import summarise
from collectra.debts import aggregates
from collectra.debts.records import Debt
from collectra.debts.service import new_debt_item
from collectra.plans import forecast

NOW = datetime(2027, 3, 1, 10, 0, tzinfo=UTC)


def debt(**fields: object) -> Debt:
    made = new_debt_item(
        "ws_1",
        "dbt_1",
        {"invoice_number": "A-1", "amount": 10_000, "currency": "EUR", "issued_on": None, "due_on": "2027-02-01"},
        now=NOW,
        source="api",
    )
    return cast(Debt, {**made, **fields})


PLAN: dict[str, Any] = {"id": "plan_1", "workspace_id": "ws_1", "currency": "EUR", "status": "active"}
PROGRESS = [
    {"number": 1, "due_on": "2027-03-01", "amount": 3_333, "paid": 3_333, "status": "paid"},
    {"number": 2, "due_on": "2027-03-15", "amount": 3_333, "paid": 1_000, "status": "upcoming"},
    {"number": 3, "due_on": "2027-04-01", "amount": 3_334, "paid": 0, "status": "upcoming"},
]


def test_a_debt_entering_a_plan_leaves_the_predicted_money_and_stays_receivable() -> None:
    before = debt()
    after = debt(plan={"id": "plan_1", "started_at": "2027-03-01T10:00:00Z"})
    assert aggregates.delta(before, after, now=NOW) == {"EUR:ea:2027-02-01": -10_000}
    # A payment on it moves the receivable only: the plan books its planned money itself.
    paid = debt(plan=after["plan"], amount_paid=3_333, status="partially_paid")
    assert aggregates.delta(after, paid, now=NOW) == {"EUR:cm": 3_333, "EUR:ra:2027-02-01": -3_333}


def test_an_active_plan_plans_the_unpaid_part_of_each_instalment_by_its_date() -> None:
    assert forecast.planned(PLAN, PROGRESS) == {"2027-03-15": 2_333, "2027-04-01": 3_334}
    assert forecast.planned({**PLAN, "status": "broken"}, PROGRESS) == {}


def test_a_plan_books_only_what_changed_since_it_last_booked() -> None:
    booked = {**PLAN, "forecast": {"2027-03-01": 3_333, "2027-03-15": 3_333, "2027-04-01": 3_334}}
    wanted = forecast.planned(PLAN, PROGRESS)
    assert forecast.change(booked, wanted) == {"EUR:pl:2027-03-01": -3_333, "EUR:pl:2027-03-15": -1_000}
    assert forecast.change({**booked, "forecast": wanted}, wanted) == {}
    expression, values, ops = forecast.ops({**booked, "forecast": wanted}, wanted, now=NOW)
    assert (expression, values, ops) == ("", {}, [])
    # An ended plan takes back everything it booked.
    assert forecast.change({**booked, "status": "completed"}, {}) == {
        "EUR:pl:2027-03-01": -3_333,
        "EUR:pl:2027-03-15": -3_333,
        "EUR:pl:2027-04-01": -3_334,
    }


def test_the_forecast_keeps_planned_money_apart_and_puts_a_late_instalment_in_the_first_week() -> None:
    start = date(2027, 3, 1)
    weeks = forecast_weeks(
        start,
        3,
        promised=[],
        predicted=[(date(2027, 3, 2), 500)],
        planned=[(date(2027, 2, 27), 100), (date(2027, 3, 15), 200)],
    )
    assert weeks == [
        ForecastWeek(date(2027, 3, 1), 0, 500, 100),
        ForecastWeek(date(2027, 3, 8), 0, 0, 0),
        ForecastWeek(date(2027, 3, 15), 0, 0, 200),
    ]


def test_the_summary_shows_planned_money_per_week() -> None:
    figures = Figures()
    figures.add(date(2027, 3, 1), {"EUR:ra:2027-02-01": 6_667, "EUR:rn:2027-02-01": 1, "EUR:pl:2027-03-15": 2_333})
    [currency] = summarise(figures, date(2027, 3, 1), date(2027, 3, 1)).currencies
    assert [week.planned for week in currency.forecast[:3]] == [0, 0, 2_333]
    assert all(week.predicted == 0 for week in currency.forecast)
