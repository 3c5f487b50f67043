"""The reset-email worker, fed by the reset-email queue that `POST /auth/password/forgot` writes to: each
message is one request for a reset link, with partial batch failures. A message that fails comes back
(five receives), then waits in the dead-letter queue for a person to look at."""

from __future__ import annotations

import json
from typing import Any

from collectra import clock
from collectra.auth import accounts
from collectra.observability import entry

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


def record_handler(record: SQSRecord) -> None:
    accounts.send_reset_link(str(json.loads(record.body)["email"]), now=clock.utcnow())


@entry(collect_from_start=True)
def handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
