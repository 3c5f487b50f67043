"""The reminder rules as pure functions: which step is due, when the window opens, the weekly limit."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import cast

from hypothesis import given
from hypothesis import strategies as st

from collectra.debtors.records import Debtor
from collectra.debts.records import Debt
from collectra.reminders.eligibility import reason_not_to_remind
from collectra.reminders.policy import DEFAULT, Policy, Step, due_step, next_step_day, opening, rate_allows

DUE = date(2027, 3, 10)  # a Wednesday


def test_the_latest_due_step_is_the_one_to_send_after_an_outage() -> None:
    assert due_step(DEFAULT, DUE, -1, date(2027, 3, 6)) is None  # -3 days is the 7th
    assert due_step(DEFAULT, DUE, -1, date(2027, 3, 7)) == 0
    assert due_step(DEFAULT, DUE, -1, date(2027, 3, 20)) == 3  # -3, 0, +3 and +7 have come: only +7
    assert due_step(DEFAULT, DUE, 3, date(2027, 3, 20)) is None  # +14 is the 24th
    assert next_step_day(DEFAULT, DUE, 3) == date(2027, 3, 24)
    assert next_step_day(DEFAULT, DUE, 5) is None  # the policy is finished


def test_repeats_follow_the_last_step() -> None:
    policy = Policy(
        steps=(Step(0, "friendly", "friendly"), Step(7, "final", "final")), repeat_every_days=10, repeat_times=2
    )
    assert [policy.day_of(i, DUE) for i in range(policy.length)] == [
        date(2027, 3, 10),
        date(2027, 3, 17),
        date(2027, 3, 27),
        date(2027, 4, 6),
    ]
    assert policy.step(3).tone == "final"


def test_the_window_opens_at_eight_on_the_next_sending_day_in_the_debtors_zone() -> None:
    friday_night = datetime(2027, 3, 12, 21, 30, tzinfo=UTC)  # 22:30 in Paris
    assert opening(DEFAULT, "Europe/Paris", friday_night) == datetime(2027, 3, 15, 7, 0, tzinfo=UTC)  # Monday 08:00
    inside = datetime(2027, 3, 15, 9, 0, tzinfo=UTC)
    assert opening(DEFAULT, "Europe/Paris", inside) == inside
    early = datetime(2027, 3, 15, 5, 0, tzinfo=UTC)  # 07:00 in Paris, but 01:00 in New York
    assert opening(DEFAULT, "America/New_York", early) == datetime(2027, 3, 15, 12, 0, tzinfo=UTC)


@given(
    st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2030, 1, 1)),
    st.sampled_from(["Europe/Paris", "Asia/Tokyo", "America/Los_Angeles", "Pacific/Auckland"]),
)
def test_an_opening_is_never_before_eight_nor_after_nine_nor_at_a_weekend(moment: datetime, zone: str) -> None:
    from zoneinfo import ZoneInfo

    start = moment.replace(tzinfo=UTC)
    found = opening(DEFAULT, zone, start)
    local = found.astimezone(ZoneInfo(zone))
    assert found >= start
    assert 8 <= local.hour < 21 and local.weekday() < 5


def test_at_most_three_emails_in_any_seven_days() -> None:
    now = datetime(2027, 3, 10, 9, 0, tzinfo=UTC)
    assert rate_allows(DEFAULT, ["2027-03-08T09:00:00Z", "2027-03-09T09:00:00Z"], now) is None
    three = ["2027-03-04T09:00:00Z", "2027-03-08T09:00:00Z", "2027-03-09T09:00:00Z"]
    assert rate_allows(DEFAULT, three, now) == datetime(2027, 3, 11, 9, 0, 1, tzinfo=UTC)
    assert rate_allows(DEFAULT, ["2027-03-01T09:00:00Z", *three[1:]], now) is None  # 9 days ago does not count


def debt_with(**fields: object) -> Debt:
    """A debt holding only the fields the rule reads."""
    return cast(Debt, fields)


def debtor_with(**fields: object) -> Debtor:
    return cast(Debtor, fields)


def test_who_gets_no_reminder_and_why() -> None:
    debtor = debtor_with(email="a@example.com")
    today = date(2027, 3, 10)
    open_debt = debt_with(status="open")
    assert reason_not_to_remind(open_debt, debtor, today) is None
    assert reason_not_to_remind(debt_with(status="paid"), debtor, today) == "paid"
    assert reason_not_to_remind(debt_with(status="disputed"), debtor, today) == "disputed"
    assert reason_not_to_remind(debt_with(status="open", reminders_paused=True), debtor, today) == "paused"
    promised = debt_with(status="open", reminders_paused=True, paused_until="2027-03-10")
    assert reason_not_to_remind(promised, debtor, today) == "promised"
    assert reason_not_to_remind(promised, debtor, date(2027, 3, 11)) is None  # the date passed unpaid
    processing = debt_with(status="open", payment_processing="pay_1")
    assert reason_not_to_remind(processing, debtor, today) == "payment_processing"
    bounced = debtor_with(email="a@example.com", email_suppressed="hard_bounce")
    assert reason_not_to_remind(open_debt, bounced, today) == "hard_bounce"
    assert reason_not_to_remind(open_debt, debtor_with(email=None), today) == "no_email"


def test_a_window_ending_at_24_runs_until_midnight_in_the_debtors_zone() -> None:
    until_midnight = Policy(steps=DEFAULT.steps, window_start_hour=0, window_end_hour=24)
    late = datetime(2027, 3, 15, 22, 30, tzinfo=UTC)  # Monday 23:30 in Paris: still inside
    assert opening(until_midnight, "Europe/Paris", late) == late
    after = datetime(2027, 3, 19, 23, 30, tzinfo=UTC)  # Saturday 00:30 in Paris: Monday at midnight
    assert opening(until_midnight, "Europe/Paris", after) == datetime(2027, 3, 21, 23, 0, tzinfo=UTC)


@given(
    st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2030, 1, 1)),
    st.integers(min_value=0, max_value=23),
    st.sampled_from(["Europe/Paris", "Asia/Tokyo", "America/Los_Angeles", "Pacific/Auckland"]),
)
def test_every_window_the_model_allows_has_an_opening_inside_it(moment: datetime, start_hour: int, zone: str) -> None:
    from zoneinfo import ZoneInfo

    policy = Policy(steps=DEFAULT.steps, window_start_hour=start_hour, window_end_hour=24)
    found = opening(policy, zone, moment.replace(tzinfo=UTC))
    local = found.astimezone(ZoneInfo(zone))
    assert found >= moment.replace(tzinfo=UTC) and local.weekday() < 5
    assert local.hour >= start_hour or found == moment.replace(tzinfo=UTC)
