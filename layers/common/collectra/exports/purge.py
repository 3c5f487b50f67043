"""Deleting the archives that hold a workspace's data: when the workspace is deleted, or one of its debtors erased.

An archive is a copy: erasing the original must not leave it downloadable for days (the bucket's lifecycle
rule). Every export of a workspace's data is listed under it (`keys.exports_of_workspace`); its archive and
its record go (its requester sees it as not found), and the requester's export slot is freed if it was that
export's. Running it again finds nothing more to do. An archive being built at that very moment is deleted
by its worker, which finds its record gone when it finishes (`collectra.exports.worker`); the parts of one
being read go with it, and a piece read after that finds no record to add its part to and deletes it.
"""

from __future__ import annotations

from contextlib import suppress

from collectra import store
from collectra.errors import Conflict
from collectra.exports import storage
from collectra.store import keys


def delete_workspace_archives(workspace_id: str) -> int:
    """Delete every export of the workspace's data (archive and record); how many there were."""
    found = store.query_all("gsi1pk = :p", {":p": keys.exports_of_workspace(workspace_id)}, index="gsi1")
    for record in found:
        user_id, export_id = str(record["user_id"]), str(record["id"])
        storage.delete(str(record.get("object_key") or storage.object_key(user_id, export_id)))
        for piece in (record.get("pieces") or {}).values():  # the parts read so far of one still being built
            if "part" in piece:
                storage.delete_part(str(piece["part"]))
        store.delete_many([keys.export(user_id, export_id)])
        with suppress(Conflict):  # the slot is free, or another export's: left as it is
            store.transact([store.delete_op(keys.export_slot(user_id), "export_id = :id", {":id": export_id})])
    return len(found)
