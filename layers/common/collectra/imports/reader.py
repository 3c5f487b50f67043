"""Reading a CSV file of debts: first the file as a whole (size, encoding, structure, header), which either
passes or refuses everything; then each row, which either becomes an ImportRow or says what is wrong with it.
"""

from __future__ import annotations

import csv
import io
import re

from collectra.fields import EMAIL_PATTERN
from collectra.imports.amounts import minor_units, read_amount, settle_currency
from collectra.imports.columns import (
    AMOUNT,
    CURRENCY,
    CUSTOMER_EMAIL,
    CUSTOMER_NAME,
    DEBTOR_KIND,
    DEBTOR_KINDS,
    DESCRIPTION,
    DUE_DATE,
    INVOICE_NUMBER,
    ISSUE_DATE,
    LABELS,
    REFERENCE,
    Layout,
    header_key,
    layout_of,
    recognised,
)
from collectra.imports.conventions import Conventions
from collectra.imports.dates import read_date
from collectra.imports.model import (
    MAX_BYTES,
    MAX_ROWS,
    CellError,
    ImportRow,
    MalformedFile,
    ParsedFile,
    RowError,
    quoted,
)
from collectra.money import MINOR_UNIT_EXPONENT

DELIMITERS = (",", ";")

_EMAIL = re.compile(EMAIL_PATTERN)
_EMAIL_MAX_LENGTH = 254
# The same limits as a debt and a debtor created through the API, so an imported row can always be saved.
_INVOICE_NUMBER_MAX = 64
_CUSTOMER_NAME_MAX = 200
_REFERENCE_MAX = 64
_DESCRIPTION_MAX = 500


def parse_csv(data: bytes, *, default_currency: str, locale_hint: str | None = None) -> ParsedFile:
    """Reads a whole file of debts, without touching the database.

    Raises MalformedFile when the file as a whole cannot be used. Otherwise every row is either in `rows` or
    has one RowError per problem in `errors`, never both. `default_currency` (an ISO code; a ValueError if it
    is not one) applies to rows that name no currency; `locale_hint` ("en", "en-US", "fr", "de", ...) settles
    amounts such as 1,234 and dates such as 03/04/2026, which cannot be read without it.
    """
    currency = default_currency.strip().upper()
    if currency not in MINOR_UNIT_EXPONENT:
        raise ValueError(f"default_currency {default_currency!r} is not an ISO 4217 currency code")
    text = _text(data)
    delimiter, header_row, header = _header(text)
    layout = layout_of(header)
    rows: list[ImportRow] = []
    errors: list[RowError] = []
    reading = _RowReader(layout, Conventions.of(locale_hint), currency)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    data_rows = 0
    try:
        for row_number, cells in enumerate(reader, start=1):
            if row_number <= header_row or _blank(cells):
                continue
            data_rows += 1
            if data_rows > MAX_ROWS:
                raise MalformedFile(
                    f"The file has more than {MAX_ROWS:,} rows: split it into files of at most {MAX_ROWS:,}.",
                    details={"problem": "too_many_rows", "limit": MAX_ROWS},
                )
            read = reading.row(row_number, cells)
            if isinstance(read, ImportRow):
                rows.append(read)
            else:
                errors.extend(read)
    except csv.Error as error:
        raise _broken(error, reader.line_num) from error
    if data_rows == 0:
        raise MalformedFile("The file has a header row but no debts under it.", details={"problem": "no_rows"})
    return ParsedFile(rows=rows, errors=errors, columns=dict(layout.headers), delimiter=delimiter)


