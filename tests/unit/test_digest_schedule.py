"""When a member's digest goes, and which hours it tells about: 08:00 on their clock, DST days included."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from collectra.digest.schedule import last_send, next_send, reported_window, send_day


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "zone", "expected"),
    [
        # Winter in Paris (UTC+1): 08:00 is 07:00 UTC; at 06:59 UTC today's is still to come.
        ("2027-01-15T06:59:00", "Europe/Paris", "2027-01-15T07:00:00"),
        ("2027-01-15T07:00:00", "Europe/Paris", "2027-01-16T07:00:00"),
        # Summer in Paris (UTC+2).
        ("2027-07-15T03:00:00", "Europe/Paris", "2027-07-15T06:00:00"),
        # The night clocks go forward (Sunday 28 March 2027, 02:00 -> 03:00): that day's 08:00 is 06:00 UTC.
        ("2027-03-27T07:00:00", "Europe/Paris", "2027-03-28T06:00:00"),
        # ... and back (Sunday 31 October 2027): 08:00 is 07:00 UTC again.
        ("2027-10-30T06:00:00", "Europe/Paris", "2027-10-31T07:00:00"),
        # New York's spring forward (14 March 2027): 08:00 EDT is 12:00 UTC, the day before it was 13:00.
        ("2027-03-13T13:00:00", "America/New_York", "2027-03-14T12:00:00"),
        # Half-hour and quarter-hour zones.
        ("2027-01-15T00:00:00", "Asia/Kolkata", "2027-01-15T02:30:00"),
        ("2027-01-15T00:00:00", "Asia/Kathmandu", "2027-01-15T02:15:00"),
        # East of UTC the local day starts earlier: at 22:00 UTC it is already tomorrow in Auckland.
        ("2027-01-14T22:00:00", "Pacific/Auckland", "2027-01-15T19:00:00"),
    ],
)
def test_the_next_digest_is_the_next_eight_oclock_on_the_members_clock(now: str, zone: str, expected: str) -> None:
    assert next_send(utc(now), zone) == utc(expected)


def test_a_digest_is_named_by_the_members_local_day() -> None:
    assert send_day(utc("2027-01-14T19:00:00"), "Pacific/Auckland") == date(2027, 1, 15)
    assert send_day(utc("2027-01-15T07:00:00"), "Europe/Paris") == date(2027, 1, 15)


def test_it_tells_about_the_whole_previous_local_day() -> None:
    start, end = reported_window(date(2027, 1, 15), "Europe/Paris")
    assert (start, end) == (utc("2027-01-13T23:00:00"), utc("2027-01-14T23:00:00"))


def test_the_day_clocks_go_forward_is_23_hours_and_the_day_they_go_back_25() -> None:
    start, end = reported_window(date(2027, 3, 29), "Europe/Paris")  # tells about Sunday 28 March
    assert (end - start).total_seconds() == 23 * 3600
    start, end = reported_window(date(2027, 11, 1), "Europe/Paris")  # tells about Sunday 31 October
    assert (end - start).total_seconds() == 25 * 3600


def test_the_last_eight_oclock_is_the_one_at_or_before_the_moment() -> None:
    assert last_send(utc("2027-01-15T07:00:00"), "Europe/Paris") == utc("2027-01-15T07:00:00")
    assert last_send(utc("2027-01-15T06:59:00"), "Europe/Paris") == utc("2027-01-14T07:00:00")
    assert last_send(utc("2027-03-28T06:30:00"), "Europe/Paris") == utc("2027-03-28T06:00:00")
