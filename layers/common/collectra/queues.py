"""Sending to the app's SQS queues: ten messages to a call, and a refusal is an error, never a silent loss."""

from __future__ import annotations

from typing import Any

from collectra import aws, config

_client: list[Any] = []


def send(queue_url_variable: str, bodies: list[str]) -> None:
    """Queue `bodies` on the queue whose URL is in the environment variable named; raises if SQS refuses any."""
    if not bodies:
        return
    if not _client:
        _client.append(aws.client("sqs"))
    url = config.queue_url(queue_url_variable)
    for start in range(0, len(bodies), 10):
        batch = bodies[start : start + 10]
        answer = _client[0].send_message_batch(
            QueueUrl=url, Entries=[{"Id": str(n), "MessageBody": body} for n, body in enumerate(batch)]
        )
        if answer.get("Failed"):
            raise RuntimeError(f"{queue_url_variable}: SQS refused {len(answer['Failed'])} message(s)")
