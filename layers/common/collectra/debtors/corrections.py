"""A debtor's corrections, written on the timeline of each of their debts.

Every correction (PATCH /debtors/{id}) puts one `debtor_corrected` entry on each of the debtor's debts:
`data = {"debtor_id": ..., "changes": {field: {"from": old, "to": new}}}`, with who made it as the actor.
The entries go into the debtor's own transaction when they fit (100 items). A debtor with more debts gets
the rest right after it by batched writes, and carries the correction as `correction_pending` until they
are written, so that the next request to correct that debtor finishes what a crash interrupted. An entry's
key is fixed by its correction (one entry id for all its debts), so writing it again changes nothing.

The old and new values are personal data: erasing the debtor must blank `data.changes` of these entries
(and drops `correction_pending` with the debtor's other fields).
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from collectra import store
from collectra.clock import iso
from collectra.debtors.records import Debtor
from collectra.debts import timeline
from collectra.debts.records import Actor, Debt, TimelineEntry
from collectra.errors import Conflict
from collectra.ids import new_id
from collectra.store import keys

KIND = "debtor_corrected"
PENDING: Final = "correction_pending"
TRANSACTION_LIMIT = 100  # items in one TransactWriteItems


@dataclass(frozen=True)
class Correction:
    entry_id: str
    at: str
    actor: Actor
    changes: dict[str, dict[str, Any]]

    @classmethod
    def between(cls, before: Debtor, after: Debtor, fields: set[str], *, actor: Actor, now: datetime) -> Correction:
        """The correction that turned `before` into `after`, naming `fields` (those that differ)."""
        changes = {name: {"from": before.get(name), "to": after.get(name)} for name in sorted(fields)}
        return cls(entry_id=new_id("evt"), at=iso(now), actor=actor, changes=changes)

    def entries(self, workspace_id: str, debtor_id: str, debts: list[Debt]) -> list[TimelineEntry]:
        """Its entry on each of `debts`."""
        return [
            timeline.entry_item(
                workspace_id,
                debt["id"],
                KIND,
                actor=self.actor,
                now=datetime.fromisoformat(self.at),
                data={"debtor_id": debtor_id, "changes": self.changes},
                entry_id=self.entry_id,
            )
            for debt in debts
        ]


def finish_pending(workspace_id: str, debtor: Debtor, debts: list[Debt]) -> Debtor:
    """Write the entries of the debtor's pending correction on `debts` (again, for those that have it: that
    changes nothing) and drop the marker. Returns the debtor without it."""
    pending = debtor.get(PENDING)
    if not pending:
        return debtor
    correction = Correction(**pending)
    then = [debt for debt in debts if debt["created_at"] <= correction.at]  # not those recorded since
    return write_pending(workspace_id, debtor, correction.entries(workspace_id, debtor["id"], then))


def write_pending(workspace_id: str, debtor: Debtor, entries: list[TimelineEntry]) -> Debtor:
    """Write the entries that did not fit in the debtor's transaction, then drop the marker it carries."""
    store.put_many(entries)
    # Conditioned on the version: a debtor changed meanwhile was finished by whoever changed it.
    with suppress(Conflict):
        store.update(
            keys.debtor(workspace_id, debtor["id"]),
            f"REMOVE {PENDING}",
            values={":seen": debtor["version"]},
            condition="version = :seen",
        )
    finished = debtor.copy()
    finished.pop(PENDING, None)
    return finished
