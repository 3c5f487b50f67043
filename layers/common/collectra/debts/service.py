"""Recording debts and everything that changes them.

Every change is one TransactWriteItems: the debt (conditioned on the version read, so a concurrent
change gets 409 and is never lost), its timeline entries, its ledger entries, the debtor's count of
open debts, and the claim on the invoice number.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any, cast
from zoneinfo import ZoneInfo

from collectra import store
from collectra.clock import iso
from collectra.debts import aggregates, lateness, resolved, timeline
from collectra.debts.charging import CHARGES, Charging, booked, ledger_lines, money_in
from collectra.debts.records import (
    Actor,
    Debt,
    LedgerEntry,
    by_due_date,
    initial_reminder_at,
    invoice_number_claim,
    ledger_index,
    outstanding,
    with_indexes,
)
from collectra.debts.states import (
    IN_PLAN,
    OPEN_STATES,
    Action,
    Status,
    require_not_in_plan,
    shown_status,
    status_after,
    status_after_money,
)
from collectra.errors import Conflict, InvalidInput, NotFound
from collectra.ids import new_id
from collectra.interest import Lines, charges_of
from collectra.listing import decode_cursor, encode_cursor
from collectra.store import keys

LEDGER_PREFIX = "L#"
# The names of a debt's transaction operations whose failed condition callers tell apart (`store.ConditionsFailed`).
DEBT, DEBTOR, INVOICE_NUMBER = "debt", "debtor", "invoice_number"


def days_overdue(debt: Debt, *, today: date) -> int:
    if debt["status"] not in (Status.OPEN, Status.PARTIALLY_PAID):
        return 0
    return max(0, (today - date.fromisoformat(debt["due_on"])).days)


def today_in(workspace: Mapping[str, Any], now: datetime) -> date:
    """The business's own date: "overdue" follows the workspace's time zone, not UTC."""
    return now.astimezone(ZoneInfo(workspace["time_zone"])).date()


def debtor_if_charged(workspace: Mapping[str, Any], debt: Mapping[str, Any]) -> store.Item | None:
    """The debt's debtor, whose kind the charges' law depends on: read (one BatchGetItem) only when the workspace
    claims charges, else None, as `charging_of` and the debt's view then need no debtor."""
    if not (workspace.get("late_payment") or {}).get("enabled"):
        return None
    return store.batch_get([keys.debtor(workspace["id"], debt["debtor_id"])])[0]


def require_debt(item: store.Item | None) -> Debt:
    if item is None:
        raise NotFound("There is no such debt.", code="debt_not_found")
    return cast(Debt, item)


@dataclass(frozen=True)
class DebtorChange:
    """What writing a debt adds to its debtor's counters: their open debts, and their paid debts with the sums of
    those debts' days to pay and days paid after the due date (a debtor's averages: each sum over the count)."""

    open_debts: int = 0
    paid_debts: int = 0
    days_to_pay: int = 0
    days_late: int = 0

    def __add__(self, other: DebtorChange) -> DebtorChange:
        return DebtorChange(
            self.open_debts + other.open_debts,
            self.paid_debts + other.paid_debts,
            self.days_to_pay + other.days_to_pay,
            self.days_late + other.days_late,
        )

    def __sub__(self, other: DebtorChange) -> DebtorChange:
        return self + DebtorChange(-other.open_debts, -other.paid_debts, -other.days_to_pay, -other.days_late)

    def __bool__(self) -> bool:
        return any((self.open_debts, self.paid_debts, self.days_to_pay, self.days_late))

    @property
    def moves_lateness(self) -> bool:
        """The debtor's usual lateness (days late over paid debts) may differ: their debts' forecast with it."""
        return bool(self.paid_debts or self.days_late)


def queue_if_lateness_moved(workspace_id: str, before: Debt, after: Debt) -> None:
    """After a committed write: queue the debtor when it changed what their debts' forecast predicts from."""
    if debtor_change(before, after).moves_lateness:
        lateness.queue(workspace_id, [after["debtor_id"]])


