"""Driving exports as AWS does: the export queue's messages to the worker function, and the archive
downloaded over HTTP from its presigned link."""

from __future__ import annotations

import io
import json
import urllib.request
import zipfile
from typing import Any

from tests.support.http import Browser, harness

WORKER = "ExportWorkerFunction"


def receive() -> list[dict[str, Any]]:
    """Everything on the export queue now, as the event source mapping takes it (in flight until deleted)."""
    taken: list[dict[str, Any]] = []
    while batch := harness().receive(WORKER, limit=10, visibility_timeout=60):
        taken += batch
    return taken


def deliver(
    message: dict[str, Any], *, receive_count: int | None = None, remaining_ms: int | None = None
) -> dict[str, Any]:
    """One message to the worker (BatchSize 1, as in the template); deleted from the queue unless it failed."""
    return dict(harness().deliver(WORKER, [message], receive_count=receive_count, remaining_ms=remaining_ms))


def work(export_id: str) -> dict[str, Any]:
    """Deliver what is on the queue until it is empty (other tests' exports too, as Lambda would: an export's
    plan queues its pieces, the last piece read its assembly); the first message of `export_id`, its plan."""
    mine = None
    while taken := receive():
        for message in taken:
            deliver(message)
            if mine is None and json.loads(message["Body"])["export_id"] == export_id:
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
