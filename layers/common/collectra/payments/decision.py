"""What a Stripe event means for a payment attempt and its debts: pure rules, no I/O.

`meaning` reads an event's object as a `Change` (what Stripe says happened); `decide` says what that change
does to the attempt as stored and to each of its debts: the attempt's next state (its status only moves
forward, `RANK`; its money facts only grow, `booking.Facts`), the money booked to or taken from each debt
and under which ledger kind, the debt fields that hold reminders off while a delayed payment is on its
way, the timeline notes, and an overpayment to give back. `attempts.apply_change` reads, asks `decide`,
and writes what it decided in one transaction; nothing here reads or writes the table.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from collectra.clock import iso
from collectra.debts.charging import Charging, money_back, money_in
from collectra.interest import Lines
from collectra.payments.booking import Facts, Share, overpaid_by, rebalance
from collectra.payments.stripe_amounts import StripeAmountRefused, from_stripe, stripe_floor

# A status never moves to a lower rank: a late "processing" cannot undo "succeeded".
RANK = {"creating": 0, "open": 1, "processing": 2, "expired": 3, "failed": 3, "succeeded": 4}


@dataclass(frozen=True)
class Change:
    """What one Stripe event says about an attempt."""

    status: str | None = None
    facts: Facts = field(default_factory=Facts)
    payment_intent_id: str | None = None
    dispute_status: str | None = None  # needs_response < won | lost
    error: str | None = None
    notes: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # timeline entries on each debt
    # The notes say the status this change brings: written only by the change that brings it (a Checkout payment's
    # "processing" is said by its session and by its PaymentIntent; the timeline says it once).
    notes_on_move: bool = False


@dataclass(frozen=True)
class Advanced:
    """An attempt's state once a change is taken in: forward only, facts merged."""

    status: str
    facts: Facts
    dispute_status: str | None
    payment_intent_id: str | None


@dataclass(frozen=True)
class DebtMove:
    """What the decision does to one debt of the attempt."""

    debt_id: str
    amount: int = 0  # booked to the debt's ledger: > 0 money in, < 0 money back
    ledger_kind: str | None = None  # payment, refund, overpayment_refunded or chargeback, when `amount`
    fields: dict[str, Any] = field(default_factory=dict)  # other debt fields set at the same time
    lines: Lines = field(default_factory=lambda: Lines(0, 0, 0))  # how abs(`amount`) splits over principal, charges
    day: date | None = None  # the day its principal counts from, when `amount`


@dataclass(frozen=True)
class Decision:
    attempt: dict[str, Any]  # as it becomes (its version moved on)
    debts: list[DebtMove]  # one per debt of the attempt that exists, in the attempt's order
    notes: list[tuple[str, dict[str, Any]]]  # timeline entries, on each of those debts
    records_payment_intent: bool  # the PaymentIntent is newly known: its lookup is written
    settled_now: bool  # this change is the one that made the payment succeed
    needs_a_person: str | None = None  # the inbox kind it opens: payment_failed, refund or dispute_lost


def shares_of(attempt: Mapping[str, Any]) -> list[Share]:
    return [Share(share["debt_id"], int(share["planned"])) for share in attempt["shares"]]


def facts_of(attempt: Mapping[str, Any]) -> Facts:
    return Facts(int(attempt.get("paid", 0)), int(attempt.get("refunded", 0)), int(attempt.get("lost", 0)))


def advance(attempt: Mapping[str, Any], change: Change) -> Advanced:
    status = attempt["status"]
    if change.status and RANK[change.status] > RANK[status]:
        status = change.status
    dispute = attempt.get("dispute_status")
    if change.dispute_status and dispute in (None, "needs_response"):
        dispute = change.dispute_status
    return Advanced(
        status=status,
        facts=facts_of(attempt).merge(change.facts),
        dispute_status=dispute,
        payment_intent_id=attempt.get("payment_intent_id") or change.payment_intent_id,
    )


