"""A planner run fanned out: one message per shard of the "next reminder due" index, each planned on its own.

The schedule's run only queues one `Slice` per shard (`fan_out`); the shard planner plans a slice within its
invocation's time and, when the shard has more due than it got through, queues the slice that continues it
(`Slice.onward`). A slice carries the run's "now" (every continuation plans at the same moment, so a redelivered
slice or continuation plans nothing twice: what it planned has left the range `<= now`, and the claims'
conditions stop a second planner), where to read from (a Query's LastEvaluatedKey), and how many due debts the
run has read in this shard so far (its share of the run's cap).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from collectra import queues
from collectra.clock import iso
from collectra.store import keys

QUEUE = "PLANNER_SHARD_QUEUE_URL"

Put = Callable[[list["Slice"]], None]


@dataclass(frozen=True)
class Slice:
    shard: int
    now: datetime
    start: dict[str, Any] | None = None  # None: the shard's first due debt
    read: int = 0  # due debts this run has read in this shard before this slice

    def onward(self, start: dict[str, Any] | None, read: int) -> Slice:
        return Slice(self.shard, self.now, start, self.read + read)

    def body(self) -> str:
        return json.dumps({"shard": self.shard, "now": iso(self.now), "start": self.start, "read": self.read})

    @classmethod
    def of(cls, body: str) -> Slice:
        fields = json.loads(body)
        shard = int(fields["shard"])
        if not 0 <= shard < keys.REMINDER_SHARDS:
            raise ValueError(f"no shard {shard}")
        return cls(shard, datetime.fromisoformat(fields["now"]), fields.get("start"), int(fields.get("read", 0)))


def put(slices: list[Slice]) -> None:
    """Queue the slices for the shard planner; raises when SQS refuses any (the caller's invocation fails)."""
    queues.send(QUEUE, [piece.body() for piece in slices])


def fan_out(now: datetime, put: Put = put) -> int:
    """One slice per shard, all planned at `now`; how many were queued."""
    slices = [Slice(shard, now) for shard in range(keys.REMINDER_SHARDS)]
    put(slices)
    return len(slices)
