"""An export SQS refuses to queue fails at once, and frees the requester's slot: asking again starts a new
export instead of answering one that nothing will ever build."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import Account
from tests.support.exports import WORKER
from tests.support.http import harness


def export_queue_refusing(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """From now on, SQS answers every message sent to the export queue as failed (as it does when, say, its KMS
    key is unavailable); the ids of the exports it refused, as it refuses them."""
    from moto.sqs import models

    queue_name = harness().consumers[WORKER].queue_url.rstrip("/").rsplit("/", 1)[-1]
    refused: list[str] = []
    original = models.SQSBackend.send_message_batch

    def send_message_batch(self: Any, name: str, entries: dict[str, dict[str, Any]]) -> tuple[list[Any], list[Any]]:
        if name != queue_name:
            return original(self, name, entries)
        refused.extend(json.loads(entry["MessageBody"])["export_id"] for entry in entries.values())
        failed = [
            {"Id": entry["Id"], "SenderFault": False, "Code": "KMS.KMSInvalidStateException", "Message": "refused"}
            for entry in entries.values()
        ]
        return [], failed

    monkeypatch.setattr(models.SQSBackend, "send_message_batch", send_message_batch)
    return refused


def test_an_export_sqs_refuses_fails_at_once_and_asking_again_starts_another(
    account: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as patched:
        refused = export_queue_refusing(patched)
        answer = account.browser.call("POST", "/account/export")

    assert answer.status == 500
    [lost] = refused
    shown = account.browser.call("GET", f"/account/export/{lost}").json()
    assert (shown["state"], shown["failure"]) == ("failed", "not_queued")
    again = account.browser.call("POST", "/account/export")
    assert again.status == 202, again.body
    assert again.json()["id"] != lost and again.json()["state"] == "pending"
