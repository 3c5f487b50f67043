"""What Lambda hands the app's background functions: SQS records of messages taken off a queue, and
EventBridge's scheduled events."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import boto3

from tests.support.http import LambdaContext


@dataclass
class WorkerContext(LambdaContext):
    """A Lambda context whose time left is chosen: plenty by default, little to make a worker stop early."""

    remaining_ms: int = 900_000

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining_ms


def queue_url(queue_name: str) -> str:
    return str(boto3.client("sqs").get_queue_url(QueueName=queue_name)["QueueUrl"])


def sqs_event(messages: list[dict[str, Any]], queue_name: str, *, receive_count: int | None = None) -> dict[str, Any]:
    """The event for `messages` (as `receive_message` gave them); `receive_count` fakes earlier deliveries."""
    records = []
    for message in messages:
        attributes = dict(message.get("Attributes", {}))
        if receive_count is not None:
            attributes["ApproximateReceiveCount"] = str(receive_count)
        records.append(
            {
                "messageId": message["MessageId"],
                "receiptHandle": message["ReceiptHandle"],
                "body": message["Body"],
                "attributes": attributes,
                "messageAttributes": {},
                "md5OfBody": message.get("MD5OfBody", ""),
                "eventSource": "aws:sqs",
                "eventSourceARN": f"arn:aws:sqs:us-east-1:123456789012:{queue_name}",
                "awsRegion": "us-east-1",
            }
        )
    return {"Records": records}


def scheduled_event(now: datetime, rule: str) -> dict[str, Any]:
    """What EventBridge sends on a schedule; `time` is the function's "now"."""
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "123456789012",
        "time": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": "us-east-1",
        "resources": [f"arn:aws:events:us-east-1:123456789012:rule/{rule}"],
        "detail": {},
    }