def _text(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise MalformedFile(
            f"The file is {len(data) / 1024 / 1024:.1f} MB; the limit is {MAX_BYTES // 1024 // 1024} MB. "
            "Split it into smaller files.",
            details={"problem": "too_large", "size": len(data), "limit": MAX_BYTES},
        )
    try:
        text = data.decode("utf-8-sig")  # Excel's "CSV UTF-8" starts with a byte order mark
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise MalformedFile(
            f"The file is not UTF-8 text (line {line} has a character that cannot be read). "
            "Export it again as 'CSV UTF-8'.",
            details={"problem": "not_utf8", "line": line},
        ) from None
    if not text.strip():
        raise MalformedFile("The file is empty.", details={"problem": "empty"})
    return text


def _header(text: str) -> tuple[str, int, list[str]]:
    """The delimiter, and the header row (its number and cells): the first row that is not blank, split by
    whichever delimiter makes it name more known columns (ties go to the one giving more cells, then ",")."""
    best: tuple[tuple[int, int], str, int, list[str]] | None = None
    failures: list[tuple[csv.Error, int]] = []
    for delimiter in DELIMITERS:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        try:
            found = next(((number, cells) for number, cells in enumerate(reader, start=1) if not _blank(cells)), None)
        except csv.Error as error:
            failures.append((error, reader.line_num))
            continue
        if found is None:
            raise MalformedFile("The file is empty.", details={"problem": "empty"})
        number, cells = found
        score = (recognised(cells), len(cells))
        if best is None or score > best[0]:
            best = (score, delimiter, number, cells)
    if best is None:  # neither delimiter could read a first row
        failure, line = failures[0]
        raise _broken(failure, line) from failure
    return best[1], best[2], best[3]


def _broken(error: csv.Error, line: int) -> MalformedFile:
    return MalformedFile(
        f"The file's CSV structure is broken (reading stopped at line {line}): most likely a quote is opened "
        "and never closed, or a closing quote is followed by more text in the same cell.",
        details={"problem": "broken_csv", "line": line, "error": str(error)},
    )


def _blank(cells: list[str]) -> bool:
    return not any(cell.strip() for cell in cells)


class _RowReader:
    """Turns one row into an ImportRow or its list of problems; remembers invoice numbers to catch repeats."""

    def __init__(self, layout: Layout, conventions: Conventions, default_currency: str) -> None:
        self._layout = layout
        self._conventions = conventions
        self._default_currency = default_currency
        self._first_row_of_invoice: dict[str, int] = {}

    def row(self, row_number: int, cells: list[str]) -> ImportRow | list[RowError]:
        problems: list[tuple[str, str]] = []  # (field, reason); "" for the row as a whole
        width = self._width(cells)
        if width > self._layout.width:
            problems.append(("", f"the row has {width} cells, the header has {self._layout.width}"))

        invoice_number = self._text(cells, INVOICE_NUMBER, _INVOICE_NUMBER_MAX, problems, required=True)
        if invoice_number:
            first = self._first_row_of_invoice.setdefault(invoice_number, row_number)
            if first != row_number:
                problems.append((INVOICE_NUMBER, f"invoice number {quoted(invoice_number)} is already on row {first}"))
        customer_name = self._text(cells, CUSTOMER_NAME, _CUSTOMER_NAME_MAX, problems, required=True)
        customer_email = self._email(cells, problems)
        reference = self._text(cells, REFERENCE, _REFERENCE_MAX, problems)
        if reference and reference.startswith("#"):
            # A debtor's reference may not start with # (the API's rule): refuse it here rather than at saving.
            problems.append((REFERENCE, f"{quoted(reference)} starts with #, which a customer reference cannot"))
        description = self._text(cells, DESCRIPTION, _DESCRIPTION_MAX, problems)
        debtor_kind = self._kind(cells, problems)
        money = self._money(cells, problems)
        due_date = issue_date = None
        try:
            due_date = read_date(self._cell(cells, DUE_DATE), self._conventions, what="due date")
        except CellError as error:
            problems.append((DUE_DATE, str(error)))
        issued = self._cell(cells, ISSUE_DATE)
        if issued:
            try:
                issue_date = read_date(issued, self._conventions, what="issue date")
            except CellError as error:
                problems.append((ISSUE_DATE, str(error)))
        if issue_date and due_date and issue_date > due_date:
            due = quoted(self._cell(cells, DUE_DATE))
            problems.append((ISSUE_DATE, f"the issue date {quoted(issued)} is after the due date {due}"))

        if problems or not invoice_number or not customer_name or money is None or due_date is None:
            headers, position = self._layout.headers, self._layout.position
            # In the order of the file's columns, the row as a whole first, as a person reads the row.
            problems.sort(key=lambda problem: position.get(problem[0], -1))
            return [RowError(row_number, headers.get(field, field), reason) for field, reason in problems]
        amount_minor, currency = money
        return ImportRow(
            row_number=row_number,
            invoice_number=invoice_number,
            customer_name=customer_name,
            customer_email=customer_email,
            reference=reference,
            amount_minor=amount_minor,
            currency=currency,
            due_date=due_date,
            issue_date=issue_date,
            description=description,
            debtor_kind=debtor_kind,
        )

    def _cell(self, cells: list[str], field: str) -> str:
        """The field's cell, stripped; "" when the file has no such column or the row stops short of it."""
        position = self._layout.position.get(field)
        if position is None or position >= len(cells):
            return ""
        return cells[position].strip()

    def _width(self, cells: list[str]) -> int:
        # Empty cells past the header's last column hold nothing to lose: spreadsheets often leave a few.
        width = len(cells)
        while width > self._layout.width and not cells[width - 1].strip():
            width -= 1
        return width

    def _text(
        self, cells: list[str], field: str, limit: int, problems: list[tuple[str, str]], *, required: bool = False
    ) -> str | None:
        value = self._cell(cells, field)
        if not value:
            if required:
                problems.append((field, f"the {LABELS[field][0]} is empty"))
            return None
        if len(value) > limit:
            problems.append((field, f"the {LABELS[field][0]} is {len(value)} characters long; at most {limit}"))
        return value

    def _kind(self, cells: list[str], problems: list[tuple[str, str]]) -> str | None:
        written = self._cell(cells, DEBTOR_KIND)
        if not written:
            return None
        kind = DEBTOR_KINDS.get(header_key(written))
        if kind is None:
            problems.append((DEBTOR_KIND, f"{quoted(written)} is neither business nor consumer"))
        return kind

    def _email(self, cells: list[str], problems: list[tuple[str, str]]) -> str | None:
        value = self._cell(cells, CUSTOMER_EMAIL).lower()
        if not value:
            return None
        if len(value) > _EMAIL_MAX_LENGTH or not _EMAIL.fullmatch(value):
            problems.append((CUSTOMER_EMAIL, f"{quoted(value)} is not an email address"))
        return value

    def _money(self, cells: list[str], problems: list[tuple[str, str]]) -> tuple[int, str] | None:
        """The amount in minor units and its currency, or None after noting each problem."""
        stated: str | None = None
        code = self._cell(cells, CURRENCY)
        if code:
            stated = code.upper()
            if stated not in MINOR_UNIT_EXPONENT:
                problems.append((CURRENCY, f"{quoted(code)} is not a currency code (e.g. EUR, USD, GBP)"))
        try:
            written = read_amount(self._cell(cells, AMOUNT), self._conventions)
            if stated is not None and stated not in MINOR_UNIT_EXPONENT:
                return None  # without a currency the decimals cannot be checked; the currency is reported
            currency = settle_currency(
                written, stated=stated, default=self._default_currency, conventions=self._conventions
            )
            return minor_units(written, currency), currency
        except CellError as error:
            problems.append((AMOUNT, str(error)))
            return None