def days_to_pay(debt: Debt) -> int:
    """From the invoice's date (else the day the debt was recorded) to the day it became paid."""
    start = debt.get("issued_on") or debt["created_at"][:10]
    return (date.fromisoformat(str(debt["paid_on"])) - date.fromisoformat(start)).days


def days_late(debt: Debt) -> int:
    """From the due date to the day it became paid (negative: paid early)."""
    return (date.fromisoformat(str(debt["paid_on"])) - date.fromisoformat(debt["due_on"])).days


def _as_counted(debt: Debt | None) -> DebtorChange:
    if debt is None:
        return DebtorChange()
    # A debt paid before paid days were recorded has no `paid_on`: it was never counted, so it is not taken back.
    paid = debt["status"] == Status.PAID and bool(debt.get("paid_on"))
    return DebtorChange(
        open_debts=int(debt["status"] in OPEN_STATES),
        paid_debts=int(paid),
        days_to_pay=days_to_pay(debt) if paid else 0,
        days_late=days_late(debt) if paid else 0,
    )


def debtor_change(before: Debt | None, after: Debt) -> DebtorChange:
    """What writing `after` over `before` (None: a new debt) changes in the debtor's counters."""
    return _as_counted(after) - _as_counted(before)


def with_paid_on(before: Debt, after: Debt, now: datetime) -> Debt:
    """`after`, stamped with the day (UTC) it became paid, or without that day once it is paid no more (a refund)."""
    if after["status"] == Status.PAID and before["status"] != Status.PAID:
        return cast(Debt, {**after, "paid_on": now.date().isoformat()})
    if after["status"] != Status.PAID and "paid_on" in after:
        return cast(Debt, {name: value for name, value in after.items() if name != "paid_on"})
    return after


def debtor_count_op(workspace_id: str, debtor_id: str, change: DebtorChange) -> store.Operation:
    return store.update_op(
        keys.debtor(workspace_id, debtor_id),
        "ADD open_debts :open, paid_debts :paid, days_to_pay_total :days, days_late_total :late",
        {
            ":open": change.open_debts,
            ":paid": change.paid_debts,
            ":days": change.days_to_pay,
            ":late": change.days_late,
            ":yes": True,
        },
        condition="attribute_exists(pk) AND (attribute_not_exists(erased) OR erased <> :yes)",
        name=DEBTOR,
    )


def _saved(
    workspace_id: str, before: Debt | None, after: Debt, *, now: datetime, by_page: bool = False
) -> list[store.Operation]:
    """The one way a debt is written: the debt whole (new, or on the version `before` was read at) and what the
    change moves in the workspace's figures (`aggregates`; `by_page`: money it received came through Stripe), for
    one transaction."""
    if before is None:
        written = store.put_op(with_indexes(workspace_id, after), "attribute_not_exists(pk)", name=DEBT)
    else:
        written = store.put_op(
            with_indexes(workspace_id, after), "version = :seen", {":seen": before["version"]}, name=DEBT
        )
    return [written, *aggregates.delta_op(workspace_id, before, after, now=now, by_page=by_page)]


def _commit(operations: list[store.Operation], *, conflict_messages: dict[str, tuple[str, str]]) -> None:
    """Run the transaction; a failed condition becomes the 409 (or 404) that names what was in the way.

    `conflict_messages` answers by the name of the operation that failed, the first named one first; its first
    entry also answers for a failed operation it does not name.
    """
    try:
        store.transact(operations)
    except store.ConditionsFailed as error:
        answers = [answer for name, answer in conflict_messages.items() if name in error.failed]
        code, message = answers[0] if answers else next(iter(conflict_messages.values()))
        if code.endswith("_not_found"):
            raise NotFound(message, code=code) from error
        raise Conflict(message, code=code) from error


_STALE = ("version_conflict", "This debt changed since you read it. Reload and try again.")
_INVOICE_NUMBER_TAKEN = ("invoice_number_taken", "Another debt already has this invoice number.")


def _invoice_number_claim(workspace_id: str, number: str, debt_id: str) -> store.Operation:
    return store.put_op(
        invoice_number_claim(workspace_id, number, debt_id),
        "attribute_not_exists(pk)",
        name=INVOICE_NUMBER,
    )


