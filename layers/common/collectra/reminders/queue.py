"""The sender's queue: messages of one debtor's claimed steps, sent ten to a call."""

from __future__ import annotations

import json
import os
from typing import Any

_client: list[Any] = []


def send(messages: list[dict[str, Any]]) -> None:
    """Queue the messages (any number); raises when SQS refuses any, so the caller's run fails loudly."""
    if not _client:
        import boto3

        _client.append(boto3.client("sqs"))
    for start in range(0, len(messages), 10):
        batch = messages[start : start + 10]
        answer = _client[0].send_message_batch(
            QueueUrl=os.environ["REMINDER_QUEUE_URL"],
            Entries=[{"Id": str(n), "MessageBody": json.dumps(message)} for n, message in enumerate(batch)],
        )
        if answer.get("Failed"):
            raise RuntimeError(f"the queue refused {len(answer['Failed'])} message(s): {answer['Failed']}")
