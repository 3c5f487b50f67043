"""When the instalment scheduler looks at a plan next, and which emails are due: worked examples in several time
zones and across a change of the clocks."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from collectra.plans.schedule import (
    break_time,
    claim_value,
    due_notices,
    next_look,
    notices_of,
    sending_hour_of,
)

BERLIN = "Europe/Berlin"  # summer time from Sunday 2027-03-28, 02:00
NEW_YORK = "America/New_York"  # daylight time from Sunday 2027-03-14, 02:00


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def plan(status: str = "active", **more: Any) -> dict[str, Any]:
    return {
        "id": "plan_1",
        "status": status,
        "created_at": "2027-03-01T10:00:00Z",
        "started_at": "2027-03-01T10:00:00Z",
        "grace_days": 5,
        "collection": {"mode": "manual"},
        "notices": {},
        **more,
    }


def states(*rows: tuple[str, str]) -> list[dict[str, Any]]:
    return [
        {"number": n, "due_on": on, "amount": 100, "paid": 100 if status == "paid" else 0, "status": status}
        for n, (on, status) in enumerate(rows, start=1)
    ]


def test_the_sending_hour_is_the_reminder_windows_start_or_nine() -> None:
    assert sending_hour_of({}) == 9
    assert sending_hour_of({"reminder_policy": {"window_start_hour": 7, "steps": []}}) == 7


def test_the_notices_of_an_instalment_fall_at_the_sending_hour_across_the_change_of_the_clocks() -> None:
    progress = states(("2027-03-30", "upcoming"), ("2027-04-30", "upcoming"))
    found = {n.key: n for n in notices_of(plan(), progress, zone=BERLIN, sending_hour=9)}
    # 3 days before, on the 27th, still winter time (UTC+1); the day after, the 31st, summer time (UTC+2).
    assert found["instalment_upcoming#1"].at == utc(2027, 3, 27, 8)
    assert found["instalment_upcoming#1"].until == utc(2027, 3, 30, 22)  # the end of the date, local
    assert found["instalment_missed#1"].at == utc(2027, 3, 31, 7)
    assert found["instalment_missed#1"].until == utc(2027, 4, 4, 22)  # broken at midnight starting April 5th
    assert break_time(date(2027, 3, 30), 5, BERLIN) == utc(2027, 4, 4, 22)


def test_the_next_look_is_the_earliest_thing_due_and_moves_as_notices_go() -> None:
    progress = states(("2027-03-15", "upcoming"), ("2027-04-15", "upcoming"))
    current = plan(notices={"plan_started#0": "2027-03-01T10:00:00Z"})
    now = utc(2027, 3, 2)
    # 09:00 in New York on Friday the 12th is still standard time: 14:00 UTC.
    assert next_look(current, progress, now=now, zone=NEW_YORK, sending_hour=9) == utc(2027, 3, 12, 14)
    assert due_notices(current, progress, now=utc(2027, 3, 12, 13, 59), zone=NEW_YORK, sending_hour=9) == []
    [upcoming] = due_notices(current, progress, now=utc(2027, 3, 12, 14), zone=NEW_YORK, sending_hour=9)
    assert upcoming.key == "instalment_upcoming#1"
    current["notices"]["instalment_upcoming#1"] = "2027-03-12T14:00:00Z"
    # Then the day after the date (daylight time by then: 13:00 UTC), unless it is paid.
    assert next_look(current, progress, now=utc(2027, 3, 12, 14), zone=NEW_YORK, sending_hour=9) == utc(2027, 3, 16, 13)
    paid = states(("2027-03-15", "paid"), ("2027-04-15", "upcoming"))
    assert next_look(current, paid, now=utc(2027, 3, 12, 14), zone=NEW_YORK, sending_hour=9) == utc(2027, 4, 12, 13)


def test_an_automatic_plan_is_looked_at_on_the_date_to_charge_it_then_at_the_retry() -> None:
    progress = states(("2027-03-15", "due"), ("2027-04-15", "upcoming"))
    automatic = plan(
        collection={"mode": "automatic", "payment_method_id": "pm_1"},
        notices={"plan_started#0": "x", "instalment_upcoming#1": "x"},
    )
    now = utc(2027, 3, 13)
    assert next_look(automatic, progress, now=now, zone="Asia/Tokyo", sending_hour=9) == utc(2027, 3, 15, 0)
    automatic["charges"] = {
        "1": {"tries": 1, "state": "failed", "attempt_id": "a", "next_try_at": "2027-03-18T06:00:00Z"}
    }
    assert next_look(automatic, progress, now=utc(2027, 3, 15, 1), zone="Asia/Tokyo", sending_hour=9) == utc(
        2027, 3, 16, 0
    )  # the missed notice first (the 16th at 09:00 in Tokyo), then the retry
    automatic["notices"]["instalment_missed#1"] = "x"
    assert next_look(automatic, progress, now=utc(2027, 3, 16, 1), zone="Asia/Tokyo", sending_hour=9) == utc(
        2027, 3, 18, 6
    )
    # No automatic retry: the debtor is emailed a link, once.
    automatic["charges"]["1"] = {"tries": 2, "state": "action_required", "attempt_id": "a", "next_try_at": None}
    [failed] = due_notices(automatic, progress, now=utc(2027, 3, 18, 7), zone="Asia/Tokyo", sending_hour=9)
    assert failed.key == "instalment_charge_failed#1"


def test_without_grace_days_the_plan_breaks_before_a_missed_notice_and_the_broken_one_waits_for_the_morning() -> None:
    progress = states(("2027-03-15", "overdue"), ("2027-04-15", "upcoming"))
    strict = plan(grace_days=0, notices={"plan_started#0": "x", "instalment_upcoming#1": "x"})
    assert all(n.kind != "instalment_missed" for n in notices_of(strict, progress, zone="UTC", sending_hour=9))
    assert next_look(strict, progress, now=utc(2027, 3, 15, 12), zone="UTC", sending_hour=9) == utc(2027, 3, 16)
    broken = plan("broken", ended_at="2027-03-16T00:00:00Z", notices={})
    assert next_look(broken, progress, now=utc(2027, 3, 16), zone="UTC", sending_hour=9) == utc(2027, 3, 16, 9)
    broken["notices"]["plan_broken#0"] = "2027-03-16T09:00:00Z"
    assert next_look(broken, progress, now=utc(2027, 3, 16, 9), zone="UTC", sending_hour=9) is None


def test_a_plan_started_within_three_days_of_its_first_date_gets_no_separate_upcoming_notice() -> None:
    progress = states(("2027-03-03", "upcoming"), ("2027-04-03", "upcoming"))
    keys = [n.key for n in notices_of(plan(), progress, zone="UTC", sending_hour=9)]
    assert "instalment_upcoming#1" not in keys
    assert "instalment_upcoming#2" in keys
    assert "plan_started#0" in keys


def test_ended_plans_get_their_final_notice_at_once_then_nothing() -> None:
    for status, kind in (("completed", "plan_completed"), ("declined", "plan_declined")):
        ended = plan(status, ended_at="2027-03-20T22:30:00Z")
        [final] = due_notices(ended, [], now=utc(2027, 3, 20, 22, 31), zone=BERLIN, sending_hour=9)
        assert final.kind == kind
        ended["notices"] = {final.key: "2027-03-20T22:31:00Z"}
        assert next_look(ended, [], now=utc(2027, 3, 20, 22, 31), zone=BERLIN, sending_hour=9) is None
    for quiet in ("cancelled", "withdrawn", "proposed"):
        assert next_look(plan(quiet), [], now=utc(2027, 3, 20), zone=BERLIN, sending_hour=9) is None


def test_a_plan_whose_instalments_are_all_paid_is_looked_at_now_to_be_settled() -> None:
    progress = states(("2027-03-15", "paid"), ("2027-04-15", "paid"))
    done = plan(notices={"plan_started#0": "x"})
    assert next_look(done, progress, now=utc(2027, 3, 20), zone=BERLIN, sending_hour=9) == utc(2027, 3, 20)


def test_a_notice_still_due_keeps_the_plan_due_now() -> None:
    progress = states(("2027-03-15", "upcoming"), ("2027-04-15", "upcoming"))
    assert next_look(plan(), progress, now=utc(2027, 3, 2), zone=BERLIN, sending_hour=9) == utc(2027, 3, 2)


def test_a_notice_being_sent_is_due_again_only_once_its_claim_has_run_out() -> None:
    ended = plan(
        "completed", ended_at="2027-03-20T10:00:00Z", notices={"plan_completed#0": claim_value(utc(2027, 3, 20, 10))}
    )
    assert due_notices(ended, [], now=utc(2027, 3, 20, 10, 1), zone=BERLIN, sending_hour=9) == []
    assert next_look(ended, [], now=utc(2027, 3, 20, 10, 1), zone=BERLIN, sending_hour=9) == utc(2027, 3, 20, 10, 2)
    [again] = due_notices(ended, [], now=utc(2027, 3, 20, 10, 2), zone=BERLIN, sending_hour=9)
    assert again.kind == "plan_completed"
