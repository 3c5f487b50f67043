"""Driving the reminder engine as AWS does: the schedule's event to the planner, SQS records to the sender."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from tests.support.http import harness

PLANNER, SENDER = "ReminderPlannerFunction", "ReminderSenderFunction"


def plan(now: datetime) -> dict[str, Any]:
    """One scheduled planner run at `now`."""
    return dict(harness().run_schedule(PLANNER, now))


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
