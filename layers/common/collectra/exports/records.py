"""An export's record: what was asked, by whom, how far it is, and where its archive is.

The record lives in its requester's partition (`keys.export`), so nobody else can name it: another
user's id, or an id that does not exist, is simply not found. It expires (TTL) when its archive does.

One export runs at a time per user: asking is one transaction that writes the record and takes the
user's export slot (`keys.export_slot`) on condition that it is free or stale. Asking again while an
export of the same scope is under way answers that export (a double click makes one archive); while
another scope's is, 409. The worker frees the slot when it finishes or gives up; a slot whose worker
died frees itself after `SLOT_SECONDS`, longer than every retry of the queue can take.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NotRequired, TypedDict, cast

from collectra import config, store
from collectra.access import allowed
from collectra.auth.principal import Principal
from collectra.clock import iso
from collectra.errors import Conflict, Forbidden, NotFound
from collectra.exports import storage
from collectra.ids import new_id
from collectra.store import keys
from collectra.workspaces.lifecycle import is_closed

PENDING, RUNNING, READY, FAILED = "pending", "running", "ready", "failed"
ACCOUNT, ACCOUNT_AND_WORKSPACE = "account", "account+workspace"
SLOT_SECONDS = 3600  # the queue's visibility timeout (16 min) times its three receives, and then some

_NOT_FOUND = "There is no such export."


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def scope_of(principal: Principal) -> str:
    """Owners and admins export their workspace with their account; a member, their own account only."""
    return ACCOUNT_AND_WORKSPACE if allowed(principal.role, "workspace:export") else ACCOUNT


class Export(TypedDict):
    """An export asked for, in its requester's partition; listed (gsi1) under the workspace whose data it holds."""

    pk: str
    sk: str
    id: str
    user_id: str
    scope: str
    workspace_id: str | None
    state: str  # PENDING, RUNNING, READY or FAILED
    created_at: str
    attempts: int
    expires_at: int
    started_at: NotRequired[str]
    finished_at: NotRequired[str]
    failure: NotRequired[str]
    object_key: NotRequired[str]  # where its archive is
    size_bytes: NotRequired[int]
    counts: NotRequired[dict[str, int]]
    pieces: NotRequired[dict[str, Any]]  # what it is read in (`collectra.exports.pieces`)
    gsi1pk: NotRequired[str]
    gsi1sk: NotRequired[str]


class ExportSlot(TypedDict):
    """The requester's export under way, if any: one at a time."""

    pk: str
    sk: str
    export_id: str
    expires_at: int


def request_export(principal: Principal, *, now: datetime) -> Export:
    """Record a new export and queue it, or answer the one of the same scope already under way."""
    scope = scope_of(principal)
    workspace_id = principal.workspace_id if scope == ACCOUNT_AND_WORKSPACE else None
    export_id = new_id("exp")
    key = keys.export(principal.user_id, export_id)
    record: Export = {
        "pk": key["pk"],
        "sk": key["sk"],
        "id": export_id,
        "user_id": principal.user_id,
        "scope": scope,
        "workspace_id": workspace_id,
        "state": PENDING,
        "created_at": iso(now),
        "attempts": 0,
        # Until it is ready, a record lives as long as an archive would; `finish` moves this on.
        "expires_at": _epoch(now + timedelta(days=config.export_retention_days())),
    }
    if workspace_id is not None:  # listed under the workspace: its deletion or a debtor's erasure deletes it
        record |= {"gsi1pk": keys.exports_of_workspace(workspace_id), "gsi1sk": f"{iso(now)}#{export_id}"}
    slot_key = keys.export_slot(principal.user_id)
    slot: ExportSlot = {
        "pk": slot_key["pk"],
        "sk": slot_key["sk"],
        "export_id": export_id,
        "expires_at": _epoch(now) + SLOT_SECONDS,
    }
    try:
        store.transact(
            [
                store.put_op(record, "attribute_not_exists(pk)"),
                store.put_op(slot, "attribute_not_exists(pk) OR expires_at < :now", {":now": _epoch(now)}),
            ]
        )
    except Conflict:
        return _running(principal.user_id, scope, workspace_id)
    try:
        storage.enqueue({"user_id": principal.user_id, "export_id": export_id})
    except Exception:
        # Nothing will work on it: free the slot now rather than in an hour, and say so on the record.
        _close(record, FAILED, {"failure": "not_queued"}, now=now)
        raise
    return record


def _running(user_id: str, scope: str, workspace_id: str | None) -> Export:
    slot = store.get(keys.export_slot(user_id), consistent=True)
    running = store.get(keys.export(user_id, str(slot["export_id"])), consistent=True) if slot else None
    if running is None or running["state"] not in (PENDING, RUNNING):
        raise Conflict("An export was being started at the same moment. Try again.", code="export_in_progress")
    if (running["scope"], running.get("workspace_id")) != (scope, workspace_id):
        raise Conflict(
            "Another export of yours is being prepared. Ask again once it is ready.", code="export_in_progress"
        )
    return cast(Export, running)


