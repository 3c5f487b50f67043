"""Payment attempts: one Checkout Session for some debts of one debtor, and everything Stripe says of it.

An attempt's state only moves forward (`RANK`), and its money is facts that only grow (`booking.Facts`),
so Stripe's events can arrive in any order, any number of times, and leave the same state. Each change
is one transaction: the attempt (conditioned on its version), the debts it moves money on (each on its
version), their ledger and timeline entries, the debtor (once), the PaymentIntent lookup, and the record
that the event was applied (conditioned on not existing), which is what makes a redelivery a no-op.
What a change does is decided by `decision.decide`, without I/O; this module reads, and writes what it decided.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from collectra import store
from collectra.clock import iso
from collectra.debtors.records import Debtor
from collectra.debts import lateness
from collectra.debts import service as debts
from collectra.debts.charging import charging_of
from collectra.debts.records import Actor, Debt
from collectra.debts.timeline import entry_op
from collectra.inbox import items as inbox
from collectra.payments.decision import Change, Decision, advance, decide, shares_of
from collectra.payments.records import (
    EVENT_APPLIED,
    AttemptShare,
    PaymentAttempt,
    attempt_index,
    event_applied_op,
    payment_intent_lookup,
)
from collectra.promises import service as promises
from collectra.store import keys
from collectra.workspaces.lifecycle import is_closed
from collectra.workspaces.records import Workspace

STRIPE: Actor = {"kind": "system", "id": "stripe"}
_ATTEMPTS = 4  # reads and writes again when a debt changed meanwhile (a concurrent webhook, a manual payment)


class Transient(Exception):
    """The change could not be written after several tries: the webhook answers 500 so Stripe retries."""


def new_attempt(
    workspace_id: str,
    attempt_id: str,
    debtor_id: str,
    debts_: list[Debt],
    *,
    basket: str,
    now: datetime,
    designation: str,
    quoted_on: date,
    lines: Mapping[str, Mapping[str, int]],
) -> PaymentAttempt:
    """A new attempt (status "creating") to pay `debts_`: `lines` is what it plans on each debt, by debt id
    (principal, interest, compensation, as quoted on the workspace-local day `quoted_on`); each share's `planned`
    is their sum, and the attempt's amount the sum of those."""
    key, listed = keys.payment_attempt(workspace_id, attempt_id), attempt_index(workspace_id, iso(now), attempt_id)
    shares: list[AttemptShare] = [
        {
            "debt_id": d["id"],
            "invoice_number": d["invoice_number"],
            "planned": sum(lines[d["id"]].values()),
            "lines": {line: int(lines[d["id"]].get(line, 0)) for line in ("principal", "interest", "compensation")},
        }
        for d in debts_
    ]
    return {
        "pk": key["pk"],
        "sk": key["sk"],
        "gsi1pk": listed["gsi1pk"],
        "gsi1sk": listed["gsi1sk"],
        "id": attempt_id,
        "workspace_id": workspace_id,
        "debtor_id": debtor_id,
        "shares": shares,
        "amount": sum(share["planned"] for share in shares),
        "currency": debts_[0]["currency"],
        "basket": basket,
        "designation": designation,
        "quoted_on": quoted_on.isoformat(),
        "status": "creating",
        "paid": 0,
        "refunded": 0,
        "lost": 0,
        "booked": {},
        "created_at": iso(now),
        "updated_at": iso(now),
        "version": 1,
    }


@dataclass(frozen=True)
class Outcome:
    result: str  # applied, duplicate, no_change, unknown_attempt, wrong_account
    attempt: PaymentAttempt | None = None  # as it is now
    debtor: Debtor | None = None  # as read before the change
    settled_now: bool = False  # this event is the one that made the payment succeed
    # The payment plans the attempt's debts were in when it was applied (the attempt's own `plan_id` too): each is
    # settled after the money settles (`plans.service.settle`), which completes a plan paid in full.
    plan_ids: frozenset[str] = frozenset()


@dataclass(frozen=True)
class AttemptRef:
    """Which attempt an event is about, as its metadata (or the PaymentIntent's lookup) names it: enough
    to read the attempt, its workspace, its debtor and its debts in one batch."""

    workspace_id: str
    attempt_id: str
    debtor_id: str
    debt_ids: list[str]


