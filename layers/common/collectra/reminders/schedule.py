"""The sharded "next reminder due" index: which debts the planner looks at, and from when.

A debt that may still get reminders carries `next_reminder_at` and sits in index gsi5 under one of
SHARDS partitions (by a hash of its id, so no partition is hot), sorted by that time. The planner reads
each shard up to "now": its reads grow with what is due, not with the ledger. A debt that is paid,
cancelled, written off, disputed, paused without a date or has a payment on its way is simply
not in the index; saving it in a collectible state again puts it back.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from typing import Any

from collectra.debts.states import Status
from collectra.reminders.policy import MIN_OFFSET_DAYS

SHARDS = 16


def shard_of(debt_id: str) -> int:
    return int(hashlib.sha256(debt_id.encode()).hexdigest()[:8], 16) % SHARDS


def partition(shard: int) -> str:
    return f"REMIND#{shard:02d}"


def initial_reminder_at(due_on: str) -> str:
    """Early enough for any policy's first step in any time zone; the planner then sets the exact time."""
    return f"{date.fromisoformat(due_on) + timedelta(days=MIN_OFFSET_DAYS - 1)}T00:00:00Z"


def index_fields(workspace_id: str, debt: dict[str, Any]) -> dict[str, str]:
    """The debt's place in the reminder index, or nothing when no reminder can be due for it."""
    at = debt.get("next_reminder_at")
    if not at or debt.get("status") not in (Status.OPEN, Status.PARTIALLY_PAID):
        return {}
    if debt.get("payment_processing"):
        return {}
    if debt.get("reminders_paused"):
        until = debt.get("paused_until")
        if not until:
            return {}
        # A promise holds reminders until its date has passed unpaid.
        at = max(at, f"{date.fromisoformat(until) + timedelta(days=1)}T00:00:00Z")
    return {"gsi5pk": partition(shard_of(debt["id"])), "gsi5sk": f"{at}#{workspace_id}#{debt['id']}"}


# Moving a debt's next look without rewriting the debt (the planner and the sender, between saves).
NEXT_LOOK = "SET next_reminder_at = :at, gsi5sk = :sk"


def next_look_values(workspace_id: str, debt: dict[str, Any], at: str) -> dict[str, str] | None:
    """The values of NEXT_LOOK that move `debt` to `at`; None when it would not be in the index then."""
    index = index_fields(workspace_id, {**debt, "next_reminder_at": at})
    return {":at": at, ":sk": index["gsi5sk"]} if index else None