def find(user_id: str, export_id: str) -> Export:
    """The caller's own export; anyone else's, or an unknown id, is not found."""
    record = store.get(keys.export(user_id, export_id), consistent=True) if export_id else None
    if record is None:
        raise NotFound(_NOT_FOUND, code="export_not_found")
    return cast(Export, record)


def find_downloadable(user_id: str, export_id: str) -> Export:
    """The caller's own export, if they may still have what it holds (one more read for a workspace's).

    A workspace's archive is the workspace's data, not the requester's: it is shown, and its link signed,
    only while they are still a member of that workspace whose role may export it, and the workspace is
    not being deleted. Checked at every GET, before presigning; otherwise 403 `export_not_allowed`.
    """
    record = find(user_id, export_id)
    if record["scope"] != ACCOUNT_AND_WORKSPACE:
        return record
    workspace_id = str(record["workspace_id"])
    membership, workspace = store.batch_get(
        [keys.membership(workspace_id, user_id), keys.workspace(workspace_id)], consistent=True
    )
    if membership is None or is_closed(workspace) or not allowed(str(membership["role"]), "workspace:export"):
        raise Forbidden(
            "This export holds a workspace's data, which your role there no longer lets you export.",
            code="export_not_allowed",
        )
    return record


def begin(user_id: str, export_id: str, *, now: datetime) -> Export | None:
    """The worker takes the export: the record as it now is, or None if it is finished (a redelivery)."""
    try:
        updated = store.update(
            keys.export(user_id, export_id),
            "SET #state = :running, started_at = :now ADD attempts :one",
            names={"#state": "state"},
            values={":running": RUNNING, ":pending": PENDING, ":now": iso(now), ":one": 1},
            condition="#state IN (:pending, :running)",
            return_new=True,
        )
    except Conflict:
        return None  # ready or failed already, or no such record (expired): nothing to do
    return cast(Export, updated)


def running(user_id: str, export_id: str) -> Export | None:
    """The export as it now is, if the worker has taken it and it is not finished (nor purged)."""
    record = store.get(keys.export(user_id, export_id), consistent=True)
    return cast(Export, record) if record is not None and record["state"] == RUNNING else None


def finish(record: Export, *, object_key: str, size: int, counts: dict[str, int], now: datetime) -> None:
    expires = _epoch(now + timedelta(days=config.export_retention_days()))
    fields = {"object_key": object_key, "size_bytes": size, "counts": counts, "expires_at": expires}
    _close(record, READY, fields, now=now)


def fail(record: Export, reason: str, *, now: datetime) -> None:
    _close(record, FAILED, {"failure": reason}, now=now)


def _close(record: Export, state: str, fields: dict[str, Any], *, now: datetime) -> None:
    """The record's final state and the slot freed, together; a record already final stays as it is."""
    names = {"#state": "state", **{f"#{name}": name for name in fields}}
    values: dict[str, Any] = {":state": state, ":now": iso(now), ":pending": PENDING, ":running": RUNNING}
    values |= {f":{name}": value for name, value in fields.items()}
    assignments = ", ".join(f"#{name} = :{name}" for name in fields)
    closing = store.update_op(
        keys.export(record["user_id"], record["id"]),
        f"SET #state = :state, finished_at = :now, {assignments}",
        values,
        "#state IN (:pending, :running)",
        names=names,
        name="record",
    )
    freeing = store.delete_op(
        keys.export_slot(record["user_id"]), "attribute_not_exists(pk) OR export_id = :id", {":id": record["id"]}
    )
    try:
        store.transact([closing, freeing])
    except store.ConditionsFailed as error:
        if "record" in error.failed:
            return  # finished by an earlier delivery: it stays as it is
        try:  # the slot is another export's now (this one outlived it): close the record alone
            store.transact([closing])
        except Conflict:
            return


@dataclass(frozen=True)
class Shown:
    """An export as its requester sees it now: the state, why it failed, and a fresh download link."""

    state: str
    failure: str | None = None
    download: tuple[str, datetime] | None = None  # the link, and when it stops working


def shown(record: Export, *, now: datetime) -> Shown:
    """Past its lifetime the archive is gone (or going: the lifecycle rule runs daily), whatever the record
    says until the TTL removes it: `expired`, no link. An export still not done when its slot has lapsed
    was dropped by every worker that tried it (killed at its timeout, say): `failed`, as it is."""
    if int(record["expires_at"]) <= _epoch(now):
        return Shown("expired")
    state = str(record["state"])
    if state in (PENDING, RUNNING):
        if datetime.fromisoformat(record["created_at"]) + timedelta(seconds=SLOT_SECONDS) <= now:
            return Shown(FAILED, "stopped")
        return Shown(state)
    if state != READY:
        return Shown(state, record.get("failure"))
    filename = f"collectra-export-{record['created_at'][:10]}.zip"
    link = storage.download_url(str(record["object_key"]), filename)
    return Shown(READY, None, (link, now + timedelta(seconds=storage.DOWNLOAD_SECONDS)))