def decide(
    attempt: Mapping[str, Any],
    debts_by_id: Mapping[str, Mapping[str, Any]],
    change: Change,
    *,
    refund_overpayments: bool,
    charging: Charging,
    now: datetime,
) -> Decision | None:
    """What `change` does to `attempt` and its debts (`debts_by_id`, as read with it), or None when it
    changes nothing: a redelivered fact, a status already passed. `refund_overpayments` is the workspace's
    setting: money beyond what the debts owe is then marked due to go back (once). `charging` is the workspace's
    late-payment terms: an attempt designated "all" pays each debt's charges too, split in its allocation order
    as of the day it was quoted; money back leaves them in the reverse order."""
    before = attempt["status"]
    state = advance(attempt, change)
    updated = {
        **attempt,
        "status": state.status,
        "paid": state.facts.paid,
        "refunded": state.facts.refunded,
        "lost": state.facts.lost,
        "dispute_status": state.dispute_status,
        "payment_intent_id": state.payment_intent_id,
        "last_error": change.error or attempt.get("last_error"),
        "updated_at": iso(now),
        "version": attempt["version"] + 1,
    }
    settled_now = state.status == "succeeded" and before != "succeeded"
    notes = [] if change.notes_on_move and state.status == before else change.notes
    if settled_now:
        updated["settled_at"] = iso(now)
    booked = {debt_id: int(amount) for debt_id, amount in (attempt.get("booked") or {}).items()}
    over = {debt_id: _overpaid(debt) for debt_id, debt in debts_by_id.items()}
    moves = rebalance(shares_of(attempt), booked, state.facts.net, over)
    changed_state = (state.status, state.facts, state.dispute_status, state.payment_intent_id) != (
        before,
        facts_of(attempt),
        attempt.get("dispute_status"),
        attempt.get("payment_intent_id"),
    )
    if not changed_state and not moves and not notes:
        return None

    debts: list[DebtMove] = []
    overpaid = 0  # what this change books beyond the amounts of debts already paid in full
    for share in shares_of(attempt):
        debt = debts_by_id.get(share.debt_id)
        if debt is None:
            continue
        fields = _processing_fields(debt, attempt["id"], before, state.status)
        amount = moves.get(share.debt_id, 0)
        if not amount:
            debts.append(DebtMove(share.debt_id, fields=fields))
            continue
        lines, day = _lines(attempt, debt, amount, over.get(share.debt_id, 0), charging)
        overpaid += overpaid_by(_outstanding(debt), lines.principal) if amount > 0 else 0
        kind = _ledger_kind(amount, over.get(share.debt_id, 0), lost=bool(state.facts.lost))
        debts.append(DebtMove(share.debt_id, amount, kind, fields, lines, day))
        booked[share.debt_id] = booked.get(share.debt_id, 0) + amount
    updated["booked"] = booked
    # What Stripe can give back exactly (a KWD overpayment of 0.005 after a manual payment stays booked).
    overpaid = stripe_floor(overpaid, attempt["currency"])
    if overpaid and refund_overpayments and not attempt.get("overpayment_refund"):
        # Decided here, with the debts as this transaction finds them; Stripe is asked after it commits.
        updated["overpayment_refund"] = {"amount": overpaid, "status": "due"}
    return Decision(
        attempt=updated,
        debts=debts,
        notes=notes,  # each event is applied once (its record), so its notes are written once
        records_payment_intent=bool(state.payment_intent_id and not attempt.get("payment_intent_id")),
        settled_now=settled_now,
        needs_a_person=_needs_a_person(attempt, change, state, debts),
    )


def _needs_a_person(attempt: Mapping[str, Any], change: Change, state: Advanced, debts: list[DebtMove]) -> str | None:
    """What the business must look at: a payment that failed, money the debtor took back through their bank or
    that the business refunded from Stripe (not the overpayment Collectra gave back itself), a dispute lost."""
    if state.dispute_status == "lost" and attempt.get("dispute_status") != "lost":
        return "dispute_lost"
    if any(move.ledger_kind == "refund" for move in debts):
        return "refund"
    if attempt.get("channel") == "off_session":
        return None  # an instalment charged off-session: its plan opens `instalment_failed` (payments.collection)
    if change.error or (change.status == "failed" and state.status == "failed"):
        return "payment_failed"
    return None


def _lines(
    attempt: Mapping[str, Any], debt: Mapping[str, Any], amount: int, overpaid: int, charging: Charging
) -> tuple[Lines, date]:
    """How a move splits over the debt's principal and charges, and the day its principal counts from: money in
    from the day the attempt was quoted (what the page showed is what paying books), money back from today.
    Money back takes first what the debt holds beyond its amount (an overpayment is principal), then the lines in
    the reverse of the allocation order."""
    designation = str(attempt.get("designation") or "principal")  # older attempts planned principal only
    if amount > 0:
        quoted = attempt.get("quoted_on")
        day = date.fromisoformat(quoted) if quoted else charging.today
        return money_in(debt, amount, charging, on=day, designation=designation), day
    from_over = min(-amount, overpaid)
    rest = -amount - from_over
    lines = money_back(debt, rest, charging, designation=designation) if rest else Lines(0, 0, 0)
    return Lines(lines.principal + from_over, lines.interest, lines.compensation), charging.today


def _outstanding(debt: Mapping[str, Any]) -> int:
    return max(0, int(debt["amount"]) - int(debt.get("amount_paid", 0)))


def _overpaid(debt: Mapping[str, Any]) -> int:
    return max(0, int(debt.get("amount_paid", 0)) - int(debt["amount"]))


def _ledger_kind(amount: int, overpaid: int, *, lost: bool) -> str:
    """Money in is a payment; money back is a chargeback (a lost dispute), or a refund, called an overpayment
    refund when all of it comes out of what the debt held beyond its amount."""
    if amount > 0:
        return "payment"
    if lost:
        return "chargeback"
    return "overpayment_refunded" if -amount <= overpaid else "refund"