def apply_change(
    ref: AttemptRef,
    event_id: str,
    change_for: Callable[[], Change],
    *,
    account_id: str | None,
    now: datetime,
) -> Outcome:
    """Apply what an event says to its attempt: one batch read, one transaction (retried on a conflict).

    `change_for` reads the event, once its attempt is known to be there; `account_id` is the connected account
    the event came from, which must be the workspace's.
    """
    workspace_id = ref.workspace_id
    for _ in range(_ATTEMPTS):
        applied, found_attempt, found_workspace, found_debtor, *found = store.batch_get(
            [
                keys.stripe_event(event_id),
                keys.payment_attempt(workspace_id, ref.attempt_id),
                keys.workspace(workspace_id),
                keys.debtor(workspace_id, ref.debtor_id),
                *[keys.debt(workspace_id, debt_id) for debt_id in ref.debt_ids],
            ],
            consistent=True,
        )
        attempt = cast(PaymentAttempt | None, found_attempt)
        workspace = cast(Workspace | None, found_workspace)
        debtor = cast(Debtor | None, found_debtor)
        if applied is not None:
            return Outcome("duplicate", attempt, debtor)
        if attempt is None or workspace is None:
            return Outcome("unknown_attempt")
        if account_id is None or workspace.get("stripe_account_id") != account_id:
            return Outcome("wrong_account", attempt)
        if is_closed(workspace):
            return _after_deletion(workspace, attempt, change_for(), event_id, now=now)
        debts_by_id = {debt["id"]: cast(Debt, debt) for debt in found if debt is not None}
        missing = [share.debt_id for share in shares_of(attempt) if share.debt_id not in debts_by_id]
        if missing and set(missing) - set(ref.debt_ids):  # a lookup that did not name them all: read the rest
            more = store.batch_get([keys.debt(workspace_id, i) for i in missing])
            debts_by_id |= {d["id"]: cast(Debt, d) for d in more if d}
        decision = decide(
            attempt,
            debts_by_id,
            change_for(),
            refund_overpayments=workspace.get("refund_overpayments", True) is not False,
            charging=charging_of(workspace, debtor, now),
            now=now,
        )
        if decision is None:
            return Outcome("no_change", attempt, debtor)
        operations, paid, lateness_moved = _operations(workspace_id, decision, debts_by_id, event_id, now=now)
        try:
            store.transact(operations)
        except store.ConditionsFailed as error:
            if EVENT_APPLIED in error.failed:
                return Outcome("duplicate", attempt, debtor)  # the event record exists: applied before
            continue  # the attempt or a debt changed meanwhile: read again
        if lateness_moved:  # a debt paid off, or a paid one taken back: what the debtor's forecast predicts from
            lateness.queue(workspace_id, [attempt["debtor_id"]])
        for debt in paid:  # a payment that reaches a promise keeps it at once (else the planner decides it later)
            promises.decide(workspace_id, debt, now)
        plan_ids = {str(held["id"]) for debt in debts_by_id.values() if (held := debt.get("plan"))}
        if attempt.get("plan_id"):
            plan_ids.add(str(attempt["plan_id"]))
        return Outcome(
            "applied", cast(PaymentAttempt, decision.attempt), debtor, decision.settled_now, frozenset(plan_ids)
        )
    raise Transient(f"attempt {ref.attempt_id} kept changing; Stripe will retry")


