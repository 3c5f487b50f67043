"""The erasure sweeper, run by an EventBridge schedule: unfinished erasure jobs that stopped moving (a
crash, a lost message) go back on the deletion queue, so no erasure stays half-done."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from collectra import clock
from collectra.observability import entry, logger, metrics
from collectra.privacy import jobs

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext


@entry(collect_from_start=True)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    now = datetime.fromisoformat(event["time"]) if event.get("time") else clock.utcnow()
    stale = jobs.stale(now)
    jobs.enqueue([jobs.ref_of(job) for job in stale])
    logger.info("erasure sweep", extra={"resumed": len(stale)})
    metrics.add_metric(name="ErasuresResumed", unit=MetricUnit.Count, value=len(stale))
    return {"resumed": len(stale)}