def _processing_fields(debt: Mapping[str, Any], attempt_id: str, before: str, after: str) -> dict[str, Any]:
    """A debt carries the attempt whose delayed payment is on its way, so reminders hold off meanwhile."""
    if after == "processing" and before != "processing":
        return {"payment_processing": attempt_id}
    if before == "processing" and after != "processing" and debt.get("payment_processing") == attempt_id:
        return {"payment_processing": None}
    return {}


# ---------------------------------------------------------------- what each event type says


def meaning(kind: str) -> Callable[[dict[str, Any]], Change] | None:
    """How to read an event of type `kind` about a payment attempt (None: not about an attempt)."""
    return _ATTEMPT_EVENTS.get(kind)


def _ours(amount: Any, obj: dict[str, Any]) -> int:
    """An amount Stripe wrote on `obj`, in Collectra's minor units of the object's currency (ISK x 100 in Stripe)."""
    try:
        return from_stripe(int(amount), str(obj["currency"]))
    except StripeAmountRefused as refused:
        raise ValueError(refused.message) from refused  # cannot be booked exactly: an unreadable event


def _session_completed(session: dict[str, Any]) -> Change:
    if session.get("payment_status") == "paid":
        return Change(
            status="succeeded",
            facts=Facts(paid=_ours(session["amount_total"], session)),
            payment_intent_id=session.get("payment_intent"),
        )
    if session.get("payment_status") == "unpaid":  # a delayed method: the money is on its way
        return Change(
            status="processing",
            payment_intent_id=session.get("payment_intent"),
            notes=[("payment_processing", {"amount": _ours(session.get("amount_total") or 0, session)})],
            notes_on_move=True,
        )
    return Change()


def _async_succeeded(session: dict[str, Any]) -> Change:
    return Change(
        status="succeeded",
        facts=Facts(paid=_ours(session["amount_total"], session)),
        payment_intent_id=session.get("payment_intent"),
    )


def _async_failed(session: dict[str, Any]) -> Change:
    return Change(
        status="failed",
        payment_intent_id=session.get("payment_intent"),
        notes=[("payment_failed", {"reason": "the delayed payment did not go through"})],
    )


def _session_expired(_: dict[str, Any]) -> Change:
    return Change(status="expired")


def _payment_failed(intent: dict[str, Any]) -> Change:
    """A try to pay failed. On Checkout the session stays open for another try; a PaymentIntent Collectra confirmed
    off-session (an instalment) is over: its attempt failed, and the plan decides whether to try again."""
    error = intent.get("last_payment_error") or {}
    reason = error.get("decline_code") or error.get("code") or "payment_failed"
    return Change(
        status="failed" if _off_session(intent) else None,
        payment_intent_id=intent.get("id"),
        error=str(reason),
        notes=[("payment_failed", {"reason": reason})],
    )


def _off_session(intent: dict[str, Any]) -> bool:
    return (intent.get("metadata") or {}).get("channel") == "off_session"


def _intent_succeeded(intent: dict[str, Any]) -> Change:
    """The money came. Said by Checkout's session too for a Checkout payment: the facts are the same, so taken once."""
    return Change(
        status="succeeded",
        facts=Facts(paid=_ours(intent.get("amount_received") or intent["amount"], intent)),
        payment_intent_id=intent.get("id"),
    )


def _intent_processing(intent: dict[str, Any]) -> Change:
    """A debit on its way (SEPA): the debts hold their reminders until it lands or fails."""
    return Change(
        status="processing",
        payment_intent_id=intent.get("id"),
        notes=[("payment_processing", {"amount": _ours(intent.get("amount") or 0, intent)})],
        notes_on_move=True,
    )


def _refunded(charge: dict[str, Any]) -> Change:
    refunded = _ours(charge.get("amount_refunded") or 0, charge)
    return Change(facts=Facts(refunded=refunded), notes=[("card_refund", {"refunded": refunded})])


def _dispute_created(dispute: dict[str, Any]) -> Change:
    amount = _ours(dispute.get("amount") or 0, dispute)
    return Change(
        dispute_status="needs_response",
        notes=[("card_dispute_opened", {"amount": amount, "reason": dispute.get("reason")})],
    )


def _dispute_closed(dispute: dict[str, Any]) -> Change:
    amount = _ours(dispute.get("amount") or 0, dispute)
    if dispute.get("status") == "lost":
        return Change(dispute_status="lost", facts=Facts(lost=amount))  # booked as a "payment_chargeback"
    return Change(dispute_status="won", notes=[("card_dispute_won", {"amount": amount})])


_ATTEMPT_EVENTS: dict[str, Callable[[dict[str, Any]], Change]] = {
    "checkout.session.completed": _session_completed,
    "checkout.session.async_payment_succeeded": _async_succeeded,
    "checkout.session.async_payment_failed": _async_failed,
    "checkout.session.expired": _session_expired,
    "payment_intent.payment_failed": _payment_failed,
    "payment_intent.succeeded": _intent_succeeded,
    "payment_intent.processing": _intent_processing,
    "charge.refunded": _refunded,
    "charge.dispute.created": _dispute_created,
    "charge.dispute.closed": _dispute_closed,
}
