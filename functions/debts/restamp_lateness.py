"""The lateness queue's consumer: each message names a debtor whose debts' forecast may be stale (a debt of theirs
became paid or was taken back, or they have a new one); their debts get their current lateness (debts.restamp).
Partial batch failures: a debtor whose restamp kept losing races comes back alone."""

from __future__ import annotations

import json

from collectra import clock
from collectra.debts.restamp import restamp
from collectra.observability import entry, logger, metrics

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


def record_handler(record: SQSRecord) -> None:
    message = json.loads(record.body)
    written = restamp(message["workspace_id"], message["debtor_id"], now=clock.utcnow())
    logger.info("lateness restamped", extra={"workspace_id": message["workspace_id"], "debts": written})
    metrics.add_metric(name="DebtsRestamped", unit=MetricUnit.Count, value=written)


@entry(collect_from_start=True)
def handler(event: dict[str, object], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
