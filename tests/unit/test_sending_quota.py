"""The daily sending quota's rule (collectra.reminders.quota.next_quota): 50, doubling while clean, capped."""

from __future__ import annotations

from collectra.reminders.quota import DEFAULT_CAP, FIRST_DAY, next_quota


def day(quota: int, sent: int, bounced: int = 0, complained: int = 0) -> dict[str, int]:
    return {"quota": quota, "sent": sent, "bounced": bounced, "complained": complained}


def test_a_first_sending_day_allows_fifty() -> None:
    assert (FIRST_DAY, next_quota(None, DEFAULT_CAP)) == (50, 50)


def test_a_day_under_two_percent_of_trouble_doubles_the_next() -> None:
    assert next_quota(day(100, 100, bounced=1), DEFAULT_CAP) == 200
    assert next_quota(day(50, 0), DEFAULT_CAP) == 100


def test_two_percent_or_more_of_bounces_and_complaints_holds_the_quota() -> None:
    assert next_quota(day(100, 100, bounced=1, complained=1), DEFAULT_CAP) == 100
    assert next_quota(day(400, 100, complained=5), DEFAULT_CAP) == 400


def test_the_cap_bounds_every_day_including_the_first() -> None:
    assert next_quota(day(8_000, 8_000), DEFAULT_CAP) == DEFAULT_CAP
    assert next_quota(None, 10) == 10
    assert next_quota(day(10, 10), 10) == 10
