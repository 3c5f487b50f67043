"""The export worker: reads everything the export covers, by Query only, and stores one archive.

The account's part is the user's own partition (profile, sessions, memberships, exports); the
workspace's is `collectra.workspaces.contents.owned_items`. Records stream into the archive's spools on
local disk, so memory does not grow with the workspace. A redelivered message finds the export finished
and does nothing; a failure is retried by the queue, and the last receive records the export as failed.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from collectra import store
from collectra.clock import iso
from collectra.exports import records, storage
from collectra.exports.archive import Archive
from collectra.exports.entities import ENTITIES, records_of
from collectra.store import keys
from collectra.workspaces.contents import owned_items

MAX_RECEIVES = 3  # the queue's maxReceiveCount: the last try records the failure before the message dies
ACCOUNT_ENTITIES = ("user", "sessions", "memberships", "exports", "erasures", "other")
_MARGIN_MS = 60_000  # stop reading with this much time left, to record why instead of being cut off


class OutOfTime(Exception):
    """The function's time is nearly up: this export cannot finish in one invocation."""


def run(
    user_id: str,
    export_id: str,
    *,
    now: datetime,
    receive_count: int = 1,
    remaining_ms: Callable[[], int] | None = None,
) -> str:
    """Make the export's archive; returns what happened (for logs and metrics)."""
    record = records.begin(user_id, export_id, now=now)
    if record is None:
        return "duplicate"
    try:
        key, size, counts = build(record, now=now, remaining_ms=remaining_ms)
    except OutOfTime:
        records.fail(record, "too_large", now=now)  # another try would take just as long
        return "too_large"
    except Exception:
        if receive_count >= MAX_RECEIVES:
            records.fail(record, "error", now=now)
            return "failed"
        raise
    records.finish(record, object_key=key, size=size, counts=counts, now=now)
    if store.get(keys.export(user_id, export_id), consistent=True) is None:
        # Its workspace was deleted, or one of its debtors erased, while it was built (`exports.purge`).
        storage.delete(key)
        return "purged"
    return "ready"


def build(
    record: records.Export, *, now: datetime, remaining_ms: Callable[[], int] | None = None
) -> tuple[str, int, dict[str, int]]:
    """Write and upload the archive; its object key, size in bytes and number of records per entity."""
    scope = record["scope"]
    with tempfile.TemporaryDirectory(prefix="export-") as directory, Archive(Path(directory)) as archive:
        for number, item in enumerate(covered_items(record)):
            if remaining_ms is not None and number % 1000 == 0 and remaining_ms() < _MARGIN_MS:
                raise OutOfTime(record["id"])
            for entity, content in records_of(item):
                archive.add(entity, content)
        path = Path(directory) / "export.zip"
        about = {
            "export_id": record["id"],
            "scope": scope,
            "user_id": record["user_id"],
            "workspace_id": record.get("workspace_id"),
            "requested_at": record["created_at"],
            "generated_at": iso(now),
        }
        archive.write(path, about, ENTITIES if scope == records.ACCOUNT_AND_WORKSPACE else ACCOUNT_ENTITIES)
        key = storage.object_key(record["user_id"], record["id"])
        storage.upload(path, key)
        return key, path.stat().st_size, dict(archive.counts)


def covered_items(record: records.Export) -> Iterator[dict[str, Any]]:
    """Every stored item the export covers: the account's, then (by scope) the workspace's."""
    partition = keys.user(record["user_id"])["pk"]
    start = None
    while True:
        page = store.query("pk = :pk", {":pk": partition}, start_key=start)
        yield from page.items
        if page.last_key is None:
            break
        start = page.last_key
    if record["scope"] == records.ACCOUNT_AND_WORKSPACE:
        for item, _ in owned_items(str(record["workspace_id"])):
            yield item
