"""Driving the reminder engine as AWS does: the schedule's event to the planner, SQS records to the sender."""

from __future__ import annotations

import json
from datetime import datetime
from types import ModuleType
from typing import Any

import boto3

from tests.support import lambda_events
from tests.support.http import LambdaContext, handler_module

QUEUE_NAME = "collectra-dev-reminders"


def _module(name: str) -> ModuleType:
    return handler_module("functions/reminders/", f"{name}.handler")


def scheduled_event(now: datetime) -> dict[str, Any]:
    return lambda_events.scheduled_event(now, "collectra-dev-reminders")


def plan(now: datetime) -> dict[str, Any]:
    """One scheduled planner run at `now`."""
    return dict(
        _module("planner").handler(scheduled_event(now), LambdaContext(function_name="ReminderPlannerFunction"))
    )


def queue_url() -> str:
    return lambda_events.queue_url(QUEUE_NAME)


def receive(limit: int = 10) -> list[dict[str, Any]]:
    """Take what is on the queue now, as Lambda's event source mapping does (the messages stay in flight)."""
    answer = boto3.client("sqs").receive_message(
        QueueUrl=queue_url(), MaxNumberOfMessages=limit, AttributeNames=["All"], VisibilityTimeout=0
    )
    return list(answer.get("Messages", []))


def sqs_event(messages: list[dict[str, Any]]) -> dict[str, Any]:
    return lambda_events.sqs_event(messages, QUEUE_NAME)


def deliver(messages: list[dict[str, Any]], *, delete: bool = True) -> dict[str, Any]:
    """Hand the messages to the sender; like Lambda, delete those that did not fail."""
    answer = dict(_module("sender").handler(sqs_event(messages), LambdaContext(function_name="ReminderSenderFunction")))
    failed = {item["itemIdentifier"] for item in answer.get("batchItemFailures", [])}
    if delete:
        for message in messages:
            if message["MessageId"] not in failed:
                boto3.client("sqs").delete_message(QueueUrl=queue_url(), ReceiptHandle=message["ReceiptHandle"])
    return answer


def drain() -> int:
    """Deliver everything on the queue; returns how many messages the sender took."""
    taken = 0
    while batch := receive():
        deliver(batch)
        taken += len(batch)
    return taken


def bodies(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [json.loads(message["Body"]) for message in messages]
