"""The members' email sender, fed by the notification queue: a digest or a dispute alert per message, with
partial batch failures (a message whose email Brevo could not take comes back alone)."""

from __future__ import annotations

import json

from collectra import clock
from collectra.digest.notices import send_digest, send_dispute_alerts
from collectra.observability import entry, logger, metrics

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


def record_handler(record: SQSRecord) -> None:
    message = json.loads(record.body)
    if message["kind"] == "digest":
        outcome = send_digest(message, now=clock.utcnow())
        logger.info("digest", extra={"outcome": outcome, "workspace_id": message["workspace_id"]})
        metrics.add_metric(name=f"Digest_{outcome}", unit=MetricUnit.Count, value=1)
    else:
        outcomes = send_dispute_alerts(message, now=clock.utcnow())
        logger.info("dispute alerts", extra={"outcomes": outcomes, "workspace_id": message["workspace_id"]})
        metrics.add_metric(name="DisputeAlertsSent", unit=MetricUnit.Count, value=outcomes.get("sent", 0))


@entry(collect_from_start=True)
def handler(event: dict[str, object], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
