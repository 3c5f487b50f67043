"""Dates as accounting tools export them: ISO (2026-12-31) always, and day first (31/12/2026, 31.12.2026,
31-12-2026) unless the locale hint is en-US, where slashes and dashes put the month first (12/31/2026).
A date outside the years the API accepts (1900-01-01 to 2199-12-31) is that row's error, like any other
unreadable cell, so it never reaches the writes (where 0001-01-05 once failed after 25 rows were written).
"""

from __future__ import annotations

import re
from datetime import date

from collectra.fields import EARLIEST_DATE, LATEST_DATE, within_date_bounds
from collectra.imports.conventions import Conventions
from collectra.imports.model import CellError, quoted

_YEAR_FIRST = re.compile(r"(?P<year>[0-9]{4})(?P<sep>[-/.])(?P<month>[0-9]{1,2})(?P=sep)(?P<day>[0-9]{1,2})")
_YEAR_LAST = re.compile(r"(?P<first>[0-9]{1,2})(?P<sep>[-/.])(?P<second>[0-9]{1,2})(?P=sep)(?P<year>[0-9]+)")
# What a date cell holds when the spreadsheet exported the number behind it (days since 1899-12-30).
_SERIAL = re.compile(r"[0-9]{1,6}(?:[.,][0-9]+)?")


def read_date(cell: str, conventions: Conventions, *, what: str) -> date:
    """Raises CellError, saying why, for an empty cell or anything that is not a calendar date.

    `what` names the date in messages ("due date").
    """
    text = cell.strip()
    if not text:
        raise CellError(f"the {what} is empty")
    if match := _YEAR_FIRST.fullmatch(text):
        return _calendar(text, int(match["year"]), int(match["month"]), int(match["day"]))
    if match := _YEAR_LAST.fullmatch(text):
        year = match["year"]
        if len(year) == 2:
            raise CellError(f"{quoted(text)} has a two-digit year: write the year in full (e.g. 2026)")
        if len(year) != 4:
            raise CellError(f"{quoted(text)} is not a date")
        # A dotted date is German-style, day first, even in an American file.
        if conventions.month_first and match["sep"] != ".":
            month, day = match["first"], match["second"]
        else:
            day, month = match["first"], match["second"]
        return _calendar(text, int(year), int(month), int(day))
    if _SERIAL.fullmatch(text):
        raise CellError(
            f"{quoted(text)} is a spreadsheet's date serial number, not a date: "
            "format the column as dates (e.g. 2026-12-31) before exporting"
        )
    example = "2026-12-31 or 12/31/2026" if conventions.month_first else "2026-12-31 or 31/12/2026"
    raise CellError(f"{quoted(text)} is not a date: write it like {example}")


def _calendar(text: str, year: int, month: int, day: int) -> date:
    try:
        found = date(year, month, day)
    except ValueError:
        raise CellError(f"{quoted(text)} is not a day of the calendar") from None
    if not within_date_bounds(found):
        raise CellError(
            f"{quoted(text)} is out of range: a date must be between {EARLIEST_DATE.isoformat()} "
            f"and {LATEST_DATE.isoformat()}"
        )
    return found