def new_debt_item(workspace_id: str, debtor_id: str, fields: dict[str, Any], *, now: datetime, source: str) -> Debt:
    stamp = iso(now)
    debt_id = new_id("debt")
    key = keys.debt(workspace_id, debt_id)
    return {
        "pk": key["pk"],
        "sk": key["sk"],
        "id": debt_id,
        "workspace_id": workspace_id,
        "debtor_id": debtor_id,
        "invoice_number": fields["invoice_number"],
        "description": fields.get("description"),
        "amount": fields["amount"],
        "currency": fields["currency"],
        "issued_on": fields.get("issued_on"),
        "due_on": fields["due_on"],
        "line_items": fields.get("line_items"),
        "amount_paid": 0,
        "status": Status.OPEN.value,
        "reminders_paused": False,
        "reminder_step": -1,  # the last step of the reminder policy sent for this debt
        "next_reminder_at": initial_reminder_at(fields["due_on"]),
        "source": source,
        "created_at": stamp,
        "updated_at": stamp,
        "version": 1,
    }


def creation_ops(
    workspace_id: str, debt: Debt, *, actor: Actor, now: datetime, count_on_debtor: bool = True
) -> list[store.Operation]:
    """The operations that record a new debt: the debt, its invoice number, its debtor's count, its first entry.

    `count_on_debtor=False` when the debtor is created in the same transaction, already counting this debt
    (a transaction may touch each item only once).
    """
    counted = [debtor_count_op(workspace_id, debt["debtor_id"], debtor_change(None, debt))] if count_on_debtor else []
    return [
        *_saved(workspace_id, None, debt, now=now),
        _invoice_number_claim(workspace_id, debt["invoice_number"], debt["id"]),
        *counted,
        timeline.entry_op(
            workspace_id,
            debt["id"],
            "created" if debt["source"] == "api" else "imported",
            actor=actor,
            now=now,
            data=_summary(debt),
        ),
    ]


def _summary(debt: Debt) -> dict[str, Any]:
    return {name: debt.get(name) for name in ("invoice_number", "amount", "currency", "due_on", "issued_on")}


def create_debt(workspace_id: str, fields: dict[str, Any], *, actor: Actor, now: datetime) -> Debt:
    """Record a debt for an existing debtor (one transaction)."""
    debt = new_debt_item(workspace_id, fields["debtor_id"], fields, now=now, source="api")
    _commit(
        creation_ops(workspace_id, debt, actor=actor, now=now),
        conflict_messages={
            DEBT: ("debt_exists", "This debt already exists."),
            INVOICE_NUMBER: _INVOICE_NUMBER_TAKEN,
            DEBTOR: ("debtor_not_found", "There is no such debtor (or it was erased)."),
        },
    )
    lateness.queue(workspace_id, [debt["debtor_id"]])  # its forecast starts from its debtor's history
    return debt


_EDITABLE = ("invoice_number", "description", "amount", "issued_on", "due_on", "line_items")


