"""The digest run, every quarter of an hour: queue each member whose 08:00 has come, then move them on a day.

The index (`keys.digests_due`, gsi1) lists only members who want the digest, sorted by when it is next due,
in a few shards: a run reads, in each shard, the entries due by now, and nothing else (no Scan, nothing
about members whose time has not come). An entry left behind by missed runs is older, so it is read by the
next one: a member is late, never forgotten, and gets the digest of the latest 08:00 that has passed (the day
just gone is what they need, not a day they would have heard of long ago).

Queue first, then move the entry on to the next 08:00 in the member's zone (computed there, so DST days
work), with a condition that it is still the entry this run read. A run that stops between the two leaves
the entry due, so the next run queues the member again; two runs at once both queue them. Either way the
claim (`digest.notices`) sends one digest per member and day.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from collectra import queues, store
from collectra.clock import iso
from collectra.digest.schedule import last_send, next_send
from collectra.digest.settings import DIGEST_FIELDS, digest_entry, zone_of
from collectra.errors import Conflict
from collectra.store import keys
from collectra.workspaces.lifecycle import is_closed

QUEUE = "NOTIFY_QUEUE_URL"


PAGE = 100  # members handled together: one Query page, one BatchGetItem of their workspaces, ten SQS batches
# Left for a page's writes when the invocation's time runs short: the rest stays due and the next run takes it.
RESERVE_MS = 15_000


def due_pages(now: datetime) -> Iterator[list[dict[str, Any]]]:
    """The memberships whose digest is due by `now`, a page at a time, shard after shard."""
    upto = f"{iso(now)}#~"  # '~' sorts after every id: the entries due at `now` exactly are in
    for shard in range(keys.DIGEST_SHARDS):
        start: dict[str, Any] | None = None
        while True:
            page = store.query(
                "gsi1pk = :p AND gsi1sk <= :upto",
                {":p": keys.digests_due(shard), ":upto": upto},
                index="gsi1",
                limit=PAGE,
                start_key=start,
            )
            if page.items:
                yield page.items
            if page.last_key is None:
                break
            start = page.last_key


def run(now: datetime, remaining_ms: Callable[[], int]) -> dict[str, int]:
    """Queue the digests due by `now` and re-arm each member, page by page while time allows; counted."""
    counts = {"due": 0, "queued": 0, "rearmed": 0}
    for members in due_pages(now):
        if remaining_ms() < RESERVE_MS:
            counts["left"] = 1
            break
        workspaces = {
            str(item["id"]): item
            for item in store.batch_get([keys.workspace(str(m["workspace_id"])) for m in members])
            if item is not None
        }
        live = [(m, workspaces[str(m["workspace_id"])]) for m in members if _open(workspaces, m)]
        queues.send(QUEUE, [_message(member, _slot(member, workspace, now)) for member, workspace in live])
        counts["due"] += len(members)
        counts["queued"] += len(live)
        counts["rearmed"] += sum(_rearm(m, workspaces.get(str(m["workspace_id"])), now) for m in members)
    return counts


def _open(workspaces: dict[str, dict[str, Any]], member: dict[str, Any]) -> bool:
    return not is_closed(workspaces.get(str(member["workspace_id"])))


def _slot(member: dict[str, Any], workspace: dict[str, Any], now: datetime) -> datetime:
    """The 08:00 this digest is for: the one it was due at, or a later one that passed while runs were missed."""
    return max(datetime.fromisoformat(str(member["next_digest_at"])), last_send(now, zone_of(member, workspace)))


def _message(member: dict[str, Any], slot: datetime) -> str:
    return json.dumps(
        {"kind": "digest", "workspace_id": member["workspace_id"], "user_id": member["user_id"], "slot": iso(slot)}
    )


def _rearm(member: dict[str, Any], workspace: dict[str, Any] | None, now: datetime) -> bool:
    """Move the member's entry to their next 08:00 (or out of the index, for a workspace that is going);
    False when someone changed it meanwhile (their change stands)."""
    workspace_id, user_id = str(member["workspace_id"]), str(member["user_id"])
    condition = "gsi1sk = :seen"
    values: dict[str, Any] = {":seen": member["gsi1sk"]}
    if workspace is None or is_closed(workspace):
        expression = "REMOVE " + ", ".join(DIGEST_FIELDS)
    else:
        slot = datetime.fromisoformat(str(member["next_digest_at"]))
        entry = digest_entry(workspace_id, user_id, next_send(max(now, slot), zone_of(member, workspace)))
        expression = "SET " + ", ".join(f"{name} = :{name}" for name in entry)
        values |= {f":{name}": value for name, value in entry.items()}
    try:
        store.update(keys.membership(workspace_id, user_id), expression, values=values, condition=condition)
    except Conflict:
        return False
    return True
