"""The export worker: reads everything the export covers, by Query only, in pieces, and stores one archive.

Three kinds of message, all on the export queue:
- `{user_id, export_id}` (from the request): plan the export's pieces (`collectra.exports.pieces`), record
  them, and queue one message per piece;
- `{..., piece}`: read that piece into a part in the bucket (cutting it short, and queueing its rest, if the
  invocation's time runs out) and record it read; the delivery that records the last part queues
  the last message:
- `{..., assemble: true}`: write the archive from the parts, store it, record the export ready.

The account's part is the user's own partition (profile, sessions, memberships, exports); the workspace's is
`collectra.workspaces.contents.owned_items`. Records stream through files on local disk (a piece's spools,
then the zip), so memory does not grow with the workspace. Every step may be delivered twice: a plan
recorded answers the same pieces, a piece read is read once (`pieces.finish`'s condition), and the archive
is the same bytes whoever assembles it. A step that fails is retried by the queue; its last receive fails
the whole export (no partial archive) and deletes the parts read so far.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from collectra import store
from collectra.clock import iso
from collectra.exports import pieces, records, storage
from collectra.exports.archive import PackedPart, Part, write_archive
from collectra.exports.entities import ENTITIES, records_of
from collectra.ids import new_id
from collectra.store import keys
from collectra.workspaces.contents import Position

MAX_RECEIVES = 3  # the queue's maxReceiveCount: the last try records the failure before the message dies
ACCOUNT_ENTITIES = ("user", "sessions", "memberships", "exports", "erasures", "other")

RemainingMs = Callable[[], int]


def run(
    message: Mapping[str, Any],
    *,
    now: datetime,
    receive_count: int = 1,
    remaining_ms: RemainingMs | None = None,
) -> str:
    """Do what the message asks for the export; returns what happened (for logs and metrics)."""
    user_id, export_id = str(message["user_id"]), str(message["export_id"])
    step = "read" if "piece" in message else "assemble" if message.get("assemble") else "plan"
    record = records.begin(user_id, export_id, now=now) if step == "plan" else records.running(user_id, export_id)
    if record is None:
        return "duplicate"  # finished, failed or purged already
    try:
        if step == "read":
            return _read(record, str(message["piece"]), now, remaining_ms)
        if step == "assemble":
            return _assemble(record, now)
        return _plan(record, remaining_ms)
    except Exception:
        if receive_count >= MAX_RECEIVES:
            give_up(record, "error", now=now)
            return "failed"
        raise


def give_up(record: records.Export, reason: str, *, now: datetime) -> None:
    """The export failed: no archive, and the parts read so far deleted (those recorded since `record` was read
    too; a piece that finishes later finds the export failed and deletes its own)."""
    records.fail(record, reason, now=now)
    current = store.get(keys.export(record["user_id"], record["id"]), consistent=True) or record
    _delete_parts(pieces.of(current).values())


def _plan(record: records.Export, remaining_ms: RemainingMs | None) -> str:
    user_id, export_id = record["user_id"], record["id"]
    planned = pieces.plan(record.get("workspace_id"), remaining_ms=remaining_ms)
    recorded = pieces.register(user_id, export_id, planned)
    unread = [name for name, piece in pieces.in_order(recorded) if "part" not in piece]
    storage.enqueue(*({"user_id": user_id, "export_id": export_id, "piece": name} for name in unread))
    return "planned"


def _read(record: records.Export, name: str, now: datetime, remaining_ms: RemainingMs | None) -> str:
    user_id, export_id = record["user_id"], record["id"]
    piece = pieces.of(record)[name]
    if "part" in piece:
        _assemble_when_all_read(record)  # the delivery that read it may have stopped before queueing that
        return "duplicate"
    if "cut" in piece:  # an earlier delivery cut it: read exactly that far, and be sure its rest is queued
        storage.enqueue({"user_id": user_id, "export_id": export_id, "piece": pieces.rest_of(name)})
    key = storage.part_key(user_id, export_id, name, new_id("try"))
    cut_at, cut_here = piece.get("cut"), False
    with tempfile.TemporaryDirectory(prefix="export-") as directory, Part(Path(directory)) as part:
        last: Position | None = None
        for item, position in pieces.items(user_id, record.get("workspace_id"), piece):
            if cut_at is None and last is not None and remaining_ms is not None and remaining_ms() < pieces.MARGIN_MS:
                pieces.cut(user_id, export_id, name, piece, last)  # a Conflict: another delivery cut it first
                cut_at, cut_here = last.as_dict(), True
                storage.enqueue({"user_id": user_id, "export_id": export_id, "piece": pieces.rest_of(name)})
                break
            for entity, content in records_of(item):
                part.add(entity, content)
            last = position or last
        packed = Path(directory) / "part.gz"
        manifest = part.pack(packed)
        storage.upload(packed, key + ".gz", "application/gzip")
        storage.put_json(key + ".json", manifest)
    updated = pieces.finish(user_id, export_id, name, part=key, cut_at=cut_at, done_at=iso(now))
    if updated is None:  # read by another delivery, or the export failed or was purged meanwhile
        _delete_parts([{"part": key}])
        return "duplicate"
    _assemble_when_all_read(updated)
    return "cut" if cut_here else "read"


def _assemble_when_all_read(record: Mapping[str, Any]) -> None:
    if pieces.all_read(pieces.of(record)):
        storage.enqueue({"user_id": record["user_id"], "export_id": record["id"], "assemble": True})


def _assemble(record: records.Export, now: datetime) -> str:
    read = pieces.in_order(pieces.of(record))
    if not pieces.all_read(dict(read)):
        raise RuntimeError(f"export {record['id']}: asked to assemble before every piece was read")
    scope = record["scope"]
    about = {
        "export_id": record["id"],
        "scope": scope,
        "user_id": record["user_id"],
        "workspace_id": record.get("workspace_id"),
        "requested_at": record["created_at"],
        # When the last piece was read: the same whoever assembles the archive, and however often.
        "generated_at": max(str(piece["done_at"]) for _, piece in read),
    }
    parts = [
        PackedPart(storage.get_json(piece["part"] + ".json"), partial(storage.open_range, piece["part"] + ".gz"))
        for _, piece in read
    ]
    entities = ENTITIES if scope == records.ACCOUNT_AND_WORKSPACE else ACCOUNT_ENTITIES
    key = storage.object_key(record["user_id"], record["id"])
    with tempfile.TemporaryDirectory(prefix="export-") as directory:
        path = Path(directory) / "export.zip"
        counts = write_archive(path, about, entities, parts)
        storage.upload(path, key)
        size = path.stat().st_size
    records.finish(record, object_key=key, size=size, counts=counts, now=now)
    _delete_parts(piece for _, piece in read)
    if store.get(keys.export(record["user_id"], record["id"]), consistent=True) is None:
        # Its workspace was deleted, or one of its debtors erased, while it was built (`exports.purge`).
        storage.delete(key)
        return "purged"
    return "ready"


def _delete_parts(read: Iterable[Mapping[str, Any]]) -> None:
    for piece in read:
        if "part" in piece:
            storage.delete_part(str(piece["part"]))