def update_debt(
    workspace_id: str,
    current: Debt,
    changes: dict[str, Any],
    *,
    version: int,
    actor: Actor,
    now: datetime,
) -> Debt:
    """Correct a debt; the timeline records each field's before and after."""
    if current["version"] != version:
        raise Conflict(_STALE[1], code=_STALE[0])
    changed = {name: value for name, value in changes.items() if name in _EDITABLE and current.get(name) != value}
    if not changed:
        return current
    require_not_in_plan(current, Action.EDIT)
    status_after(Action.EDIT, current["status"], amount=current["amount"], paid=current["amount_paid"])
    updated = cast(Debt, {**current, **changed})
    issued_on = updated.get("issued_on")
    if issued_on and issued_on > updated["due_on"]:
        raise InvalidInput("issued_on is after due_on.", details=[{"field": "body.due_on"}])
    lines = updated.get("line_items")
    if lines and ("amount" in changed or "line_items" in changed):  # a change of one side keeps the other's sum
        # A line sent without a quantity is one (LineItem's default; a PATCH keeps only the fields sent).
        total = sum(int(line.get("quantity", 1)) * int(line["unit_amount"]) for line in lines)
        if total != updated["amount"]:
            field = "body.line_items" if "line_items" in changed else "body.amount"
            raise InvalidInput(
                f"The invoice lines add up to {total}, not to the amount {updated['amount']}: change both together.",
                details=[{"field": field}],
            )
    if "amount" in changed:
        if updated["amount"] < current["amount_paid"]:
            raise InvalidInput(
                f"The amount cannot be less than what was already paid ({current['amount_paid']}).",
                details=[{"field": "body.amount"}],
            )
        if current["status"] != Status.DISPUTED:
            updated["status"] = status_after(
                Action.PAYMENT, current["status"], amount=updated["amount"], paid=current["amount_paid"]
            ).value
    updated |= {"updated_at": iso(now), "version": version + 1}
    updated = with_paid_on(current, updated, now)
    if "due_on" in changed:  # the steps fall on other days now: the planner works out when again
        updated["next_reminder_at"] = initial_reminder_at(updated["due_on"])
    operations = _saved(workspace_id, current, updated, now=now)
    if "invoice_number" in changed:
        operations.append(store.delete_op(keys.invoice_number(workspace_id, current["invoice_number"])))
        operations.append(_invoice_number_claim(workspace_id, updated["invoice_number"], current["id"]))
    edits = {name: {"from": current.get(name), "to": updated.get(name)} for name in changed}
    operations.append(timeline.entry_op(workspace_id, current["id"], "edited", actor=actor, now=now, data=edits))
    operations += _status_change_ops(workspace_id, current, updated, actor=actor, now=now)
    _commit(operations, conflict_messages={DEBT: _STALE, INVOICE_NUMBER: _INVOICE_NUMBER_TAKEN})
    queue_if_lateness_moved(workspace_id, current, updated)
    return updated


def _status_change_ops(
    workspace_id: str,
    before: Debt,
    after: Debt,
    *,
    actor: Actor,
    now: datetime,
    note: str | None = None,
) -> list[store.Operation]:
    if before["status"] == after["status"]:
        return []
    data: dict[str, Any] = {"from": before["status"], "to": after["status"]}
    if note:
        data["note"] = note
    operations = [timeline.entry_op(workspace_id, before["id"], "status_changed", actor=actor, now=now, data=data)]
    change = debtor_change(before, after)
    if change:
        operations.append(debtor_count_op(workspace_id, before["debtor_id"], change))
    return operations


def record_payment(
    workspace_id: str, current: Debt, payment: dict[str, Any], *, charging: Charging, actor: Actor, now: datetime
) -> Debt:
    """Book a payment received outside Collectra: split over principal and the charges due on the day it was
    received (the workspace's allocation order), a ledger entry per line, the amounts paid, maybe a new status."""
    received_on = date.fromisoformat(payment["received_on"])
    charges = charges_of(current, charging.terms, as_of=received_on)
    owed = outstanding(current) + charges.interest_due + charges.compensation_due
    # A debt whose invoice amount is paid may still owe its charges (its debtor paid the invoice amount only):
    # their payment is booked on it, and it stays paid.
    charges_only = current["status"] == Status.PAID and owed > 0
    if payment["amount"] > owed:
        what = "what is outstanding" if owed == outstanding(current) else "the principal and charges due"
        raise InvalidInput(
            f"The payment ({payment['amount']}) is more than {what} ({owed}).",
            code="overpayment",
            details=[{"field": "body.amount"}],
        )
    lines = money_in(current, payment["amount"], charging, on=received_on, designation="all")
    updated = cast(Debt, {**current, **booked(current, lines, 1, received_on)})
    if charges_only:
        status = Status.PAID
    else:
        status = status_after(Action.PAYMENT, current["status"], amount=current["amount"], paid=updated["amount_paid"])
    updated |= {"status": status.value, "updated_at": iso(now), "version": current["version"] + 1}
    updated = with_paid_on(current, updated, now)
    entries = [
        _ledger_entry(
            workspace_id,
            current,
            {
                "kind": "payment",
                "method": payment["method"],
                "reference": payment.get("reference"),
                "received_on": payment["received_on"],
            },
            charge,
            amount,
            actor=actor,
            now=now,
        )
        for charge, amount in ledger_lines(lines)
    ]
    data: dict[str, Any] = {
        "amount": payment["amount"],
        "currency": current["currency"],
        **{name: payment.get(name) for name in ("method", "reference", "received_on")},
    }
    if lines.principal != lines.total:
        data["lines"] = asdict(lines)
    operations = [
        *_saved(workspace_id, current, updated, now=now),
        *[store.put_op(entry) for entry in entries],
        timeline.entry_op(workspace_id, current["id"], "payment_recorded", actor=actor, now=now, data=data),
        *_status_change_ops(workspace_id, current, updated, actor=actor, now=now),
    ]
    _commit(operations, conflict_messages={DEBT: _STALE})
    queue_if_lateness_moved(workspace_id, current, updated)
    resolved.after_payment(workspace_id, updated, now=now)
    return updated


