"""The digest run, started by the EventBridge schedule every quarter of an hour: queue the digests now due.

"Now" is the scheduled event's `time`, as for the reminder planner, so a run can be replayed or a day
simulated locally.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from collectra import clock
from collectra.digest.runs import run
from collectra.observability import entry, logger, metrics

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext


@entry(collect_from_start=True)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, int]:
    now = datetime.fromisoformat(event["time"]) if event.get("time") else clock.utcnow()
    counts = run(now, context.get_remaining_time_in_millis)
    logger.info("digest run", extra={"now": clock.iso(now), **counts})
    metrics.add_metric(name="DigestsQueued", unit=MetricUnit.Count, value=counts["queued"])
    return counts
