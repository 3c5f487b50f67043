"""Driving the reminder engine as AWS does: the schedule's event to the planner, SQS records to the sender."""

from __future__ import annotations

import importlib.util
import json
import sys
import uuid
from datetime import datetime
from types import ModuleType
from typing import Any

import boto3

from tests.support.http import ROOT, LambdaContext

QUEUE_NAME = "collectra-dev-reminders"


def _module(name: str) -> ModuleType:
    key = f"reminders_{name}"
    if key not in sys.modules:
        spec = importlib.util.spec_from_file_location(key, ROOT / "functions" / "reminders" / f"{name}.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[key] = module
        spec.loader.exec_module(module)
    return sys.modules[key]


def scheduled_event(now: datetime) -> dict[str, Any]:
    """What EventBridge sends on a schedule; `time` is the planner's "now"."""
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "123456789012",
        "time": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": "us-east-1",
        "resources": ["arn:aws:events:us-east-1:123456789012:rule/collectra-dev-reminders"],
        "detail": {},
    }


def plan(now: datetime) -> dict[str, Any]:
    """One scheduled planner run at `now`."""
    return dict(
        _module("planner").handler(scheduled_event(now), LambdaContext(function_name="ReminderPlannerFunction"))
    )


def queue_url() -> str:
    return str(boto3.client("sqs").get_queue_url(QueueName=QUEUE_NAME)["QueueUrl"])


def receive(limit: int = 10) -> list[dict[str, Any]]:
    """Take what is on the queue now, as Lambda's event source mapping does (the messages stay in flight)."""
    answer = boto3.client("sqs").receive_message(
        QueueUrl=queue_url(), MaxNumberOfMessages=limit, AttributeNames=["All"], VisibilityTimeout=0
    )
    return list(answer.get("Messages", []))


def sqs_event(messages: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "Records": [
            {
                "messageId": message["MessageId"],
                "receiptHandle": message["ReceiptHandle"],
                "body": message["Body"],
                "attributes": message.get("Attributes", {}),
                "messageAttributes": {},
                "md5OfBody": message.get("MD5OfBody", ""),
                "eventSource": "aws:sqs",
                "eventSourceARN": f"arn:aws:sqs:us-east-1:123456789012:{QUEUE_NAME}",
                "awsRegion": "us-east-1",
            }
            for message in messages
        ]
    }


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
