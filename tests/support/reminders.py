"""Driving the reminder engine as AWS does: the schedule's event to the planner, its slices through the shard
planner's queue, SQS records to the sender."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest

from tests.support.http import harness

PLANNER, SHARDS, SENDER = "ReminderPlannerFunction", "PlanShardFunction", "ReminderSenderFunction"


class SliceFailed(RuntimeError):
    """A slice of the run failed (SQS would hand it back; here it is dropped, as if it had reached its DLQ)."""


def plan(now: datetime) -> dict[str, Any]:
    """One scheduled run at `now`, its slices (and their continuations) planned until the shard planner's queue
    is empty; their summaries added up. Raises SliceFailed, after the others, when a slice failed."""
    from collectra.reminders import planner

    harness().run_schedule(PLANNER, now)
    summaries: list[planner.RunSummary] = []
    real = planner.plan_slice

    def recorded(*args: Any, **kwargs: Any) -> planner.RunSummary:
        summaries.append(real(*args, **kwargs))
        return summaries[-1]

    failures = []
    planner.plan_slice = recorded
    try:
        while batch := harness().receive(SHARDS, limit=1):
            failures += deliver_slice(batch)
    finally:
        planner.plan_slice = real
    if failures:
        raise SliceFailed(f"{len(failures)} slice(s) failed")
    total: dict[str, Any] = {"due": 0, "claimed": 0, "messages": 0, "rescheduled": 0, "failed": 0, "slices": 0}
    skipped: Counter[str] = Counter()
    for summary in summaries:
        for name in ("due", "claimed", "messages", "rescheduled", "failed"):
            total[name] += getattr(summary, name)
        skipped.update(summary.skipped)
        total["slices"] += 1
    return {**total, "skipped": dict(skipped)}


def receive_slices(limit: int = 10) -> list[dict[str, Any]]:
    """Take the slices on the shard planner's queue now; they stay in flight (a minute) until delivered."""
    return harness().receive(SHARDS, limit=limit, visibility_timeout=60)


def deliver_slice(
    messages: list[dict[str, Any]], *, remaining_ms: int | None = None, delete: bool = True
) -> list[dict[str, Any]]:
    """Hand slices to the shard planner; the failures it reported (deleted too, when `delete`)."""
    answer = harness().deliver(SHARDS, messages, remaining_ms=remaining_ms, delete=False)
    if delete:
        harness().delete(SHARDS, messages)
    return list(answer.get("batchItemFailures") or [])


def planner_sees(monkeypatch: pytest.MonkeyPatch, keep: Callable[[dict[str, Any]], bool]) -> None:
    """The planner reads only the due debts `keep` accepts (the session's emulator holds every other test's)."""
    from collectra.reminders import planner

    everything = planner.due_in_shard

    def due(shard: int, now: datetime, start: dict[str, Any] | None, limit: int) -> tuple[list[Any], Any]:
        found, onward = everything(shard, now, start, limit)
        return [debt for debt in found if keep(dict(debt))], onward

    monkeypatch.setattr(planner, "due_in_shard", due)


def receive(limit: int = 10) -> list[dict[str, Any]]:
    """Take what is on the queue now, as Lambda's event source mapping does (the messages stay in flight)."""
    return harness().receive(SENDER, limit=limit)


def deliver(messages: list[dict[str, Any]], *, delete: bool = True) -> dict[str, Any]:
    """Hand the messages to the sender; like Lambda, delete those that did not fail."""
    return dict(harness().deliver(SENDER, messages, delete=delete))


def drain() -> int:
    """Deliver everything on the queue; returns how many messages the sender took."""
    return harness().drain(SENDER)


def bodies(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [json.loads(message["Body"]) for message in messages]
