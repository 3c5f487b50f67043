"""A debt's timeline: everything that happened to it, oldest first, written with the change it describes.

Entries live in the debt's own history partition (`WS#<workspace>#DEBT#<debt>`), sorted by time, so
reading a timeline is one Query, and each entry is a Put inside the same transaction as its change.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from collectra import store
from collectra.clock import iso
from collectra.debts.records import Actor, TimelineEntry
from collectra.ids import new_id
from collectra.listing import decode_cursor, encode_cursor
from collectra.store import keys

PREFIX = "T#"


def actor_user(user_id: str) -> Actor:
    return {"kind": "user", "id": user_id}


def actor_debtor(debtor_id: str) -> Actor:
    return {"kind": "debtor", "id": debtor_id}


SYSTEM: Actor = {"kind": "system", "id": "collectra"}


def entry_item(
    workspace_id: str,
    debt_id: str,
    kind: str,
    *,
    actor: Actor,
    now: datetime,
    data: dict[str, Any] | None = None,
    entry_id: str | None = None,
) -> TimelineEntry:
    """One entry, ready to write. Give `entry_id` (made with `new_id("evt")`) to write the same entry
    again later, or on several debts, under the same key."""
    entry_id = entry_id or new_id("evt")
    return {
        "pk": keys.debt_history(workspace_id, debt_id),
        # The id sorts by creation time, so entries made in the same millisecond still come out in order.
        "sk": f"{PREFIX}{entry_id}",
        "id": entry_id,
        "at": iso(now),
        "type": kind,
        "actor": actor,
        "data": data or {},
    }


def entry_op(
    workspace_id: str,
    debt_id: str,
    kind: str,
    *,
    actor: Actor,
    now: datetime,
    data: dict[str, Any] | None = None,
) -> store.Operation:
    """The Put that records one entry; goes into the transaction of the change it describes."""
    return store.put_op(entry_item(workspace_id, debt_id, kind, actor=actor, now=now, data=data))


def read_timeline(
    workspace_id: str, debt_id: str, *, cursor: str | None, limit: int
) -> tuple[list[dict[str, Any]], str | None]:
    partition = keys.debt_history(workspace_id, debt_id)
    page = store.query(
        "pk = :p AND begins_with(sk, :prefix)",
        {":p": partition, ":prefix": PREFIX},
        limit=limit,
        start_key=decode_cursor(cursor, index=None, partition=partition),
    )
    return page.items, encode_cursor(page.last_key)
