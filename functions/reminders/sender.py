"""The reminder sender, fed by the SQS queue: each message is one email, with partial batch failures.

A message that must come back later (Brevo unavailable or rate-limiting, a concurrent sender) fails
alone; the others of the batch are done. After five failures SQS moves it to the dead-letter queue,
whose alarm tells a person.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from collectra import clock
from collectra.observability import entry, logger, metrics
from collectra.reminders.sender import send

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

# A batch whose every message failed answers with every one of them, like any other partial failure.
processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


def sending_now(message: dict[str, Any], record: SQSRecord) -> datetime:
    """The planner's "now" moved on by the time the message waited: real time in AWS, simulated time locally."""
    planned = datetime.fromisoformat(message["planned_at"])
    queued = datetime.fromtimestamp(int(record.attributes.sent_timestamp) / 1000, UTC)
    return planned + max(clock.utcnow() - queued, timedelta(0))


def record_handler(record: SQSRecord) -> None:
    message = json.loads(record.body)
    try:
        outcome = send(message, now=sending_now(message, record))
    except Exception:
        # Handed back to the queue (the batch's other messages are done): counted, so a run of them is alarmed
        # before five tries make them dead letters (ReminderSenderFailedAlarm).
        metrics.add_metric(name="ReminderMessageFailed", unit=MetricUnit.Count, value=1)
        raise
    logger.info("reminder message", extra={"outcome": outcome, "claims": len(message.get("claims", []))})
    metrics.add_metric(name=f"Reminder_{outcome}", unit=MetricUnit.Count, value=1)


@entry(collect_from_start=True)
def handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
