"""Payment attempts: one Checkout Session for some debts of one debtor, and everything Stripe says of it.

An attempt's state only moves forward (`RANK`), and its money is facts that only grow (`booking.Facts`),
so Stripe's events can arrive in any order, any number of times, and leave the same state. Each change
is one transaction: the attempt (conditioned on its version), the debts it moves money on (each on its
version), their ledger and timeline entries, the debtor (once), the PaymentIntent lookup, and the record
that the event was applied (conditioned on not existing), which is what makes a redelivery a no-op.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from collectra import store
from collectra.clock import iso
from collectra.debtors.records import Debtor
from collectra.debts import service as debts
from collectra.debts.records import Actor, Debt, outstanding
from collectra.debts.timeline import entry_op
from collectra.payments.booking import Facts, Share, overpaid_by, rebalance
from collectra.payments.records import (
    EVENT_APPLIED,
    PaymentAttempt,
    attempt_index,
    event_applied_op,
    payment_intent_lookup,
)
from collectra.payments.stripe_amounts import stripe_floor
from collectra.store import keys
from collectra.workspaces.lifecycle import is_closed
from collectra.workspaces.records import Workspace

STRIPE: Actor = {"kind": "system", "id": "stripe"}
# A status never moves to a lower rank: a late "processing" cannot undo "succeeded".
RANK = {"creating": 0, "open": 1, "processing": 2, "expired": 3, "failed": 3, "succeeded": 4}
_ATTEMPTS = 4  # reads and writes again when a debt changed meanwhile (a concurrent webhook, a manual payment)


class Transient(Exception):
    """The change could not be written after several tries: the webhook answers 500 so Stripe retries."""


@dataclass(frozen=True)
class Change:
    """What one Stripe event says about an attempt."""

    status: str | None = None
    facts: Facts = field(default_factory=Facts)
    payment_intent_id: str | None = None
    dispute_status: str | None = None  # needs_response < won | lost
    error: str | None = None
    notes: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # timeline entries on each debt


def shares_of(attempt: PaymentAttempt) -> list[Share]:
    return [Share(share["debt_id"], int(share["planned"])) for share in attempt["shares"]]


def facts_of(attempt: PaymentAttempt) -> Facts:
    return Facts(int(attempt.get("paid", 0)), int(attempt.get("refunded", 0)), int(attempt.get("lost", 0)))


def new_attempt(
    workspace_id: str,
    attempt_id: str,
    debtor_id: str,
    debts_: list[Debt],
    *,
    basket: str,
    now: datetime,
) -> PaymentAttempt:
    key, listed = keys.payment_attempt(workspace_id, attempt_id), attempt_index(workspace_id, iso(now), attempt_id)
    return {
        "pk": key["pk"],
        "sk": key["sk"],
        "gsi1pk": listed["gsi1pk"],
        "gsi1sk": listed["gsi1sk"],
        "id": attempt_id,
        "workspace_id": workspace_id,
        "debtor_id": debtor_id,
        "shares": [
            {"debt_id": d["id"], "invoice_number": d["invoice_number"], "planned": outstanding(d)} for d in debts_
        ],
        "amount": sum(outstanding(d) for d in debts_),
        "currency": debts_[0]["currency"],
        "basket": basket,
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
    change_for: Callable[[PaymentAttempt], Change],
    *,
    account_id: str | None,
    now: datetime,
) -> Outcome:
    """Apply what an event says to its attempt: one batch read, one transaction (retried on a conflict).

    `change_for` sees the attempt as stored; `account_id` is the connected account the event came from,
    which must be the workspace's.
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
            return _after_deletion(workspace, attempt, change_for(attempt), event_id, now=now)
        debts_by_id = {debt["id"]: cast(Debt, debt) for debt in found if debt is not None}
        missing = [share.debt_id for share in shares_of(attempt) if share.debt_id not in debts_by_id]
        if missing and set(missing) - set(ref.debt_ids):  # a lookup that did not name them all: read the rest
            more = store.batch_get([keys.debt(workspace_id, i) for i in missing])
            debts_by_id |= {d["id"]: cast(Debt, d) for d in more if d}
        change = change_for(attempt)
        refunds_overpayments = workspace.get("refund_overpayments", True) is not False
        planned = _operations(
            workspace_id, attempt, debts_by_id, change, event_id, refund_overpayments=refunds_overpayments, now=now
        )
        if planned is None:
            return Outcome("no_change", attempt, debtor)
        operations, updated = planned
        try:
            store.transact(operations)
        except store.ConditionsFailed as error:
            if EVENT_APPLIED in error.failed:
                return Outcome("duplicate", attempt, debtor)  # the event record exists: applied before
            continue  # the attempt or a debt changed meanwhile: read again
        settled_now = updated["status"] == "succeeded" and attempt["status"] != "succeeded"
        return Outcome("applied", updated, debtor, settled_now)
    raise Transient(f"attempt {ref.attempt_id} kept changing; Stripe will retry")


