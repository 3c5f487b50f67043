"""Turning parsed rows into debtors and debts: idempotent, never half-written, in few round trips.

A row whose debt already exists with the same values changes nothing, so importing the same file twice
changes nothing the second time; a changed row updates its debt (found by invoice number), one
transaction each. New debts are written together, as many rows as fit in one transaction (100 items):
each row's debt, invoice-number claim and timeline entry, each new debtor once, and one count update per
existing debtor. If such a transaction fails (a row conflicts with a change made meanwhile), its rows are
written again one by one, so a bad row never blocks the good ones and each row is wholly written or not
at all. Lookups are batched: 100 invoice numbers or references per BatchGetItem, and customer emails by
ranges of the debtors' email index (see `_Debtors.look_up_emails`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from collectra import store
from collectra.debtors.records import kind_of
from collectra.debtors.service import new_debtor_item
from collectra.debts import aggregates, lateness
from collectra.debts import service as debts
from collectra.debts.records import Actor, Debt
from collectra.debts.states import OPEN_STATES
from collectra.debts.timeline import actor_user
from collectra.errors import CollectraError
from collectra.imports.model import ImportRow, ParsedFile, RowError
from collectra.payments.chargeable import require_chargeable
from collectra.payments.stripe_amounts import StripeAmountRefused
from collectra.store import keys
from collectra.workspaces.records import Workspace

_BATCH = 100  # keys per BatchGetItem, and emails per range query
_TRANSACTION_ITEMS = 100  # DynamoDB's limit per TransactWriteItems
_ITEMS_PER_DEBT = 3  # the debt, its invoice-number claim, its timeline entry
_RANGE_SLACK = 4  # a range query reads at most this many debtors per email it looks for


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
    """Finds each row's debtor by the business's reference, else by email; plans it once if new.

    A planned debtor is written by the first transaction that succeeds with one of its rows; until then
    it stays planned, so a failed row never leaves later rows pointing at a debtor that does not exist.
    """

    def __init__(self, workspace: Workspace, rows: list[ImportRow]) -> None:
        self.workspace = workspace
        references = sorted({row.reference for row in rows if row.reference})
        claims = _batched([keys.external_ref(workspace["id"], ref) for ref in references])
        self.by_reference = {ref: claim["debtor_id"] for ref, claim in zip(references, claims, strict=True) if claim}
        self.by_email: dict[str, str | None] = {}
        self.look_up_emails({row.customer_email for row in rows if row.customer_email and not row.reference})
        self.planned: dict[str, dict[str, Any]] = {}  # new debtors of this import, by reference or email
        self.unwritten: dict[str, dict[str, Any]] = {}  # planned debtors no transaction has written yet, by id
        self.new_ids: set[str] = set()  # every debtor this import plans: no history to predict from yet
        # Recorded debtors' kinds, read only when the file states kinds (to refuse a row that contradicts one).
        self.kinds: dict[str, str] = {}
        if any(row.debtor_kind for row in rows):
            self._read_kinds({*self.by_reference.values(), *(i for i in self.by_email.values() if i)})

    def _read_kinds(self, debtor_ids: set[str]) -> None:
        ordered = sorted(debtor_ids - set(self.kinds))
        found = _batched([keys.debtor(self.workspace["id"], debtor_id) for debtor_id in ordered])
        self.kinds |= {debtor_id: kind_of(item or {}) for debtor_id, item in zip(ordered, found, strict=True)}

    def kind(self, debtor_id: str) -> str:
        """The kind of a debtor found for a row: as recorded, or as this import plans it."""
        planned = self.unwritten.get(debtor_id) or next(
            (item for item in self.planned.values() if item["id"] == debtor_id), None
        )
        if planned is not None:
            return kind_of(planned)
        if debtor_id not in self.kinds:
            self._read_kinds({debtor_id})
        return self.kinds[debtor_id]

    def look_up_emails(self, emails: set[str]) -> None:
        """The first debtor (by id) of each email, reading the email index a range of 100 emails at a time.

        A range read stops after 4 debtors per email wanted, so a workspace with many debtors between the
        file's emails costs no more than asking email by email; emails it did not reach are asked one by
        one when their row comes.
        """
        ordered = sorted(emails)
        for start in range(0, len(ordered), _BATCH):
            wanted = ordered[start : start + _BATCH]
            page = store.query(
                "gsi2pk = :p AND gsi2sk BETWEEN :first AND :last",
                {
                    ":p": keys.debtors_by_email(self.workspace["id"]),
                    ":first": wanted[0],
                    ":last": f"{wanted[-1]}#\uffff",
                },
                index="gsi2",
                limit=_RANGE_SLACK * len(wanted),
            )
            first_of: dict[str, str] = {}
            for item in page.items:
                first_of.setdefault(item["gsi2sk"].rsplit("#", 1)[0], item["id"])
            reached = page.last_key["gsi2sk"].rsplit("#", 1)[0] if page.last_key else None
            for email in wanted:
                if reached is None or email <= reached:
                    self.by_email[email] = first_of.get(email)

    def _by_email(self, email: str) -> str | None:
        if email not in self.by_email:
            self.look_up_emails({email})
        return self.by_email[email]

    def find(self, row: ImportRow) -> str | None:
        if row.reference:
            return self.by_reference.get(row.reference) or self._planned_id(row.reference)
        if row.customer_email:
            return self._by_email(row.customer_email) or self._planned_id(row.customer_email)
        return None

    def _planned_id(self, handle: str) -> str | None:
        planned = self.planned.get(handle)
        return planned["id"] if planned else None

    def plan_new(self, row: ImportRow, *, now: datetime) -> str:
        item = new_debtor_item(
            self.workspace,
            {
                "name": row.customer_name,
                "email": row.customer_email,
                "external_ref": row.reference,
                "kind": row.debtor_kind,
            },
            now=now,
        )
        self.planned[row.reference or row.customer_email or ""] = item
        self.unwritten[item["id"]] = item
        self.new_ids.add(item["id"])
        return str(item["id"])

    def items_for(self, debtor_ids: list[str]) -> int:
        """How many transaction items the debtors of these debts take: a count update, or a new debtor."""
        return sum(
            1 + bool(self.unwritten[debtor_id].get("external_ref")) if debtor_id in self.unwritten else 1
            for debtor_id in set(debtor_ids)
        )

    def operations(self, debtor_ids: list[str]) -> list[store.Operation]:
        """Each new debtor written with its count of open debts; each existing one's count raised once."""
        counts: dict[str, int] = {}
        for debtor_id in debtor_ids:
            counts[debtor_id] = counts.get(debtor_id, 0) + 1
        operations: list[store.Operation] = []
        for debtor_id, count in counts.items():
            new = self.unwritten.get(debtor_id)
            if new is None:
                operations.append(debts.debtor_count_op(self.workspace["id"], debtor_id, debts.DebtorChange(count)))
                continue
            operations.append(store.put_op({**new, "open_debts": count}, "attribute_not_exists(pk)"))
            if new.get("external_ref"):
                operations.append(
                    store.put_op(
                        {**keys.external_ref(self.workspace["id"], new["external_ref"]), "debtor_id": debtor_id},
                        "attribute_not_exists(pk)",
                    )
                )
        return operations

    def written(self, debtor_ids: list[str]) -> None:
        for debtor_id in debtor_ids:
            self.unwritten.pop(debtor_id, None)


