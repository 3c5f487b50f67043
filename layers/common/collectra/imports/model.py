"""What reading a CSV file of debts gives back: the rows that can become debts, and what is wrong with the rest."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from collectra.errors import InvalidInput

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 50_000


@dataclass(frozen=True)
class ImportRow:
    """One debt as the file states it, every field already checked: it can be created as it is."""

    row_number: int  # as a spreadsheet numbers it: the header is row 1, the first data row is 2
    invoice_number: str
    customer_name: str
    customer_email: str | None  # lower-cased
    reference: str | None  # the business's own customer reference (the debtor's external_ref)
    amount_minor: int  # > 0, in minor units of `currency`
    currency: str
    due_date: date
    issue_date: date | None  # never after `due_date`
    description: str | None
    debtor_kind: str | None = None  # "business" | "consumer"; None when the file does not say


@dataclass(frozen=True)
class RowError:
    """One problem with one cell; a row with several problems has several of these."""

    row_number: int
    column: str  # the header as written in the file; "" when the row as a whole is wrong (too many cells)
    reason: str  # for the person importing, e.g. "'12,3,4' is not an amount"


@dataclass(frozen=True)
class ParsedFile:
    rows: list[ImportRow]
    errors: list[RowError]  # in row order; no row in `rows` has any
    columns: dict[str, str]  # canonical field -> header as written in the file, for the columns recognised
    delimiter: str


class MalformedFile(InvalidInput):
    """The whole file is refused and nothing in it is imported.

    `details["problem"]` names the rule broken, as a stable word a client can translate: too_large,
    too_many_rows, not_utf8, empty, no_header, missing_columns, duplicate_column, broken_csv, no_rows.
    """

    code = "malformed_csv"


class CellError(ValueError):
    """A cell that cannot be read; the message is the reason shown to the person importing."""


def quoted(text: str) -> str:
    """A cell in a message, cut short: a reason should stay one readable line."""
    shown = text if len(text) <= 40 else text[:39] + "…"
    return f"'{shown}'"
