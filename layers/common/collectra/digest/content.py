"""What a member's digest says: the workspace's previous day (in the member's zone), read from partitions the
key design already keeps, never a Scan.

Payments are the workspace's ledger entries of kind "payment" recorded that day (gsi1, by time: one Query), of
principal only (interest and compensation are their own lines, `charge`); new inbox items and broken promises
come from the inbox (`inbox.items.created_between`). A day with none of them is empty, and an empty digest is not
sent: a daily email that says "nothing happened" teaches people to ignore the one that matters.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from collectra import store
from collectra.clock import iso
from collectra.inbox.items import created_between
from collectra.store import keys

BROKEN_PROMISE = "broken_promise"


@dataclass(frozen=True)
class Digest:
    day: date  # the local day it tells about
    payments: list[dict[str, Any]]  # ledger entries, oldest first, each with its `debt_id`
    new_items: list[dict[str, Any]]  # inbox items opened that day, broken promises aside
    broken_promises: list[dict[str, Any]]  # inbox items of kind broken_promise opened that day

    @property
    def empty(self) -> bool:
        return not (self.payments or self.new_items or self.broken_promises)


def gather(workspace_id: str, day: date, start: datetime, end: datetime) -> Digest:
    """What happened on `day`, the interval [start, end) in UTC (a ledger entry's sort key is its time and its
    id, so `BETWEEN start AND end` leaves out what was recorded at `end` exactly)."""
    entries = store.query_all(
        "gsi1pk = :p AND gsi1sk BETWEEN :start AND :end",
        {":p": keys.ledger_of_workspace(workspace_id), ":start": iso(start), ":end": iso(end)},
        index="gsi1",
    )
    payments = [
        {**entry, "debt_id": str(entry["pk"]).rsplit("#DEBT#", 1)[1]}
        for entry in entries
        if entry.get("kind") == "payment" and "charge" not in entry  # principal: charges are their own lines
    ]
    items = created_between(workspace_id, start, end)
    return Digest(
        day=day,
        payments=payments,
        new_items=[item for item in items if item.get("kind") != BROKEN_PROMISE],
        broken_promises=[item for item in items if item.get("kind") == BROKEN_PROMISE],
    )
