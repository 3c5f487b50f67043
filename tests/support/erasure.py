"""Driving erasures as AWS does: the deletion queue's messages to the worker, the schedule's event to the sweeper."""

from __future__ import annotations

import json
from datetime import datetime
from types import ModuleType
from typing import Any

import boto3

from tests.support import lambda_events
from tests.support.http import LambdaContext, handler_module
from tests.support.lambda_events import WorkerContext

QUEUE_NAME = "collectra-dev-deletions"


def _module(name: str) -> ModuleType:
    return handler_module("functions/privacy/", f"{name}.handler")


def queue_url() -> str:
    return lambda_events.queue_url(QUEUE_NAME)


def receive_for(workspace_or_user_id: str) -> list[dict[str, Any]]:
    """The messages on the queue now that name a job of this workspace or user (others are left alone)."""
    found: list[dict[str, Any]] = []
    for _ in range(20):
        answer = boto3.client("sqs").receive_message(
            QueueUrl=queue_url(), MaxNumberOfMessages=10, AttributeNames=["All"], VisibilityTimeout=0
        )
        batch = answer.get("Messages", [])
        found += [m for m in batch if workspace_or_user_id in json.loads(m["Body"])["pk"]]
        if len(batch) < 10:
            break
    unique = {m["MessageId"]: m for m in found}
    return list(unique.values())


def deliver(message: dict[str, Any], *, remaining_ms: int = 280_000, delete: bool = True) -> dict[str, Any]:
    """Hand one message to the worker (its batch size is 1); like Lambda, delete it unless it failed."""
    event = lambda_events.sqs_event([message], QUEUE_NAME)
    context = WorkerContext(function_name="ErasureWorkerFunction", remaining_ms=remaining_ms)
    answer = dict(_module("erasure_worker").handler(event, context))
    if delete and not answer.get("batchItemFailures"):
        boto3.client("sqs").delete_message(QueueUrl=queue_url(), ReceiptHandle=message["ReceiptHandle"])
    return answer


def run_jobs_of(workspace_or_user_id: str, *, remaining_ms: int = 280_000, rounds: int = 50) -> int:
    """Deliver this workspace's (or user's) messages until none is left; how many were delivered."""
    delivered = 0
    for _ in range(rounds):
        messages = receive_for(workspace_or_user_id)
        if not messages:
            return delivered
        for message in messages:
            assert not deliver(message, remaining_ms=remaining_ms).get("batchItemFailures")
            delivered += 1
    raise AssertionError("the erasure jobs kept coming back")


def drop_messages_of(workspace_or_user_id: str) -> int:
    """Lose this workspace's messages, as if SQS had lost them: the sweeper must find the jobs again."""
    messages = receive_for(workspace_or_user_id)
    for message in messages:
        boto3.client("sqs").delete_message(QueueUrl=queue_url(), ReceiptHandle=message["ReceiptHandle"])
    return len(messages)


def sweep(now: datetime) -> dict[str, Any]:
    """One scheduled sweeper run at `now`."""
    event = lambda_events.scheduled_event(now, "collectra-dev-erasure-sweeper")
    return dict(_module("erasure_sweeper").handler(event, LambdaContext(function_name="ErasureSweeperFunction")))
