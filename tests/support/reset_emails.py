"""Driving the reset-email queue as Lambda's event source mapping does: its messages to the worker."""

from __future__ import annotations

from typing import Any

import boto3

from tests.support import lambda_events
from tests.support.http import handler_module

QUEUE_NAME = "collectra-dev-reset-emails"


def deliver_reset_emails() -> int:
    """Hand every message now on the queue to the worker, ten at a time, deleting those it handled, so the
    links that `POST /auth/password/forgot` asked for are in the Brevo stand-in's outbox; how many."""
    sqs = boto3.client("sqs")
    url = lambda_events.queue_url(QUEUE_NAME)
    worker = handler_module("functions/auth/", "reset_email_worker.handler")
    delivered = 0
    while True:
        batch: list[dict[str, Any]] = sqs.receive_message(
            QueueUrl=url, MaxNumberOfMessages=10, AttributeNames=["All"], VisibilityTimeout=30
        ).get("Messages", [])
        if not batch:
            return delivered
        event = lambda_events.sqs_event(batch, QUEUE_NAME)
        context = lambda_events.WorkerContext(function_name="ResetEmailWorkerFunction")
        failed = {item["itemIdentifier"] for item in worker.handler(event, context)["batchItemFailures"]}
        assert not failed, f"the reset-email worker failed {len(failed)} message(s)"
        for message in batch:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        delivered += len(batch)
