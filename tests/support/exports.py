"""Driving exports as AWS does: the export queue's messages to the worker function, and the archive
downloaded over HTTP from its presigned link."""

from __future__ import annotations

import io
import json
import urllib.request
import zipfile
from typing import Any

import boto3

from tests.support import lambda_events
from tests.support.http import Browser, handler_module
from tests.support.lambda_events import WorkerContext

QUEUE_NAME = "collectra-dev-exports"


def queue_url() -> str:
    return lambda_events.queue_url(QUEUE_NAME)


def receive() -> list[dict[str, Any]]:
    """Everything on the export queue now, as the event source mapping takes it (in flight until deleted)."""
    taken: list[dict[str, Any]] = []
    while True:
        answer = boto3.client("sqs").receive_message(
            QueueUrl=queue_url(), MaxNumberOfMessages=10, AttributeNames=["All"], VisibilityTimeout=60
        )
        batch = answer.get("Messages", [])
        if not batch:
            return taken
        taken += batch


def sqs_event(message: dict[str, Any], *, receive_count: int | None = None) -> dict[str, Any]:
    return lambda_events.sqs_event([message], QUEUE_NAME, receive_count=receive_count)


def deliver(
    message: dict[str, Any], *, receive_count: int | None = None, remaining_ms: int = 900_000
) -> dict[str, Any]:
    """One message to the worker (BatchSize 1, as in the template); deleted from the queue unless it failed."""
    module = handler_module("functions/exports/", "export_worker.handler")
    context = WorkerContext("ExportWorkerFunction", remaining_ms=remaining_ms)
    answer = dict(module.handler(sqs_event(message, receive_count=receive_count), context))
    if not answer.get("batchItemFailures"):
        boto3.client("sqs").delete_message(QueueUrl=queue_url(), ReceiptHandle=message["ReceiptHandle"])
    return answer


def work(export_id: str) -> dict[str, Any]:
    """Deliver what is on the queue (other tests' exports too, as Lambda would); the message of `export_id`."""
    mine = None
    for message in receive():
        deliver(message)
        if json.loads(message["Body"])["export_id"] == export_id:
            mine = message
    assert mine is not None, f"no message for export {export_id}"
    return mine


def download(url: str) -> zipfile.ZipFile:
    """The archive, fetched with a plain HTTP GET on the presigned link (no credentials, no SDK)."""
    with urllib.request.urlopen(url, timeout=30) as answer:
        assert answer.status == 200
        return zipfile.ZipFile(io.BytesIO(answer.read()))


def export_now(browser: Browser) -> dict[str, Any]:
    """Ask for an export, let the worker build it, and read it back (ready, with its link)."""
    asked = browser.call("POST", "/account/export")
    assert asked.status == 202, asked.body
    work(asked.json()["id"])
    shown = browser.call("GET", f"/account/export/{asked.json()['id']}")
    assert shown.status == 200 and shown.json()["state"] == "ready", shown.body
    return dict(shown.json())