def _ledger_entry(
    workspace_id: str,
    debt: Debt,
    fields: dict[str, Any],
    charge: str | None,
    amount: int,
    *,
    actor: Actor,
    now: datetime,
) -> LedgerEntry:
    """One line of money in or out: principal, or (`charge`) interest or compensation, as its own entry."""
    entry_id = new_id("led")
    entry = cast(
        LedgerEntry,
        {
            "pk": keys.debt_history(workspace_id, debt["id"]),
            "sk": f"{LEDGER_PREFIX}{entry_id}",
            **ledger_index(workspace_id, iso(now), entry_id),
            "id": entry_id,
            **fields,
            "amount": amount,
            "currency": debt["currency"],
            "recorded_at": iso(now),
            "recorded_by": actor,
        },
    )
    if charge:
        entry["charge"] = charge
    return entry


OVERPAYMENT_REFUNDED = "overpayment_refunded"


def _money_back_entry(kind: str) -> str:
    return kind if kind == OVERPAYMENT_REFUNDED else f"payment_{kind}"


def money_ops(
    workspace_id: str,
    current: Debt,
    amount: int,
    *,
    lines: Lines,
    day: date,
    ledger: dict[str, Any],
    actor: Actor,
    now: datetime,
    fields: dict[str, Any] | None = None,
) -> tuple[Debt, list[store.Operation], DebtorChange]:
    """Money in (`amount` > 0) or back out (< 0) of a debt through Stripe, for a caller's transaction.

    `lines` is how `abs(amount)` splits over principal and charges (`debts.charging`), and `day` the day its
    principal counts from (the workspace's day the payment was quoted or booked). Returns the debt as it
    becomes, the operations (the debt conditioned on its version, a ledger entry per line, timeline entries) and
    the change to its debtor's counters, which the caller adds up per debtor: a transaction may touch the debtor
    only once. `ledger` carries the entries' kind ("payment", "refund", "overpayment_refunded" or "chargeback")
    and its references; `fields` are other debt fields to set at the same time.
    """
    if lines.total != abs(amount):
        raise ValueError(f"lines {lines} do not add up to {abs(amount)}")
    updated = cast(Debt, {**current, **(fields or {}), **booked(current, lines, 1 if amount > 0 else -1, day)})
    paid = updated["amount_paid"]
    status = status_after_money(current["status"], amount=current["amount"], paid=paid)
    updated |= {"status": status.value, "updated_at": iso(now), "version": current["version"] + 1}
    if current["status"] == Status.DISPUTED and status != Status.DISPUTED:  # paid in full: the dispute is over
        updated["interest_pauses"] = pauses_after(current.get("interest_pauses", []), day, opens=False)
    if amount > 0:
        updated["last_paid_at"] = iso(now)
    if ledger["kind"] == OVERPAYMENT_REFUNDED:  # shown to the debtor and the business beside what was paid
        updated["overpayment_refunded"] = current.get("overpayment_refunded", 0) + abs(amount)
    updated = with_paid_on(current, updated, now)
    entries = [
        _ledger_entry(
            workspace_id,
            current,
            {**ledger, "received_on": now.date().isoformat()},
            charge,
            line,
            actor=actor,
            now=now,
        )
        for charge, line in ledger_lines(lines)
    ]
    data: dict[str, Any] = {name: ledger.get(name) for name in ("kind", "method", "reference", "attempt_id")}
    data |= {"amount": abs(amount), "currency": current["currency"]}
    if lines.principal != lines.total:
        data["lines"] = asdict(lines)
    if paid > current["amount"]:
        data["overpaid"] = paid - current["amount"]
    operations = [
        *_saved(workspace_id, current, updated, now=now, by_page=True),
        *[store.put_op(entry) for entry in entries],
        timeline.entry_op(
            workspace_id,
            current["id"],
            "payment_received" if amount > 0 else _money_back_entry(ledger["kind"]),
            actor=actor,
            now=now,
            data=data,
        ),
    ]
    if status != current["status"]:
        operations.append(
            timeline.entry_op(
                workspace_id,
                current["id"],
                "status_changed",
                actor=actor,
                now=now,
                data={"from": current["status"], "to": status.value},
            )
        )
    return updated, operations, debtor_change(current, updated)


