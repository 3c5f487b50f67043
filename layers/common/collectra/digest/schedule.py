"""When a member's daily digest is due, and which day it tells about: pure rules over time zones.

The digest goes at 08:00 on the member's wall clock. The next send is computed in their zone and stored in
UTC, so a day that is 23 or 25 hours long (a DST change) still gets its one digest at 08:00 local, and the
index is read by UTC time alone. A digest tells about the member's whole previous local day, whatever its
length: [yesterday 00:00, today 00:00) in their zone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

SEND_AT = time(8, 0)


def next_send(after: datetime, zone: str) -> datetime:
    """The first 08:00 in `zone` strictly later than `after` (UTC)."""
    local_today = after.astimezone(ZoneInfo(zone)).date()
    for offset in range(3):  # today's 08:00 may have passed; tomorrow's has not (a day is at most 25 hours)
        candidate = at_send_time(local_today + timedelta(days=offset), zone)
        if candidate > after:
            return candidate
    raise AssertionError("unreachable: 08:00 comes every day")


def last_send(upto: datetime, zone: str) -> datetime:
    """The last 08:00 in `zone` at or before `upto` (UTC)."""
    local_today = upto.astimezone(ZoneInfo(zone)).date()
    for offset in range(3):
        candidate = at_send_time(local_today - timedelta(days=offset), zone)
        if candidate <= upto:
            return candidate
    raise AssertionError("unreachable: 08:00 comes every day")


def at_send_time(day: date, zone: str) -> datetime:
    """08:00 of `day` in `zone`, in UTC (an 08:00 skipped by a DST jump resolves as zoneinfo's fold does)."""
    return datetime.combine(day, SEND_AT, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def send_day(slot: datetime, zone: str) -> date:
    """The member's local date of a send (the digest's name: one per member and day)."""
    return slot.astimezone(ZoneInfo(zone)).date()


def reported_window(day: date, zone: str) -> tuple[datetime, datetime]:
    """The previous local day of `day` in `zone`, as a UTC interval [start, end)."""
    tz = ZoneInfo(zone)
    start = datetime.combine(day - timedelta(days=1), time(0), tzinfo=tz).astimezone(UTC)
    end = datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)
    return start, end
