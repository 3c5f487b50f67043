"""Importing debts from a CSV file: the parsing half, which reads and checks a file without the database.

`parse_csv` either refuses the whole file (`MalformedFile`, 422 "malformed_csv") or answers a `ParsedFile`
holding the rows ready to become debts and, for every other row, one `RowError` per problem.
"""

from __future__ import annotations

from collectra.imports.model import MAX_BYTES, MAX_ROWS, ImportRow, MalformedFile, ParsedFile, RowError
from collectra.imports.reader import parse_csv

__all__ = ["MAX_BYTES", "MAX_ROWS", "ImportRow", "MalformedFile", "ParsedFile", "RowError", "parse_csv"]