def saved_ops(workspace_id: str, before: Debt, after: Debt, *, now: datetime) -> list[store.Operation]:
    """The debt written as `after` if it is still at the version of `before`, with what that moves in the figures
    (for a caller's transaction)."""
    return _saved(workspace_id, before, after, now=now)


def change_status(
    workspace_id: str,
    current: Debt,
    action: Action,
    *,
    actor: Actor,
    now: datetime,
    today: date,
    note: str | None = None,
    also: list[store.Operation] | None = None,
) -> Debt:
    """Dispute, reopen, cancel or write off a debt (409 from a state that does not allow it).

    A dispute holds the debt's interest from `today` (the workspace's day) until it leaves the disputed state
    (`interest_pauses`; whether a pause counts is the workspace's `pause_while_disputed`, read by the charges).
    """
    if action in _REFUSED_IN_PLAN:
        require_not_in_plan(current, action)
    status = status_after(action, current["status"], amount=current["amount"], paid=current["amount_paid"])
    updated: Debt = {**current, "status": status.value, "updated_at": iso(now), "version": current["version"] + 1}
    if (status == Status.DISPUTED) != (current["status"] == Status.DISPUTED):
        updated["interest_pauses"] = pauses_after(
            current.get("interest_pauses", []), today, opens=status == Status.DISPUTED
        )
    operations = [
        *_saved(workspace_id, current, updated, now=now),
        *_status_change_ops(workspace_id, current, updated, actor=actor, now=now, note=note),
        *(also or []),
    ]
    _commit(operations, conflict_messages={DEBT: _STALE})
    queue_if_lateness_moved(workspace_id, current, updated)
    resolved.after_status_change(workspace_id, current, updated, actor=actor, note=note, now=now)
    return updated


# What a debt in a payment plan refuses (409 `debt_in_plan`): the plan's terms were agreed on it as it is.
_REFUSED_IN_PLAN = (Action.DISPUTE, Action.CANCEL, Action.WRITE_OFF)


def pauses_after(
    pauses: list[list[str | None]], today: date, *, opens: bool, why: str | None = None
) -> list[list[str | None]]:
    """The debt's interest pauses once a dispute (or, `why=PLAN_PAUSE`, a payment plan) opens one (a new open
    pause) or ends it (its open pause closed today; the other kind's are left alone)."""
    mark = [why] if why else []
    if opens:
        return [*pauses, [today.isoformat(), None, *mark]]
    return [[start, today.isoformat() if end is None and rest == mark else end, *rest] for start, end, *rest in pauses]


