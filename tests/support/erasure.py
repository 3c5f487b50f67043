"""Driving erasures as AWS does: the deletion queue's messages to the worker, the schedule's event to the sweeper."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from tests.support.http import harness

WORKER, SWEEPER = "ErasureWorkerFunction", "ErasureSweeperFunction"


def receive_for(workspace_or_user_id: str) -> list[dict[str, Any]]:
    """The messages on the queue now that name a job of this workspace or user (others are left alone)."""
    found: list[dict[str, Any]] = []
    for _ in range(20):
        batch = harness().receive(WORKER, limit=10)
        found += [m for m in batch if workspace_or_user_id in json.loads(m["Body"])["pk"]]
        if len(batch) < 10:
            break
    unique = {m["MessageId"]: m for m in found}
    return list(unique.values())


def deliver(message: dict[str, Any], *, remaining_ms: int | None = None, delete: bool = True) -> dict[str, Any]:
    """Hand one message to the worker (its batch size is 1); like Lambda, delete it unless it failed."""
    return dict(harness().deliver(WORKER, [message], remaining_ms=remaining_ms, delete=delete))


def run_jobs_of(workspace_or_user_id: str, *, remaining_ms: int | None = None, rounds: int = 50) -> int:
    """Deliver this workspace's (or user's) messages until none is left; how many were delivered."""
    delivered = 0
    for _ in range(rounds):
        messages = receive_for(workspace_or_user_id)
        if not messages:
            return delivered
        for message in messages:
            assert not deliver(message, remaining_ms=remaining_ms).get("batchItemFailures")
            delivered += 1
    raise AssertionError("the erasure jobs kept coming back")


def drop_messages_of(workspace_or_user_id: str) -> int:
    """Lose this workspace's messages, as if SQS had lost them: the sweeper must find the jobs again."""
    messages = receive_for(workspace_or_user_id)
    harness().delete(WORKER, messages)
    return len(messages)


def sweep(now: datetime) -> dict[str, Any]:
    """One scheduled sweeper run at `now`."""
    return dict(harness().run_schedule(SWEEPER, now))
