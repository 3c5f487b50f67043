"""Turning parsed rows into debtors and debts: idempotent, row by row, never half-written.

Each row is one transaction (its new debtor if any, its debt, the invoice-number claim, the debtor's
count and the timeline entry), so a bad or conflicting row never blocks the good ones and a row is
either wholly written or not at all. A row whose debt already exists with the same values changes
nothing, so importing the same file twice changes nothing the second time; a changed row updates its
debt (found by invoice number). Lookups are batched: 100 invoice numbers or references per read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from collectra import store
from collectra.debtors.service import new_debtor_item
from collectra.debts import service as debts
from collectra.debts.states import OPEN_STATES
from collectra.debts.timeline import actor_user
from collectra.errors import CollectraError
from collectra.imports.model import ImportRow, ParsedFile, RowError
from collectra.store import keys

_BATCH = 100


class _RowRefused(CollectraError):
    """A row that cannot be applied; `field` names the canonical column it is about."""

    def __init__(self, message: str, *, field: str = "invoice_number") -> None:
        super().__init__(message)
        self.field = field


@dataclass
class ImportReport:
    dry_run: bool
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    errors: list[RowError] = field(default_factory=list)

    def reject(self, row_number: int, column: str, reason: str) -> None:
        self.rejected += 1
        self.errors.append(RowError(row_number, column, reason))


def _fields(row: ImportRow) -> dict[str, Any]:
    return {
        "invoice_number": row.invoice_number,
        "description": row.description,
        "amount": row.amount_minor,
        "currency": row.currency,
        "issued_on": row.issue_date.isoformat() if row.issue_date else None,
        "due_on": row.due_date.isoformat(),
    }


def _batched(keys_wanted: list[dict[str, str]]) -> list[dict[str, Any] | None]:
    found: list[dict[str, Any] | None] = []
    for start in range(0, len(keys_wanted), _BATCH):
        found += store.batch_get(keys_wanted[start : start + _BATCH])
    return found


class _Debtors:
    """Finds each row's debtor by the business's reference, else by email; creates it once if new."""

    def __init__(self, workspace: dict[str, Any], rows: list[ImportRow]) -> None:
        self.workspace = workspace
        references = sorted({row.reference for row in rows if row.reference})
        claims = _batched([keys.external_ref(workspace["id"], ref) for ref in references])
        self.by_reference = {ref: claim["debtor_id"] for ref, claim in zip(references, claims, strict=True) if claim}
        self.by_email: dict[str, str | None] = {}
        self.planned: dict[str, dict[str, Any]] = {}  # new debtors of this import, by reference or email

    def find(self, row: ImportRow) -> str | None:
        if row.reference:
            return self.by_reference.get(row.reference) or self._planned_id(row.reference)
        if row.customer_email:
            if row.customer_email not in self.by_email:
                page = store.query(
                    "gsi2pk = :p AND begins_with(gsi2sk, :email)",
                    {":p": keys.debtors_by_email(self.workspace["id"]), ":email": f"{row.customer_email}#"},
                    index="gsi2",
                    limit=1,
                )
                self.by_email[row.customer_email] = page.items[0]["id"] if page.items else None
            return self.by_email[row.customer_email] or self._planned_id(row.customer_email)
        return None

    def _planned_id(self, handle: str) -> str | None:
        planned = self.planned.get(handle)
        return planned["id"] if planned else None

    def plan_new(self, row: ImportRow, *, now: datetime) -> dict[str, Any]:
        item = new_debtor_item(
            self.workspace,
            {"name": row.customer_name, "email": row.customer_email, "external_ref": row.reference},
            now=now,
        )
        self.planned[row.reference or row.customer_email or ""] = item
        return item

    def forget(self, item: dict[str, Any]) -> None:
        """A planned debtor whose row failed was never written: later rows must not point at it."""
        self.planned = {handle: planned for handle, planned in self.planned.items() if planned is not item}

    def creation_ops(self, item: dict[str, Any]) -> list[dict[str, Any]]:
        operations = [store.put_op(item, "attribute_not_exists(pk)")]
        if item.get("external_ref"):
            operations.append(
                store.put_op(
                    {**keys.external_ref(self.workspace["id"], item["external_ref"]), "debtor_id": item["id"]},
                    "attribute_not_exists(pk)",
                )
            )
        return operations


def apply_import(
    workspace: dict[str, Any], user_id: str, parsed: ParsedFile, *, dry_run: bool, now: datetime
) -> ImportReport:
    report = ImportReport(dry_run=dry_run)
    # A row the parser refused may have several problems: each is reported, the row counted once.
    report.errors.extend(parsed.errors)
    report.rejected = len({error.row_number for error in parsed.errors})
    rows = parsed.rows
    existing_claims = _batched([keys.invoice_number(workspace["id"], row.invoice_number) for row in rows])
    existing_debts = dict(
        zip(
            [claim["debt_id"] for claim in existing_claims if claim],
            _batched([keys.debt(workspace["id"], claim["debt_id"]) for claim in existing_claims if claim]),
            strict=True,
        )
    )
    debtors = _Debtors(workspace, rows)
    actor = actor_user(user_id)
    for row, claim in zip(rows, existing_claims, strict=True):
        current = existing_debts.get(claim["debt_id"]) if claim else None
        try:
            outcome = _apply_row(workspace, row, current, debtors, actor=actor, dry_run=dry_run, now=now)
        except CollectraError as error:
            column = error.field if isinstance(error, _RowRefused) else "invoice_number"
            report.reject(row.row_number, parsed.columns.get(column, column), error.message)
            continue
        setattr(report, outcome, getattr(report, outcome) + 1)
    report.errors.sort(key=lambda error: error.row_number)
    return report


def _apply_row(
    workspace: dict[str, Any],
    row: ImportRow,
    current: dict[str, Any] | None,
    debtors: _Debtors,
    *,
    actor: dict[str, str],
    dry_run: bool,
    now: datetime,
) -> str:
    fields = _fields(row)
    if current is not None:
        changes = {name: value for name, value in fields.items() if current.get(name) != value}
        if not changes:
            return "unchanged"
        if "currency" in changes:
            raise _RowRefused(
                f"invoice {row.invoice_number} exists in {current['currency']}, not {row.currency}", field="currency"
            )
        if current["status"] not in OPEN_STATES:
            raise _RowRefused(f"invoice {row.invoice_number} is {current['status'].replace('_', ' ')}: not changed")
        if not dry_run:
            debts.update_debt(workspace["id"], current, changes, version=current["version"], actor=actor, now=now)
        return "updated"
    debtor_id = debtors.find(row)
    operations: list[dict[str, Any]] = []
    new_debtor = None
    if debtor_id is None:
        if not row.customer_email:
            raise _RowRefused(
                "a new customer needs an email address (or a reference to an existing one)", field="customer_email"
            )
        new_debtor = debtors.plan_new(row, now=now)
        new_debtor["open_debts"] = 1
        debtor_id = new_debtor["id"]
        operations += debtors.creation_ops(new_debtor)
    debt = debts.new_debt_item(workspace["id"], debtor_id, fields, now=now, source="import")
    operations += debts.creation_ops(workspace["id"], debt, actor=actor, now=now, count_on_debtor=new_debtor is None)
    if not dry_run:
        try:
            store.transact(operations)
        except CollectraError:
            if new_debtor is not None:
                debtors.forget(new_debtor)
            raise CollectraError(
                f"invoice {row.invoice_number} changed while importing; import the file again"
            ) from None
    return "created"