def waive_charges(
    workspace_id: str,
    current: Debt,
    waiver: dict[str, Any],
    *,
    actor: Actor,
    now: datetime,
) -> Debt:
    """Give up the interest, the compensation or both on a debt: what was paid of them stays paid, nothing more is
    due. Asking again changes nothing; a cancelled or written-off debt is refused with 409 (a paid one may still
    owe its charges: its debtor may have paid the invoice amount only)."""
    if waiver.get("version") is not None and current["version"] != waiver["version"]:
        raise Conflict(_STALE[1], code=_STALE[0])
    if current["status"] not in (*OPEN_STATES, Status.PAID):  # paid: the invoice amount only, perhaps
        raise Conflict(
            f"A debt that is {current['status'].replace('_', ' ')} has no charges left to waive.",
            code="invalid_transition",
            details={"status": current["status"], "action": "waive"},
        )
    waived = dict(current.get("charges_waived") or {})
    asked = [charge for charge in CHARGES if waiver.get(charge) and charge not in waived]
    if not asked:
        return current
    record = {"at": iso(now), "by": actor["id"], "note": waiver.get("note")}
    waived |= dict.fromkeys(asked, record)
    updated: Debt = {**current, "charges_waived": waived, "updated_at": iso(now), "version": current["version"] + 1}
    operations = [
        *_saved(workspace_id, current, updated, now=now),
        timeline.entry_op(
            workspace_id,
            current["id"],
            "charges_waived",
            actor=actor,
            now=now,
            data={"charges": asked, "note": waiver.get("note")},
        ),
    ]
    _commit(operations, conflict_messages={DEBT: _STALE})
    return updated


def set_reminders_paused(
    workspace_id: str,
    current: Debt,
    paused: bool,
    *,
    actor: Actor,
    now: datetime,
    until: str | None = None,
    reason: str | None = None,
    also: list[store.Operation] | None = None,
) -> Debt:
    """Pause or resume reminders for a debt; idempotent (asking twice records it once)."""
    status_after(
        Action.PAUSE if paused else Action.RESUME,
        current["status"],
        amount=current["amount"],
        paid=current["amount_paid"],
    )
    if bool(current.get("reminders_paused")) == paused and current.get("paused_until") == until:
        if also:
            store.transact(also)
        return current
    updated: Debt = {
        **current,
        "reminders_paused": paused,
        "paused_until": until if paused else None,
        "updated_at": iso(now),
        "version": current["version"] + 1,
    }
    data: dict[str, Any] = {}
    if until:
        data["until"] = until
    if reason:
        data["reason"] = reason
    operations = [
        *_saved(workspace_id, current, updated, now=now),
        timeline.entry_op(
            workspace_id,
            current["id"],
            "reminders_paused" if paused else "reminders_resumed",
            actor=actor,
            now=now,
            data=data,
        ),
        *(also or []),
    ]
    _commit(operations, conflict_messages={DEBT: _STALE})
    return updated


SORTS = ("due_on", "-due_on", "outstanding", "-outstanding")


@dataclass(frozen=True)
class DebtFilters:
    status: str | None = None
    debtor_id: str | None = None
    overdue: bool | None = None
    due_before: date | None = None
    due_after: date | None = None
    currency: str | None = None


class _Query:
    """Builds one Query: a key condition on the chosen index and a filter for the rest."""

    def __init__(self, index: str, partition: str) -> None:
        self.index, self.partition = index, partition
        self.condition = f"{index}pk = :p"
        self.values: dict[str, Any] = {":p": partition}
        self.names: dict[str, str] = {}
        self.filters: list[str] = []

    def where(self, expression: str, **values: Any) -> None:
        self.filters.append(expression)
        self.values |= {f":{name}": value for name, value in values.items()}
        if "#status" in expression:
            self.names["#status"] = "status"

    def due_between(self, after: date | None, before: date | None) -> None:
        if self.index == "gsi4":  # sorted by amount: the due date can only filter
            if after:
                self.where("due_on >= :after", after=after.isoformat())
            if before:
                self.where("due_on <= :before", before=before.isoformat())
            return
        self.condition += f" AND {self.index}sk BETWEEN :low AND :high"
        self.values |= {
            ":low": by_due_date(after.isoformat() if after else "0000-01-01"),
            ":high": by_due_date(f"{before.isoformat() if before else '9999-12-31'}~"),
        }


def _index_for(workspace_id: str, filters: DebtFilters, sort: str) -> tuple[str, str]:
    if sort.lstrip("-") == "outstanding":
        return "gsi4", keys.debts_by_outstanding(workspace_id)
    if filters.debtor_id:
        return "gsi3", keys.debts_of_debtor(workspace_id, filters.debtor_id)
    if filters.status:
        return "gsi2", keys.debts_by_status(workspace_id, filters.status)
    return "gsi1", keys.debts_by_due_date(workspace_id)


