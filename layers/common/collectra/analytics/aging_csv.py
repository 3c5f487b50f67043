"""The aging by debtor as a CSV file for the accountant: the rows of `aging`, amounts in major units.

One header row, then a row per debtor and currency, as the report's pages come (each page is written as soon as it
is read, so the file never holds more than a page of debts in memory beside the text). Dates are ISO 8601; amounts
are decimal numbers with the currency's own number of decimals (`money.major_units`), never summed across
currencies. A cell a spreadsheet would read as a formula (starting with =, +, -, @, a tab or a carriage return) is
written after a single quote, so a debtor named "=HYPERLINK(...)" stays text (OWASP's CSV injection advice).
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

from collectra.analytics.aging import aging_rows
from collectra.analytics.formulas import BUCKETS
from collectra.money import major_units
from collectra.workspaces.records import Workspace

HEADER = ("as_of", "debtor_id", "debtor_name", "currency", *BUCKETS, "total")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def filename(as_of: date) -> str:
    return f"aging-by-debtor-{as_of.isoformat()}.csv"


def safe_cell(value: str) -> str:
    """The cell as text a spreadsheet will not run."""
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value


def aging_csv(workspace: Workspace, *, as_of: date, now: datetime, currency: str | None) -> str:
    """The whole report as CSV text (RFC 4180: CRLF line ends, quotes where needed), led by a UTF-8 byte order
    mark so that a spreadsheet reads accented names right."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for row in aging_rows(workspace, as_of=as_of, now=now, currency=currency):
        amounts = [major_units(row.buckets[bucket], row.currency) for bucket in BUCKETS]
        cells = [as_of.isoformat(), row.debtor_id, row.debtor_name, row.currency, *amounts]
        writer.writerow([safe_cell(cell) for cell in [*cells, major_units(row.total, row.currency)]])
    return out.getvalue()
