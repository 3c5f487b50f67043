"""The formulas behind the figures, against hand-computed and published worked examples."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collectra.analytics.formulas import (
    BUCKETS,
    ForecastWeek,
    MonthSales,
    aging_bucket,
    average_days,
    cei,
    dso_countback,
    dso_simple,
    expected_pay_date,
    forecast_weeks,
    share,
    usual_lateness,
)

QUARTER = [MonthSales(31, 10_000), MonthSales(30, 20_000), MonthSales(31, 30_000)]  # Dec, Nov, Oct


def test_countback_matches_the_published_example() -> None:
    """Microsoft Tech Community, "DSO count back method" (2024-05-31,
    https://techcommunity.microsoft.com/t5/excel/dso-count-back-method/td-p/4157003): outstanding 12,000,000,
    periods of 28 days with sales 5,000,000 (P5), 6,000,000 (P4), 6,000,000 (P3): 28 + 28 + 1,000,000 / 6,000,000 x 28
    = 60.67 days.
    """
    months = [MonthSales(28, 5_000_000), MonthSales(28, 6_000_000), MonthSales(28, 6_000_000)]
    assert dso_countback(12_000_000, months) == pytest.approx(28 + 28 + 28 / 6)


def test_countback_within_the_latest_month_is_its_share_of_that_month() -> None:
    assert dso_countback(5_000, QUARTER) == pytest.approx(31 * 5_000 / 10_000)  # 15.5 days


def test_countback_uses_up_whole_months_before_dividing_the_next() -> None:
    # 10,000 of December (31 days), then 15,000 of November's 20,000: 31 + 30 x 0.75
    assert dso_countback(25_000, QUARTER) == pytest.approx(53.5)


def test_countback_of_exactly_the_window_counts_every_day_of_it() -> None:
    assert dso_countback(60_000, QUARTER) == pytest.approx(92)


def test_countback_beyond_the_window_goes_on_at_the_window_average_daily_sales() -> None:
    # 92 days, then 12,000 left at 60,000 / 92 a day: 12,000 x 92 / 60,000 = 18.4 more days
    assert dso_countback(72_000, QUARTER) == pytest.approx(92 + 18.4)


def test_a_month_that_sold_nothing_counts_in_full() -> None:
    months = [MonthSales(31, 0), MonthSales(30, 6_000), MonthSales(31, 0)]
    assert dso_countback(3_000, months) == pytest.approx(31 + 15)


def test_a_month_of_refunds_beyond_its_sales_absorbs_nothing() -> None:
    months = [MonthSales(31, -2_000), MonthSales(30, 6_000), MonthSales(31, 9_000)]
    assert dso_countback(3_000, months) == pytest.approx(31 + 15)


def test_countback_without_sales_or_history_has_no_value() -> None:
    assert dso_countback(1_000, [MonthSales(31, 0), MonthSales(30, 0), MonthSales(31, 0)]) is None
    assert dso_countback(1_000, []) is None


def test_nothing_receivable_is_zero_days_even_with_a_credit_balance() -> None:
    assert dso_countback(0, QUARTER) == 0.0
    assert dso_countback(-500, QUARTER) == 0.0
    assert dso_countback(0, [MonthSales(31, 0)]) == 0.0


@given(st.integers(0, 10**9), st.integers(0, 10**9), st.lists(st.integers(-(10**6), 10**7), min_size=3, max_size=3))
def test_more_receivable_never_means_fewer_days(smaller: int, larger: int, sales: list[int]) -> None:
    smaller, larger = sorted((smaller, larger))
    months = [MonthSales(30, invoiced) for invoiced in sales]
    low, high = dso_countback(smaller, months), dso_countback(larger, months)
    if low is not None and high is not None:
        assert low <= high + 1e-9


@given(st.lists(st.integers(1, 10**7), min_size=3, max_size=3), st.data())
def test_countback_within_the_window_stays_within_its_days(sales: list[int], data: st.DataObject) -> None:
    months = [MonthSales(days, invoiced) for days, invoiced in zip((31, 30, 31), sales, strict=True)]
    receivable = data.draw(st.integers(1, sum(sales)))
    days = dso_countback(receivable, months)
    assert days is not None
    assert 0 < days <= 92 + 1e-9


def test_simple_dso_is_receivable_over_sales_times_days() -> None:
    assert dso_simple(45_000, 60_000, 92) == pytest.approx(69.0)


def test_simple_dso_without_sales_has_no_value_and_a_credit_balance_is_zero() -> None:
    assert dso_simple(1_000, 0, 92) is None
    assert dso_simple(1_000, -300, 92) is None
    assert dso_simple(-1_000, 5_000, 92) == 0.0


def test_cei_matches_the_published_example() -> None:
    """CreditGuru, "Ratio - Collection Effectiveness Index (CEI)"
    (http://www.creditguru.com/index.php/collection-management/collection-metrics/collection-effectiveness-index-cei):
    Jan-Mar, beginning receivables 6,200, credit sales 10,890 over 3 months (3,630 a month), ending total receivables
    6,340, ending current receivables 3,590: CEI = (6,200 + 3,630 - 6,340) / (6,200 + 3,630 - 3,590) = 55.9%.
    """
    assert cei(6_200, 10_890 // 3, 6_340, 3_590) == pytest.approx(55.93, abs=0.005)


def test_cei_of_a_month_that_collected_everything_due_is_100() -> None:
    # 10,000 open, 5,000 invoiced (not yet due at the end), all 10,000 collected
    assert cei(10_000, 5_000, 5_000, 5_000) == pytest.approx(100.0)


def test_cei_falls_below_zero_when_refunds_put_back_more_than_came_in() -> None:
    # 10,000 open, nothing invoiced, 2,000 refunded back onto receivables, nothing current
    assert cei(10_000, 0, 12_000, 0) == pytest.approx(-20.0)


def test_cei_without_anything_collectable_has_no_value() -> None:
    assert cei(0, 0, 0, 0) is None
    assert cei(0, 5_000, 5_000, 5_000) is None


def test_average_days_to_pay() -> None:
    assert average_days(45, 2) == 22.5
    assert average_days(0, 0) is None


@pytest.mark.parametrize(
    ("late", "bucket"),
    [
        (-5, "not_due"),
        (0, "not_due"),
        (1, "days_1_30"),
        (30, "days_1_30"),
        (31, "days_31_60"),
        (60, "days_31_60"),
        (61, "days_61_90"),
        (90, "days_61_90"),
        (91, "days_over_90"),
        (400, "days_over_90"),
    ],
)
def test_aging_buckets_at_their_edges(late: int, bucket: str) -> None:
    as_of = date(2026, 3, 31)
    assert aging_bucket(as_of - timedelta(days=late), as_of) == bucket


def test_aging_counts_calendar_days_across_a_leap_day() -> None:
    assert aging_bucket(date(2028, 1, 30), date(2028, 2, 29)) == "days_1_30"  # 30 days
    assert aging_bucket(date(2028, 1, 29), date(2028, 2, 29)) == "days_31_60"  # 31 days
    assert set(BUCKETS) >= {aging_bucket(date(2028, 1, 1), date(2028, 1, 1))}


@pytest.mark.parametrize(
    ("lateness", "expected"),
    [(None, date(2026, 5, 10)), (0.4, date(2026, 5, 10)), (2.5, date(2026, 5, 13)), (-2.5, date(2026, 5, 7))],
)
def test_expected_pay_date_adds_the_debtors_own_lateness_in_whole_days(lateness: float | None, expected: date) -> None:
    assert expected_pay_date(date(2026, 5, 10), lateness) == expected


@pytest.mark.parametrize(
    ("days_late_total", "paid_debts", "expected"),
    [(0, 0, 0), (10, 1, 10), (21, 2, 11), (-5, 2, -3), (7, 3, 2), (-30, 4, -8)],
)
def test_usual_lateness_is_the_average_days_late_in_whole_days(
    days_late_total: int, paid_debts: int, expected: int
) -> None:
    """10.5 -> 11 and -2.5 -> -3 (half away from zero, as expected_pay_date); 7 / 3 = 2.33 -> 2; none paid: 0."""
    assert usual_lateness(days_late_total, paid_debts) == expected
    if paid_debts:
        assert expected_pay_date(date(2026, 5, 10), days_late_total / paid_debts) == date(2026, 5, 10) + timedelta(
            days=expected
        )


def test_forecast_sums_each_kind_per_week_and_keeps_them_apart() -> None:
    start = date(2026, 6, 1)
    weeks = forecast_weeks(
        start,
        3,
        promised=[(date(2026, 6, 1), 1_000), (date(2026, 6, 7), 500), (date(2026, 6, 8), 200)],
        predicted=[(date(2026, 6, 14), 300), (date(2026, 6, 15), 700)],
    )
    assert weeks == [
        ForecastWeek(date(2026, 6, 1), 1_500, 0),
        ForecastWeek(date(2026, 6, 8), 200, 300),
        ForecastWeek(date(2026, 6, 15), 0, 700),
    ]


def test_forecast_puts_overdue_money_in_the_first_week_and_leaves_out_what_is_beyond_it() -> None:
    start = date(2026, 6, 1)
    weeks = forecast_weeks(start, 2, promised=[(date(2026, 5, 20), 400)], predicted=[(date(2026, 6, 15), 900)])
    assert weeks == [ForecastWeek(date(2026, 6, 1), 400, 0), ForecastWeek(date(2026, 6, 8), 0, 0)]


@given(st.lists(st.tuples(st.integers(-30, 80), st.integers(-(10**6), 10**6))))
def test_forecast_loses_nothing_within_its_horizon(dated: list[tuple[int, int]]) -> None:
    start = date(2026, 6, 1)
    amounts = [(start + timedelta(days=offset), amount) for offset, amount in dated]
    weeks = forecast_weeks(start, 8, promised=amounts, predicted=[])
    assert sum(week.promised for week in weeks) == sum(amount for offset, amount in dated if offset < 56)
    assert [week.week_start for week in weeks] == [start + timedelta(days=7 * i) for i in range(8)]


def test_share_is_a_fraction_of_the_whole() -> None:
    assert share(3, 4) == 0.75
    assert share(0, 0) is None