@dataclass(frozen=True)
class _NewDebt:
    row: ImportRow
    item: Debt


class _Writer:
    """Collects new debts and writes them as few transactions as DynamoDB's 100-item limit allows."""

    def __init__(self, workspace_id: str, debtors: _Debtors, report: ImportReport, actor: Actor) -> None:
        self.workspace_id = workspace_id
        self.debtors = debtors
        self.report = report
        self.actor = actor
        self.pending: list[_NewDebt] = []
        self.known_debtors: set[str] = set()  # existing debtors with new debts: their lateness goes on them

    def _items(self, debts_: list[_NewDebt]) -> int:
        # Plus the figures' shards the debts fall in (one quarter of an hour: at most `aggregates.SHARDS` items).
        shards = len({aggregates.shard_of(d.item["id"]) for d in debts_})
        return _ITEMS_PER_DEBT * len(debts_) + shards + self.debtors.items_for([d.item["debtor_id"] for d in debts_])

    def add(self, new: _NewDebt, *, now: datetime) -> None:
        if self._items([*self.pending, new]) > _TRANSACTION_ITEMS:
            self.flush(now=now)
        self.pending.append(new)

    def flush(self, *, now: datetime) -> None:
        group, self.pending = self.pending, []
        if not group:
            return
        if self._write(group, now=now):
            self.report.created += len(group)
            return
        for new in group:  # something in the group conflicted: find which rows, writing the rest
            if self._write([new], now=now):
                self.report.created += 1
            else:
                self.report.reject(
                    new.row.row_number,
                    "invoice_number",
                    f"invoice {new.row.invoice_number} changed while importing; import the file again",
                )

    def _write(self, group: list[_NewDebt], *, now: datetime) -> bool:
        debtor_ids = [new.item["debtor_id"] for new in group]
        operations = self.debtors.operations(debtor_ids)
        for new in group:
            operations += debts.creation_ops(
                self.workspace_id, new.item, actor=self.actor, now=now, count_on_debtor=False
            )
        try:
            store.transact(operations)
        except CollectraError:
            return False
        self.debtors.written(debtor_ids)
        self.known_debtors.update(set(debtor_ids) - self.debtors.new_ids)
        return True


