"""A payment plan's pure rules (collectra.plans.rules), by worked examples and properties."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, cast
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collectra.plans.records import Plan
from collectra.plans.rules import (
    ScheduleRefused,
    allocate,
    asked_now,
    break_at,
    check_schedule,
    check_within_rules,
    every_dates,
    outcome,
    progress,
    split,
)
from collectra.workspaces.payment_plans import PaymentPlans

TODAY = date(2027, 3, 1)


def plan(amounts: list[int], dates: list[str], *, grace_days: int = 5) -> Plan:
    instalments = [
        {"number": number, "due_on": on, "amount": amount}
        for number, (on, amount) in enumerate(zip(dates, amounts, strict=True), start=1)
    ]
    return cast(Plan, {"instalments": instalments, "total": sum(amounts), "grace_days": grace_days})


THREE = plan([3_333, 3_333, 3_334], ["2027-03-10", "2027-04-10", "2027-05-10"])


# ---------------------------------------------------------------- splitting and dates


def test_100_in_3_is_33_33_33_33_then_33_34() -> None:
    assert split(10_000, 3) == [3_333, 3_333, 3_334]


def test_an_even_split_has_no_rounding_and_twelve_is_the_most() -> None:
    assert split(12_000, 12) == [1_000] * 12
    assert split(100, 7) == [14, 14, 14, 14, 14, 14, 16]


def test_a_split_with_a_part_of_zero_is_refused() -> None:
    with pytest.raises(ValueError, match="positive"):
        split(2, 3)


@given(st.integers(min_value=1, max_value=10**12), st.integers(min_value=1, max_value=12))
def test_a_split_sums_to_the_total_every_part_positive_the_last_taking_the_rounding(total: int, count: int) -> None:
    if total < count:
        with pytest.raises(ValueError, match="positive"):
            split(total, count)
        return
    parts = split(total, count)
    assert sum(parts) == total
    assert len(parts) == count
    assert all(part > 0 for part in parts)
    assert len(set(parts[:-1])) <= 1  # equal but the last
    assert 0 <= parts[-1] - parts[0] < count  # the last takes the rounding, less than one unit per part


def test_weekly_and_fortnightly_dates_are_7_and_14_days_apart() -> None:
    assert every_dates(date(2027, 3, 1), 3, "week") == [date(2027, 3, 1), date(2027, 3, 8), date(2027, 3, 15)]
    assert every_dates(date(2027, 3, 1), 2, "two_weeks") == [date(2027, 3, 1), date(2027, 3, 15)]


def test_monthly_dates_keep_the_day_and_clamp_to_the_end_of_a_short_month() -> None:
    assert every_dates(date(2027, 1, 31), 3, "month") == [date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31)]
    assert every_dates(date(2028, 1, 31), 2, "month") == [date(2028, 1, 31), date(2028, 2, 29)]  # a leap year
    assert every_dates(date(2027, 11, 30), 3, "month") == [date(2027, 11, 30), date(2027, 12, 30), date(2028, 1, 30)]


def test_an_unknown_rhythm_is_refused() -> None:
    with pytest.raises(ValueError, match="every"):
        every_dates(TODAY, 2, "day")


# ---------------------------------------------------------------- the schedule's rules


def schedule(*entries: tuple[str, int]) -> list[tuple[date, int]]:
    return [(date.fromisoformat(on), amount) for on, amount in entries]


def refused(entries: list[tuple[date, int]], total: int) -> str:
    with pytest.raises(ScheduleRefused) as error:
        check_schedule(entries, total=total, today=TODAY)
    return error.value.field


def test_a_good_schedule_passes() -> None:
    check_schedule(schedule(("2027-03-01", 50), ("2027-03-08", 50)), total=100, today=TODAY)


def test_one_instalment_or_thirteen_are_refused_naming_the_instalments() -> None:
    assert refused(schedule(("2027-03-01", 100)), 100) == "body.instalments"
    thirteen = [(every, 1) for every in every_dates(TODAY, 13, "week")]
    assert refused(thirteen, 13) == "body.instalments"


def test_twelve_instalments_are_the_most_allowed() -> None:
    check_schedule([(every, 1) for every in every_dates(TODAY, 12, "week")], total=12, today=TODAY)


def test_a_first_date_in_the_past_is_refused_naming_it() -> None:
    assert refused(schedule(("2027-02-28", 50), ("2027-03-08", 50)), 100) == "body.instalments[0].due_on"


def test_dates_less_than_7_days_apart_are_refused_naming_the_later_one() -> None:
    entries = schedule(("2027-03-01", 30), ("2027-03-08", 30), ("2027-03-14", 40))
    assert refused(entries, 100) == "body.instalments[2].due_on"
    assert refused(schedule(("2027-03-08", 50), ("2027-03-01", 50)), 100) == "body.instalments[1].due_on"


def test_a_zero_amount_is_refused_and_a_wrong_sum_names_the_instalments() -> None:
    assert refused(schedule(("2027-03-01", 100), ("2027-03-08", 0)), 100) == "body.instalments[1].amount"
    assert refused(schedule(("2027-03-01", 50), ("2027-03-08", 49)), 100) == "body.instalments"


def within(entries: list[tuple[date, int]], total: int, **settings: Any) -> str | None:
    try:
        check_within_rules(entries, total=total, today=TODAY, settings=PaymentPlans(**settings))
    except ScheduleRefused as error:
        return error.field
    return None


def test_a_debtor_proposes_within_the_workspace_rules() -> None:
    monthly = every_dates(date(2027, 3, 10), 3, "month")
    entries = list(zip(monthly, split(10_000, 3), strict=True))
    assert within(entries, 10_000) is None
    assert within(entries, 10_000, max_instalments=2) == "body.instalments"
    assert within(entries, 10_000, max_days=60) == "body.instalments[2].due_on"  # 10 May is 70 days away
    assert within(entries, 10_000, min_first_percent=34) == "body.instalments[0].amount"  # 33.33 of 100
    assert within(entries, 10_000, min_first_percent=33) is None


# ---------------------------------------------------------------- progress


def statuses(paid_since: int, today: str, the_plan: Plan = THREE) -> list[tuple[int, str]]:
    return [(state["paid"], state["status"]) for state in progress(the_plan, paid_since, date.fromisoformat(today))]


def test_before_anything_is_paid_the_first_is_upcoming_then_due_then_overdue_then_missed() -> None:
    assert statuses(0, "2027-03-09") == [(0, "upcoming")] * 3
    assert statuses(0, "2027-03-10")[0] == (0, "due")
    assert statuses(0, "2027-03-11")[0] == (0, "overdue")
    assert statuses(0, "2027-03-15")[0] == (0, "overdue")  # the fifth grace day
    assert statuses(0, "2027-03-16")[0] == (0, "missed")


def test_a_partial_payment_covers_part_of_an_instalment_and_asks_only_for_the_rest() -> None:
    assert statuses(5_000, "2027-03-20") == [(3_333, "paid"), (1_667, "upcoming"), (0, "upcoming")]
    assert asked_now(THREE, 5_000) == (2, 1_666)
    assert asked_now(THREE, 0) == (1, 3_333)
    assert asked_now(THREE, 10_000) is None


def test_a_refund_counts_against_progress() -> None:
    # 66.66 paid, then 20.00 refunded: paid since is 46.66, the second instalment is open again.
    assert statuses(4_666, "2027-04-09") == [(3_333, "paid"), (1_333, "upcoming"), (0, "upcoming")]
    assert asked_now(THREE, -500) == (1, 3_833)  # refunded more than was paid since: the first asks for more
    assert statuses(-500, "2027-03-01")[0] == (0, "upcoming")


@given(st.integers(min_value=-20_000, max_value=20_000), st.dates(date(2027, 1, 1), date(2027, 7, 1)))
def test_progress_never_marks_paid_an_instalment_the_payments_do_not_cover(paid_since: int, today: date) -> None:
    cumulative = 0
    covered = 0
    for state in progress(THREE, paid_since, today):
        cumulative += state["amount"]
        assert (state["status"] == "paid") == (paid_since >= cumulative)
        assert 0 <= state["paid"] <= state["amount"]
        covered += state["paid"]
    assert covered == max(0, min(paid_since, THREE["total"]))


def test_outcome_completed_when_all_paid_broken_when_missed() -> None:
    assert outcome(THREE, 10_000, date(2027, 3, 1), all_paid=False) == "completed"
    assert outcome(THREE, 0, date(2027, 3, 1), all_paid=True) == "completed"
    assert outcome(THREE, 0, date(2027, 3, 15), all_paid=False) is None
    assert outcome(THREE, 0, date(2027, 3, 16), all_paid=False) == "broken"
    assert outcome(THREE, 3_333, date(2027, 4, 15), all_paid=False) is None  # the second is within grace
    assert outcome(THREE, 3_333, date(2027, 4, 16), all_paid=False) == "broken"


def test_a_plan_breaks_at_midnight_after_the_grace_days_in_the_business_time_zone() -> None:
    # Due 10 March, 5 grace days: missed from 16 March 00:00 in Paris, 23:00 UTC on the 15th.
    assert break_at(THREE, "Europe/Paris", 1) == datetime(2027, 3, 15, 23, 0, tzinfo=UTC)
    assert break_at(THREE, "America/New_York", 1) == datetime(2027, 3, 16, 4, 0, tzinfo=UTC)
    # Without a number: the first instalment what was paid does not cover.
    assert break_at(THREE, "UTC", paid_since=3_333) == datetime(2027, 4, 16, 0, 0, tzinfo=UTC)
    no_grace = plan([50, 50], ["2027-03-10", "2027-03-17"], grace_days=0)
    assert break_at(no_grace, "UTC") == datetime(2027, 3, 11, 0, 0, tzinfo=UTC)


def test_missed_follows_the_business_date_not_utc() -> None:
    # 23:30 UTC on 15 March is already the 16th in Paris: the first instalment is missed there.
    now = datetime(2027, 3, 15, 23, 30, tzinfo=UTC)
    paris_today = now.astimezone(ZoneInfo("Europe/Paris")).date()
    assert statuses(0, paris_today.isoformat())[0][1] == "missed"
    assert statuses(0, now.date().isoformat())[0][1] == "overdue"


# ---------------------------------------------------------------- allocation


def debt(debt_id: str, due_on: str, amount: int, paid: int = 0) -> dict[str, Any]:
    return {"id": debt_id, "due_on": due_on, "amount": amount, "amount_paid": paid}


def test_an_amount_goes_to_the_debts_by_due_date_then_id_each_up_to_its_outstanding() -> None:
    debts = [debt("b", "2027-01-01", 5_000), debt("c", "2026-12-01", 3_000, paid=1_000), debt("a", "2027-01-01", 4_000)]
    assert allocate(3_333, debts) == {"c": 2_000, "a": 1_333}
    assert allocate(9_000, debts) == {"c": 2_000, "a": 4_000, "b": 3_000}
    assert allocate(20_000, debts) == {"c": 2_000, "a": 4_000, "b": 5_000}  # no more than is outstanding
    assert allocate(0, debts) == {}


@given(st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=15), st.integers(0, 200_000))
def test_allocation_never_exceeds_the_amount_or_a_debt_outstanding(outstanding: list[int], amount: int) -> None:
    debts = [debt(f"d{i:02d}", "2027-01-01", owed) for i, owed in enumerate(outstanding)]
    shares = allocate(amount, debts)
    assert sum(shares.values()) == min(amount, sum(outstanding))
    assert all(0 < shares[d["id"]] <= d["amount"] for d in debts if d["id"] in shares)
