"""The reminder planner, run by the EventBridge schedule: what is due now goes to the sender's queue.

"Now" is the scheduled event's `time`, so a run can be replayed, or a month simulated locally
(`NOW=... make remind`), without anything reading a clock override.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from collectra import clock
from collectra.observability import entry, logger, metrics
from collectra.reminders import queue
from collectra.reminders.planner import run

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext


@entry(collect_from_start=True)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    now = datetime.fromisoformat(event["time"]) if event.get("time") else clock.utcnow()
    summary = run(now, queue.send)
    report = summary.as_dict()
    logger.info("reminder run", extra={"now": clock.iso(now), **report})
    metrics.add_metric(name="RemindersDue", unit=MetricUnit.Count, value=summary.due)
    metrics.add_metric(name="RemindersClaimed", unit=MetricUnit.Count, value=summary.claimed)
    metrics.add_metric(name="ReminderMessages", unit=MetricUnit.Count, value=summary.messages)
    metrics.add_metric(name="RemindersRescheduled", unit=MetricUnit.Count, value=summary.rescheduled)
    metrics.add_metric(name="RemindersSkipped", unit=MetricUnit.Count, value=sum(summary.skipped.values()))
    # Debtors whose planning raised and was skipped; alarmed (PlannerDebtorFailedAlarm), since it repeats each run.
    metrics.add_metric(name="PlannerDebtorFailed", unit=MetricUnit.Count, value=summary.failed)
    metrics.add_metric(name="ReminderRunCompleted", unit=MetricUnit.Count, value=1)
    return report
