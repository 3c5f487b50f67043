"""The sender's queue: messages of one debtor's claimed steps."""

from __future__ import annotations

import json
from typing import Any

from collectra import queues


def send(messages: list[dict[str, Any]]) -> None:
    """Queue the messages (any number); raises when SQS refuses any, so the caller's run fails loudly."""
    queues.send("REMINDER_QUEUE_URL", [json.dumps(message) for message in messages])