def _operations(
    workspace_id: str,
    attempt: PaymentAttempt,
    debts_by_id: dict[str, Debt],
    change: Change,
    event_id: str,
    *,
    refund_overpayments: bool = True,
    now: datetime,
) -> tuple[list[store.Operation], PaymentAttempt] | None:
    before_status = attempt["status"]
    status = before_status
    if change.status and RANK[change.status] > RANK[before_status]:
        status = change.status
    facts = facts_of(attempt).merge(change.facts)
    dispute = attempt.get("dispute_status")
    if change.dispute_status and (dispute in (None, "needs_response")):
        dispute = change.dispute_status
    updated: PaymentAttempt = {
        **attempt,
        "status": status,
        "paid": facts.paid,
        "refunded": facts.refunded,
        "lost": facts.lost,
        "dispute_status": dispute,
        "payment_intent_id": attempt.get("payment_intent_id") or change.payment_intent_id,
        "last_error": change.error or attempt.get("last_error"),
        "updated_at": iso(now),
        "version": attempt["version"] + 1,
    }
    if status == "succeeded" and before_status != "succeeded":
        updated["settled_at"] = iso(now)
    booked = {debt_id: int(amount) for debt_id, amount in (attempt.get("booked") or {}).items()}
    over = {debt_id: _overpaid(debt) for debt_id, debt in debts_by_id.items()}
    moves = rebalance(shares_of(attempt), booked, facts.net, over)
    changed_state = (status, facts, dispute, updated["payment_intent_id"]) != (
        before_status,
        facts_of(attempt),
        attempt.get("dispute_status"),
        attempt.get("payment_intent_id"),
    )
    notes = change.notes  # each event is applied once (its record), so its notes are written once
    if not changed_state and not moves and not notes:
        return None

    operations: list[store.Operation] = [event_applied_op(event_id, now)]
    debtor_change = 0
    overpaid = 0  # what this change books beyond the amounts of debts already paid in full
    for share in shares_of(attempt):
        debt = debts_by_id.get(share.debt_id)
        if debt is None:
            continue
        fields = _processing_fields(debt, attempt["id"], before_status, status)
        amount = moves.get(share.debt_id, 0)
        if amount:
            paid_after = int(debt.get("amount_paid", 0)) + amount
            overpaid += overpaid_by(int(debt["amount"]), paid_after, amount)
            _, debt_operations, count_change = debts.money_ops(
                workspace_id,
                debt,
                amount,
                ledger={
                    "kind": _ledger_kind(amount, over.get(share.debt_id, 0), lost=bool(facts.lost)),
                    "method": "card",
                    "reference": updated["payment_intent_id"],
                    "attempt_id": attempt["id"],
                },
                actor=STRIPE,
                now=now,
                fields=fields,
            )
            operations += debt_operations
            debtor_change += count_change
            booked[share.debt_id] = booked.get(share.debt_id, 0) + amount
        elif fields:
            operations.append(
                debts.saved_op(
                    workspace_id, cast(Debt, {**debt, **fields, "version": debt["version"] + 1}), debt["version"]
                )
            )
        for kind, data in notes:
            operations.append(
                entry_op(
                    workspace_id, share.debt_id, kind, actor=STRIPE, now=now, data={**data, "attempt_id": attempt["id"]}
                )
            )
    updated["booked"] = booked
    # What Stripe can give back exactly (a KWD overpayment of 0.005 after a manual payment stays booked).
    overpaid = stripe_floor(overpaid, attempt["currency"])
    if overpaid and refund_overpayments and not attempt.get("overpayment_refund"):
        # Decided here, with the debts as this transaction finds them; Stripe is asked after it commits.
        updated["overpayment_refund"] = {"amount": overpaid, "status": "due"}
    operations.insert(1, store.put_op(updated, "version = :seen", {":seen": attempt["version"]}))
    if updated["payment_intent_id"] and not attempt.get("payment_intent_id"):
        operations.append(
            store.put_op(
                payment_intent_lookup(
                    str(updated["payment_intent_id"]), attempt, [share.debt_id for share in shares_of(attempt)]
                )
            )
        )
    if debtor_change:  # the debtor's count of open debts, once for all of its debts here
        operations.append(debts.debtor_count_op(workspace_id, attempt["debtor_id"], debtor_change))
    return operations, updated


def _after_deletion(
    workspace: Workspace, attempt: PaymentAttempt, change: Change, event_id: str, *, now: datetime
) -> Outcome:
    """An event for a workspace being deleted (a payment completed just before, a refund after): money
    that moved is an accounting record, so the attempt records its facts, and only them, kept as long as
    the workspace's other accounting records. Debts, ledger and timeline are not written any more."""
    status = change.status if change.status and RANK[change.status] > RANK[attempt["status"]] else attempt["status"]
    facts = facts_of(attempt).merge(change.facts)
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
        ":status": status,
        ":paid": facts.paid,
        ":refunded": facts.refunded,
        ":lost": facts.lost,
        ":now": iso(now),
        ":until": int(workspace["retain_until"]),
        ":one": 1,
        ":seen": attempt["version"],
    }
    if change.payment_intent_id and not attempt.get("payment_intent_id"):
        assignments.append("payment_intent_id = :intent")
        values[":intent"] = change.payment_intent_id
    if status == "succeeded" and attempt["status"] != "succeeded":
        assignments.append("settled_at = :now")
    if change.dispute_status and attempt.get("dispute_status") in (None, "needs_response"):
        assignments.append("dispute_status = :dispute")
        values[":dispute"] = change.dispute_status
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


def _overpaid(debt: Debt) -> int:
    return max(0, int(debt.get("amount_paid", 0)) - int(debt["amount"]))


def _ledger_kind(amount: int, overpaid: int, *, lost: bool) -> str:
    """Money in is a payment; money back is a chargeback (a lost dispute), or a refund, called an overpayment
    refund when all of it comes out of what the debt held beyond its amount."""
    if amount > 0:
        return "payment"
    if lost:
        return "chargeback"
    return "overpayment_refunded" if -amount <= overpaid else "refund"


def _processing_fields(debt: Debt, attempt_id: str, before: str, after: str) -> dict[str, Any]:
    """A debt carries the attempt whose delayed payment is on its way, so reminders hold off meanwhile."""
    if after == "processing" and before != "processing":
        return {"payment_processing": attempt_id}
    if before == "processing" and after != "processing" and debt.get("payment_processing") == attempt_id:
        return {"payment_processing": None}
    return {}
