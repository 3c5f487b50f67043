"""The erasure worker, fed by the deletion queue: each message names one erasure job to run or go on with.

A job that fails (an outage, a crash) fails its message alone; SQS gives it back after the visibility
timeout and, after five failures, to the dead-letter queue, whose alarm tells a person. Whatever happens
to messages, the sweeper puts unfinished jobs back on the queue, and each run resumes where the job's
recorded position says.
"""

from __future__ import annotations

from typing import Any

from collectra import clock
from collectra.observability import entry, logger, metrics
from collectra.privacy.jobs import JobRef
from collectra.privacy.worker import run

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


def record_handler(record: SQSRecord, lambda_context: LambdaContext) -> None:
    ref = JobRef.from_message(record.body)
    outcome = run(ref, now=clock.utcnow(), remaining_ms=lambda_context.get_remaining_time_in_millis)
    logger.info("erasure job", extra={"outcome": outcome, "job": ref.sk.split("#", 2)[1]})
    metrics.add_metric(name=f"Erasure_{outcome}", unit=MetricUnit.Count, value=1)


@entry(collect_from_start=True)
def handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
