"""What POST /debts/import answers."""

from __future__ import annotations

from collectra.imports.apply import ImportReport
from collectra.models import Model


class RejectedRow(Model):
    row: int
    column: str
    reason: str


class ImportResult(Model):
    dry_run: bool
    created: int
    updated: int
    unchanged: int
    rejected: int
    errors: list[RejectedRow]

    @classmethod
    def of(cls, report: ImportReport) -> ImportResult:
        return cls(
            dry_run=report.dry_run,
            created=report.created,
            updated=report.updated,
            unchanged=report.unchanged,
            rejected=report.rejected,
            errors=[RejectedRow(row=e.row_number, column=e.column, reason=e.reason) for e in report.errors],
        )