def _operations(
    workspace_id: str,
    decision: Decision,
    debts_by_id: dict[str, Debt],
    event_id: str,
    *,
    now: datetime,
) -> tuple[list[store.Operation], list[Debt], bool]:
    """The one transaction that writes `decision`: the event's record first (a redelivery fails on it), the
    attempt on its version, each debt on its version with its ledger and timeline entries, the PaymentIntent's
    lookup, and the debtor's count of open debts once for all of its debts. With it, the debts money reached
    that have an open promise, as they will be, and whether the debtor's usual lateness may have moved."""
    attempt = cast(PaymentAttempt, decision.attempt)
    operations = [
        event_applied_op(event_id, now),
        store.put_op(attempt, "version = :seen", {":seen": attempt["version"] - 1}),
    ]
    debtor_change = debts.DebtorChange()
    promised: list[Debt] = []
    for move in decision.debts:
        debt = debts_by_id[move.debt_id]
        if move.amount:
            moved, debt_operations, count_change = debts.money_ops(
                workspace_id,
                debt,
                move.amount,
                lines=move.lines,
                day=cast(date, move.day),
                ledger={
                    "kind": move.ledger_kind,
                    "method": "card",
                    "reference": attempt["payment_intent_id"],
                    "attempt_id": attempt["id"],
                },
                actor=STRIPE,
                now=now,
                fields=move.fields,
            )
            operations += debt_operations
            debtor_change += count_change
            if move.amount > 0 and moved.get("promise"):
                promised.append(moved)
        elif move.fields:
            operations += debts.saved_ops(
                workspace_id, debt, cast(Debt, {**debt, **move.fields, "version": debt["version"] + 1}), now=now
            )
        for kind, data in decision.notes:
            operations.append(
                entry_op(
                    workspace_id, move.debt_id, kind, actor=STRIPE, now=now, data={**data, "attempt_id": attempt["id"]}
                )
            )
    if decision.records_payment_intent:
        operations.append(
            store.put_op(
                payment_intent_lookup(
                    str(attempt["payment_intent_id"]), attempt, [share.debt_id for share in shares_of(attempt)]
                )
            )
        )
    if debtor_change:
        operations.append(debts.debtor_count_op(workspace_id, attempt["debtor_id"], debtor_change))
    if decision.needs_a_person:
        debt_ids = [move.debt_id for move in decision.debts]
        operations.append(
            inbox.open_op(
                workspace_id,
                kind=decision.needs_a_person,
                source=event_id,  # applied once, by this transaction
                debtor_id=attempt["debtor_id"],
                debt_id=debt_ids[0] if len(debt_ids) == 1 else None,
                now=now,
                detail={"attempt_id": attempt["id"], "reason": attempt.get("last_error")}
                if decision.needs_a_person == "payment_failed"
                else {"attempt_id": attempt["id"]},
            )
        )
    return operations, promised, debtor_change.moves_lateness


def _after_deletion(
    workspace: Workspace, attempt: PaymentAttempt, change: Change, event_id: str, *, now: datetime
) -> Outcome:
    """An event for a workspace being deleted (a payment completed just before, a refund after): money
    that moved is an accounting record, so the attempt records its facts, and only them, kept as long as
    the workspace's other accounting records. Debts, ledger and timeline are not written any more."""
    state = advance(attempt, change)
    assignments = [
        "#status = :status",
        "paid = :paid",
        "refunded = :refunded",
        "lost = :lost",
        "updated_at = :now",
        "expires_at = :until",
        "version = version + :one",
    ]
    values: dict[str, Any] = {
        ":status": state.status,
        ":paid": state.facts.paid,
        ":refunded": state.facts.refunded,
        ":lost": state.facts.lost,
        ":now": iso(now),
        ":until": int(workspace["retain_until"]),
        ":one": 1,
        ":seen": attempt["version"],
    }
    if state.payment_intent_id != attempt.get("payment_intent_id"):
        assignments.append("payment_intent_id = :intent")
        values[":intent"] = state.payment_intent_id
    if state.status == "succeeded" and attempt["status"] != "succeeded":
        assignments.append("settled_at = :now")
    if state.dispute_status != attempt.get("dispute_status"):
        assignments.append("dispute_status = :dispute")
        values[":dispute"] = state.dispute_status
    try:
        store.transact(
            [
                event_applied_op(event_id, now),
                store.update_op(
                    {"pk": attempt["pk"], "sk": attempt["sk"]},
                    f"SET {', '.join(assignments)}",
                    values,
                    condition="version = :seen",
                    names={"#status": "status"},
                ),
            ]
        )
    except store.ConditionsFailed as error:
        if EVENT_APPLIED in error.failed:
            return Outcome("duplicate", attempt)
        raise Transient(f"attempt {attempt['id']} changed meanwhile; Stripe will retry") from error
    return Outcome("recorded_after_deletion", attempt)
