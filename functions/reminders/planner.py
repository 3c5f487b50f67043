"""The reminder run, started by the EventBridge schedule: one slice per shard on the shard planner's queue.

"Now" is the scheduled event's `time`, so a run can be replayed, or a month simulated locally
(`NOW=... make remind`), without anything reading a clock override. The shards are planned in parallel
(functions/reminders/plan_shard.py), each within its invocation's time, so no shard waits for another.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from collectra import clock
from collectra.observability import entry, logger, metrics
from collectra.reminders.planner import record_run
from collectra.reminders.shards import fan_out

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext


@entry(collect_from_start=True)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    now = datetime.fromisoformat(event["time"]) if event.get("time") else clock.utcnow()
    shards = fan_out(now)
    record_run(now, shards)
    logger.info("reminder run", extra={"now": clock.iso(now), "shards": shards})
    metrics.add_metric(name="ReminderRunStarted", unit=MetricUnit.Count, value=1)
    return {"now": clock.iso(now), "shards": shards}
