"""The languages Collectra writes in, and a check for IANA time zones."""

from __future__ import annotations

from functools import lru_cache

SUPPORTED_LOCALES = ("en", "fr", "de")
DEFAULT_LOCALE = "en"


@lru_cache(maxsize=512)
def time_zones() -> set[str]:
    """Every name `is_time_zone` accepts (the tz database zoneinfo reads)."""
    from zoneinfo import available_timezones

    return {name for name in available_timezones() if is_time_zone(name)}


def is_time_zone(name: str) -> bool:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if not name or name.startswith(("/", ".")) or ".." in name:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True
