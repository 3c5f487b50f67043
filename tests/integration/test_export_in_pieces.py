"""A large workspace is exported in pieces, read side by side by separate invocations of the worker, and the
archive is the one a single reader makes: the same records in the same order. Driven as AWS does: POST
/account/export, the export queue's messages to the worker (its plan queues the pieces, a piece cut short
queues its rest, the last piece read queues the assembly), GET /account/export/{id} and the archive downloaded.

Pieces are made small here (`pieces.DEBTS_PER_PIECE`) so that the populated workspace's four debts make
several; the bench (bench/exports.py) measures what one piece of the real size costs.
"""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from collectra import config
from collectra.exports import pieces, storage
from local.brevo import BrevoStandIn
from local.stripe import StripeStandIn
from tests.conftest import Account, Clock
from tests.support.exports import WORKER, deliver, download, export_now, receive, work
from tests.support.http import harness
from tests.support.meanwhile import meanwhile
from tests.support.populated import Populated, populate
from tests.support.world import get_item


@pytest.fixture
def populated(
    account: Account, stripe_api: StripeStandIn, brevo: BrevoStandIn, clock: Clock, own_reminders_only: None
) -> Populated:
    return populate(account, stripe_api, brevo, clock)


def exported_records(shown: dict[str, Any]) -> dict[str, Any]:
    """The archive's entities, without its own description and the list of the user's exports (which grows with
    each export made)."""
    exported = dict(json.loads(download(shown["download_url"]).read("export.json")))
    return {name: value for name, value in exported.items() if name not in ("about", "exports")}


def messages_of(export_id: str) -> list[dict[str, Any]]:
    """What is on the export queue for `export_id` now (other tests' messages are delivered as they come)."""
    mine = []
    for message in receive():
        if json.loads(message["Body"])["export_id"] == export_id:
            mine.append(message)
        else:
            deliver(message)
    return mine


def unavailable(*_: Any) -> None:
    raise ConnectionError("S3 is unavailable")


def objects_of(user_id: str, export_id: str) -> list[str]:
    """The objects under the export's own folder: its parts while it is built."""
    listed = boto3.client("s3").list_objects_v2(Bucket=config.export_bucket(), Prefix=f"exports/{user_id}/{export_id}/")
    return [entry["Key"] for entry in listed.get("Contents", [])]


def test_pieces_read_apart_and_cut_short_make_the_archive_one_reader_makes(
    populated: Populated, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = exported_records(export_now(populated.browser))
    monkeypatch.setattr(pieces, "DEBTS_PER_PIECE", 1)
    asked = populated.browser.call("POST", "/account/export").json()
    [plan] = messages_of(asked["id"])

    deliver(plan)
    queued = messages_of(asked["id"])
    [first, *others] = sorted(queued, key=lambda message: json.loads(message["Body"])["piece"])
    with monkeypatch.context() as broken:  # short of time after its first item of the workspace: cut, rest
        broken.setattr(storage, "upload", unavailable)  # queued; then its part cannot be stored
        failed = deliver(first, remaining_ms=30_000, receive_count=1)
    deliver(first)  # again: it reads exactly up to the cut recorded, however much time it has
    for message in others:
        deliver(message)
    work(asked["id"])
    shown = populated.browser.call("GET", f"/account/export/{asked['id']}").json()

    # A boundary after each debt: the first piece holds the account, payments and emails, the last what follows
    # the debts in the main partition (debtors, members...).
    assert len(queued) == 5
    record = get_item({"pk": f"USER#{populated.account.user_id}", "sk": f"EXPORT#{asked['id']}"})
    assert record is not None and sorted(record["pieces"]) == ["00000", "00000.1", "00001", "00002", "00003", "00004"]
    assert failed["batchItemFailures"] == [{"itemIdentifier": first["MessageId"]}]
    assert shown["state"] == "ready"
    assert exported_records(shown) == whole
    assert objects_of(populated.account.user_id, asked["id"]) == []  # the parts are gone, the archive is beside


def test_a_piece_delivered_twice_at_once_is_in_the_archive_once(account: Account) -> None:
    asked = account.browser.call("POST", "/account/export").json()
    [plan] = messages_of(asked["id"])
    deliver(plan)
    [piece] = messages_of(asked["id"])

    # Its twin (the same message, received twice) records its part first; the outer delivery deletes the message.
    with meanwhile(WORKER, "UpdateItem", lambda: harness().deliver(WORKER, [piece], delete=False)):
        deliver(piece)
    deliver(piece)  # and once more, later
    work(asked["id"])
    shown = account.browser.call("GET", f"/account/export/{asked['id']}").json()

    exported = json.loads(download(shown["download_url"]).read("export.json"))
    assert shown["state"] == "ready" and [user["id"] for user in exported["user"]] == [account.user_id]
    assert exported["about"]["counts"]["user"] == 1 and len(exported["sessions"]) == shown["counts"]["sessions"]
    assert objects_of(account.user_id, asked["id"]) == []


def test_a_piece_that_keeps_failing_fails_the_export_and_no_partial_archive_is_made(
    populated: Populated, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pieces, "DEBTS_PER_PIECE", 1)
    asked = populated.browser.call("POST", "/account/export").json()
    [plan] = messages_of(asked["id"])
    deliver(plan)
    first, failing, *others = sorted(messages_of(asked["id"]), key=lambda m: json.loads(m["Body"])["piece"])
    deliver(first)
    with monkeypatch.context() as broken:
        broken.setattr(storage, "upload", unavailable)
        retried = deliver(failing, receive_count=1)
        given_up = deliver(failing, receive_count=3)
    for message in others:
        deliver(message)

    shown = populated.browser.call("GET", f"/account/export/{asked['id']}").json()
    assert retried["batchItemFailures"] == [{"itemIdentifier": failing["MessageId"]}]
    assert given_up == {"batchItemFailures": []}
    assert (shown["state"], shown["failure"], shown["download_url"]) == ("failed", "error", None)
    assert messages_of(asked["id"]) == []  # no assembly queued
    assert objects_of(populated.account.user_id, asked["id"]) == []  # the parts read are deleted, no archive
