"""The shard planner, fed by the planner's queue: one slice of one shard per invocation (batches of one).

A slice stops planning while its invocation still has time to queue what it claimed, and then queues the slice
that continues its shard before it returns; if that fails, the slice fails and SQS hands it back (planning it
again changes nothing twice: see collectra.reminders.shards).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from collectra import clock
from collectra.observability import entry, logger, metrics
from collectra.reminders import planner, queue, shards

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


def record_handler(record: SQSRecord, lambda_context: LambdaContext) -> None:
    piece = shards.Slice.of(record.body)
    summary = planner.plan_slice(
        piece, queue.send, lambda: timedelta(milliseconds=lambda_context.get_remaining_time_in_millis())
    )
    if summary.onward is not None:
        shards.put([summary.onward])
    logger.info("reminder slice", extra={"now": clock.iso(piece.now), "shard": piece.shard, **summary.as_dict()})
    metrics.add_metric(name="RemindersDue", unit=MetricUnit.Count, value=summary.due)
    metrics.add_metric(name="RemindersClaimed", unit=MetricUnit.Count, value=summary.claimed)
    metrics.add_metric(name="ReminderMessages", unit=MetricUnit.Count, value=summary.messages)
    metrics.add_metric(name="RemindersRescheduled", unit=MetricUnit.Count, value=summary.rescheduled)
    metrics.add_metric(name="RemindersSkipped", unit=MetricUnit.Count, value=sum(summary.skipped.values()))
    # Debtors whose planning raised and was skipped; alarmed (PlannerDebtorFailedAlarm), since it repeats each run.
    metrics.add_metric(name="PlannerDebtorFailed", unit=MetricUnit.Count, value=summary.failed)
    # Reminders a workspace's own daily quota holds back until tomorrow (alarmed: DailySendingQuotaReachedAlarm); the
    # sender and the plan notices count those it refuses at the last moment (collectra.reminders.quota.take).
    metrics.add_metric(name="DailySendingQuotaReached", unit=MetricUnit.Count, value=summary.skipped["daily_quota"])
    if summary.onward is None:  # alarmed when none comes for two intervals (ReminderRunsStoppedAlarm)
        metrics.add_metric(name="ReminderRunCompleted", unit=MetricUnit.Count, value=1)


@entry(collect_from_start=True)
def handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