def apply_import(
    workspace: Workspace, user_id: str, parsed: ParsedFile, *, dry_run: bool, now: datetime
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
    writer = _Writer(workspace["id"], debtors, report, actor)
    for row, claim in zip(rows, existing_claims, strict=True):
        current = existing_debts.get(claim["debt_id"]) if claim else None
        try:
            if current is None or current["amount"] != row.amount_minor:  # what is recorded stays importable
                _require_chargeable(workspace, row)
            if current is None:
                new = _NewDebt(
                    row,
                    debts.new_debt_item(
                        workspace["id"], _debtor_of(row, debtors, now), _fields(row), now=now, source="import"
                    ),
                )
                if dry_run:
                    report.created += 1
                else:
                    writer.add(new, now=now)
                continue
            outcome = _apply_change(workspace["id"], row, current, actor=actor, dry_run=dry_run, now=now)
        except CollectraError as error:
            column = error.field if isinstance(error, _RowRefused) else "invoice_number"
            report.reject(row.row_number, parsed.columns.get(column, column), error.message)
            continue
        setattr(report, outcome, getattr(report, outcome) + 1)
    writer.flush(now=now)
    lateness.queue(workspace["id"], writer.known_debtors)  # once per debtor, after all their rows
    report.errors.sort(key=lambda error: error.row_number)
    return report


def _require_chargeable(workspace: Workspace, row: ImportRow) -> None:
    """A row a Stripe-connected workspace's debtor could not pay by card is a row error, on its column."""
    try:
        require_chargeable(workspace, row.amount_minor, row.currency)
    except StripeAmountRefused as refused:
        raise _RowRefused(refused.message, field=refused.about) from refused


def _debtor_of(row: ImportRow, debtors: _Debtors, now: datetime) -> str:
    debtor_id = debtors.find(row)
    if debtor_id is not None:
        # A kind changes what the law lets the business claim: the file may not contradict the record silently.
        if row.debtor_kind and debtors.kind(debtor_id) != row.debtor_kind:
            raise _RowRefused(
                f"{row.customer_name} is recorded as a {debtors.kind(debtor_id)}, not a {row.debtor_kind}: correct "
                "the debtor, or the file",
                field="debtor_kind",
            )
        return debtor_id
    if not row.customer_email:
        raise _RowRefused(
            "a new customer needs an email address (or a reference to an existing one)", field="customer_email"
        )
    return debtors.plan_new(row, now=now)


def _apply_change(
    workspace_id: str, row: ImportRow, current: Debt, *, actor: Actor, dry_run: bool, now: datetime
) -> str:
    fields = _fields(row)
    changes = {name: value for name, value in fields.items() if current.get(name) != value}
    if not changes:
        return "unchanged"
    if "currency" in changes:
        raise _RowRefused(
            f"invoice {row.invoice_number} exists in {current['currency']}, not {row.currency}", field="currency"
        )
    if current["status"] not in OPEN_STATES:
        raise _RowRefused(f"invoice {row.invoice_number} is {current['status'].replace('_', ' ')}: not changed")
    if current.get("plan"):  # its payment plan's terms were agreed on it as it is (debts.states.require_not_in_plan)
        raise _RowRefused(f"invoice {row.invoice_number} is in a payment plan: not changed")
    if not dry_run:
        debts.update_debt(workspace_id, current, changes, version=current["version"], actor=actor, now=now)
    return "updated"
