"""The export worker, fed by the export queue: each message is one step of an export (plan it, read one of
its pieces, assemble its archive), with partial batch failures. A message that fails comes back (three
receives); the last one records the export as failed, and the dead-letter queue keeps the message for a
person to look at."""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from collectra import clock
from collectra.exports.worker import run
from collectra.observability import logger, metrics

processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


def record_handler(record: SQSRecord, lambda_context: LambdaContext) -> None:
    message = json.loads(record.body)
    outcome = run(
        message,
        now=clock.utcnow(),
        receive_count=int(record.attributes.approximate_receive_count),
        remaining_ms=lambda_context.get_remaining_time_in_millis,
    )
    logger.info("export message", extra={"outcome": outcome, "export_id": message["export_id"]})
    metrics.add_metric(name=f"Export_{outcome}", unit=MetricUnit.Count, value=1)


@logger.inject_lambda_context(log_event=False)
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
