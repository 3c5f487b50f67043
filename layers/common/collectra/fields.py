"""Field types shared by the API's models: one definition of an email address, a currency, a time zone, a date."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints

from collectra.locales import SUPPORTED_LOCALES, is_time_zone
from collectra.money import is_currency

# Every date a client sends (a due date, a payment's day, a promise) lies in these years. Rules move dates by
# days and weeks (a reminder's first look 31 days before the due date, a promise's next day), and Python's
# dates end at years 1 and 9999: a date far from today is a typing error, and must be refused before any of
# that arithmetic can fail halfway through a write (issue 11: a due date 0001-01-05 was a 500 mid-import).
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2199, 12, 31)

EMAIL_PATTERN = r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$"

EmailAddress = Annotated[
    str, StringConstraints(strip_whitespace=True, to_lower=True, max_length=254, pattern=EMAIL_PATTERN)
]
Text120 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
Text200 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
OptionalLine = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]


def _currency(code: str) -> str:
    if not is_currency(code):
        raise ValueError("not an ISO 4217 currency code")
    return code


def _time_zone(name: str) -> str:
    if not is_time_zone(name):
        raise ValueError("not an IANA time zone (e.g. Europe/Paris)")
    return name


def _locale(code: str) -> str:
    if code not in SUPPORTED_LOCALES:
        raise ValueError(f"must be one of {', '.join(SUPPORTED_LOCALES)}")
    return code


Currency = Annotated[str, StringConstraints(to_upper=True, pattern=r"^[A-Za-z]{3}$"), AfterValidator(_currency)]
TimeZone = Annotated[str, StringConstraints(max_length=64), AfterValidator(_time_zone)]
Locale = Annotated[str, AfterValidator(_locale)]

CalendarDate = Annotated[date, Field(ge=EARLIEST_DATE, le=LATEST_DATE)]


def within_date_bounds(day: date) -> bool:
    """True for a date the API accepts (EARLIEST_DATE to LATEST_DATE), for readers that are not models."""
    return EARLIEST_DATE <= day <= LATEST_DATE