def list_debts(
    workspace: Mapping[str, Any],
    filters: DebtFilters,
    *,
    now: datetime,
    sort: str = "due_on",
    cursor: str | None = None,
    limit: int = 50,
) -> tuple[list[Debt], str | None]:
    """One page of debts: one Query of the index the most selective filter picks (the rest filter that page),
    then, except by due date (gsi1 projects all), one BatchGetItem of the debts it lists (the other indexes
    project only what the filters read)."""
    query = _Query(*_index_for(workspace["id"], filters, sort))
    if filters.due_after or filters.due_before:
        query.due_between(filters.due_after, filters.due_before)
    if filters.debtor_id and query.index != "gsi3":
        query.where("debtor_id = :debtor", debtor=filters.debtor_id)
    if filters.status and query.index != "gsi2":
        # The shown status: a debt an active plan holds is `in_plan` (stored open or partly paid). These indexes
        # do not hold `plan`: the stored status filters here, the shown one once the debts are read (below).
        if filters.status == IN_PLAN:
            query.where("#status IN (:open, :partly)", open=Status.OPEN.value, partly=Status.PARTIALLY_PAID.value)
        else:
            query.where("#status = :status", status=filters.status)
    if filters.overdue is not None:
        late = "due_on < :today AND #status IN (:open, :partly)"
        query.where(
            late if filters.overdue else f"NOT ({late})",
            today=today_in(workspace, now).isoformat(),
            open=Status.OPEN.value,
            partly=Status.PARTIALLY_PAID.value,
        )
    if filters.currency:
        query.where("currency = :currency", currency=filters.currency)
    page = store.query(
        query.condition,
        query.values,
        index=query.index,
        names=query.names or None,
        filter_expression=" AND ".join(f"({f})" for f in query.filters) or None,
        limit=limit,
        start_key=decode_cursor(cursor, index=query.index, partition=query.partition),
        forward=not sort.startswith("-"),
    )
    found = cast(list[Debt], store.whole(page.items, index=query.index))
    if filters.status and query.index != "gsi2":
        found = [debt for debt in found if shown_status(debt) == filters.status]
    return found, encode_cursor(page.last_key)


def debts_of_debtor(workspace_id: str, debtor_id: str) -> list[Debt]:
    """Every debt of a debtor: one Query (gsi3; more pages only for a debtor with hundreds of debts), then the
    debts in one BatchGetItem a hundred."""
    return cast(list[Debt], store.whole(listed_debts_of_debtor(workspace_id, debtor_id), index="gsi3"))


def listed_debts_of_debtor(workspace_id: str, debtor_id: str) -> list[dict[str, Any]]:
    """A debtor's debts as their index holds them (keys, id, status, due_on, currency, created_at): one Query,
    more pages only for a debtor with hundreds of debts, and no item read."""
    return store.query_all("gsi3pk = :p", {":p": keys.debts_of_debtor(workspace_id, debtor_id)}, index="gsi3")


def ledger_sum(workspace_id: str, debt_id: str) -> int:
    """What the ledger says was paid of the principal (one Query); always equals the debt's amount_paid."""
    partition = keys.debt_history(workspace_id, debt_id)
    total, start = 0, None
    while True:
        page = store.query(
            "pk = :p AND begins_with(sk, :prefix)",
            {":p": partition, ":prefix": LEDGER_PREFIX},
            start_key=start,
            consistent=True,
        )
        total += sum(
            int(entry["amount"]) * (1 if entry["kind"] == "payment" else -1)
            for entry in page.items
            if "charge" not in entry  # interest and compensation are their own lines, never principal
        )
        if page.last_key is None:
            return total
        start = page.last_key


def debtors_of(workspace_id: str, debts: list[Debt]) -> dict[str, dict[str, Any]]:
    """The debtors of `debts`, by id: one BatchGetItem for a page (a list names them without a read per row)."""
    ids = sorted({str(debt["debtor_id"]) for debt in debts})
    found = store.batch_get([keys.debtor(workspace_id, debtor_id) for debtor_id in ids])
    return {debtor_id: debtor for debtor_id, debtor in zip(ids, found, strict=True) if debtor}
