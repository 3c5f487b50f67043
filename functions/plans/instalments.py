"""The instalment scheduler, started by the reminders' EventBridge schedule: every plan whose next look has come.

"Now" is the scheduled event's `time`, as for the reminder planner, so a run can be replayed or a month simulated
locally (`make remind NOW=...`). See collectra.reminders.instalments; the automatic charges are Stripe's
(collectra.payments.collection), given to it from here, as reminders may not import payments.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from collectra import clock
from collectra.observability import entry, logger, metrics
from collectra.payments.collection import charge_due
from collectra.reminders.instalments import run
from collectra.workspaces.records import Workspace

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext


def charge(workspace: Workspace, plan: Any, now: datetime) -> str | None:
    return charge_due(workspace, plan, now=now)


@entry(collect_from_start=True)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    now = datetime.fromisoformat(event["time"]) if event.get("time") else clock.utcnow()
    summary = run(now, lambda: timedelta(milliseconds=context.get_remaining_time_in_millis()), charge)
    logger.info("instalment run", extra={"now": clock.iso(now), **summary.as_dict()})
    metrics.add_metric(name="PlansLookedAt", unit=MetricUnit.Count, value=summary.looked)
    # Plans whose look raised and was skipped (alarmed: PlanLookFailedAlarm); each is looked at again next run.
    metrics.add_metric(name="PlanLookFailed", unit=MetricUnit.Count, value=summary.failed)
    return {"now": clock.iso(now), **summary.as_dict()}
