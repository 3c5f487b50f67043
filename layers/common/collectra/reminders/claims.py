"""A reminder step taken for a debt: claimed once, then queued, then its outcome written by the sender.

A claim is one item per debt and step, written with a condition, so no two planners (nor a planner and a
person pressing "remind now") take the same step. Its status says how far it went:
- "claimed": taken, its message not yet on the queue;
- "queued": its message is on the queue; from here the queue (retries, dead letters and their alarm) owns it;
- "sent", "uncertain", "skipped", "failed": the sender's outcome; such a step is never sent again.

A run can die between taking a claim and queueing its message (a crash, SQS refusing). Such a claim stays
"claimed" and the debt comes back to the planner once its next look (IN_FLIGHT later) has passed: the
planner then takes the stale claim over and queues it. No reminder is lost, and none goes twice: if the
message did reach the queue after all, the sender finds the claim already sent, or the same
communication (its id is made from the claims).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from collectra import store
from collectra.clock import iso
from collectra.debts import records as debt_records
from collectra.debts.records import Debt
from collectra.errors import Conflict
from collectra.reminders.records import reminder_claim
from collectra.store import keys

CLAIM_PREFIX = "CLAIM#"  # the sort keys of a debt's claims in its history partition (`keys.reminder_claim`)
CLAIMED = "claimed"
QUEUED = "queued"
# A claim outlives the span of any policy's steps (MIN_OFFSET_DAYS to MAX_OFFSET_DAYS: 395 days), so no step is
# claimed twice while it could still be planned; what was sent is recorded on the debt (`reminder_step`).
CLAIM_KEPT_FOR = timedelta(days=400)
IN_FLIGHT = timedelta(minutes=30)  # a claimed debt is looked at again after this, if its email did not go

Send = Callable[[list[dict[str, Any]]], None]


def claim(workspace_id: str, debt: Debt, step: int, now: datetime) -> bool:
    """Take the step for this debt, once (or again, if a run took it and died before queueing it).

    Then the debt's next look moves past the time its email needs. Two conditional writes, not a transaction (which
    costs each item twice): the claim is the gate, and the debt moves only for whoever took it. A run that dies
    between the two leaves the debt where it was: later runs read it again and find the step taken, until the claim
    is stale and taken over (then its next look moves). Nothing is sent twice or lost; only reads are repeated.
    """
    values = debt_records.next_look_values(workspace_id, debt, iso(now + IN_FLIGHT))
    if values is None:  # the debt cannot be reminded of: nothing to claim
        return False
    taken = reminder_claim(
        workspace_id, debt["id"], step, claimed_at=iso(now), expires_at=int((now + CLAIM_KEPT_FOR).timestamp())
    )
    try:
        store.put(taken, condition="attribute_not_exists(pk)")
    except Conflict:
        if not _take_over(workspace_id, debt["id"], step, now):
            return False
    try:
        store.update(
            keys.debt(workspace_id, debt["id"]), debt_records.NEXT_LOOK, values=values, condition="attribute_exists(pk)"
        )
    except Conflict:  # the debt is gone (its workspace's deletion): its claim goes with it
        return False
    return True


def _take_over(workspace_id: str, debt_id: str, step: int, now: datetime) -> bool:
    """Taken before: only a claim that never reached the queue, and not recently, is taken over."""
    try:
        store.update(
            keys.reminder_claim(workspace_id, debt_id, step),
            "SET claimed_at = :now",
            values={":now": iso(now), ":claimed": CLAIMED, ":stale": iso(now - IN_FLIGHT)},
            condition="#status = :claimed AND claimed_at <= :stale",
            names={"#status": "status"},
        )
    except Conflict:
        return False
    return True


def message(workspace_id: str, debtor_id: str, claims: list[dict[str, Any]], now: datetime) -> dict[str, Any]:
    """The queued message for one debtor's claims: the sender makes one email of it."""
    return {"workspace_id": workspace_id, "debtor_id": debtor_id, "claims": claims, "planned_at": iso(now)}


def queue(messages: list[dict[str, Any]], send: Send) -> None:
    """Put the messages on the queue (`send` takes at most 10), then mark their claims queued.

    Raises when the queue refuses: those claims stay "claimed", and a later run queues them.
    """
    for start in range(0, len(messages), 10):
        batch = messages[start : start + 10]
        send(batch)
        for sent in batch:
            for taken in sent["claims"]:
                _mark_queued(sent["workspace_id"], taken["debt_id"], int(taken["step"]))


def _mark_queued(workspace_id: str, debt_id: str, step: int) -> None:
    try:  # only from "claimed": a fast sender may already have written its outcome
        store.update(
            keys.reminder_claim(workspace_id, debt_id, step),
            "SET #status = :queued",
            values={":queued": QUEUED, ":claimed": CLAIMED},
            condition="#status = :claimed",
            names={"#status": "status"},
        )
    except Conflict:
        return
