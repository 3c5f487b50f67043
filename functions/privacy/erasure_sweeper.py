"""The erasure sweeper, run by an EventBridge schedule: unfinished erasure jobs that stopped moving (a
crash, a lost message) go back on the deletion queue, so no erasure stays half-done. Each run also counts the
erasures asked for over an hour ago and still unfinished (`ErasuresOverdue`, 0 when none), which a person must see."""

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
    overdue = jobs.overdue(now)
    logger.info("erasure sweep", extra={"resumed": len(stale), "overdue": overdue})
    metrics.add_metric(name="ErasuresResumed", unit=MetricUnit.Count, value=len(stale))
    metrics.add_metric(name="ErasuresOverdue", unit=MetricUnit.Count, value=overdue)
    return {"resumed": len(stale), "overdue": overdue}
