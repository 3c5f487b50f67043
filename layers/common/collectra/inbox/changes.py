"""A member changes an inbox item: closes or reopens it, assigns it to a member or to no one.

Each change is applied to the item as stored and written on the condition that it is still that version (read
again and re-applied when not), so two members acting at once, one closing and one assigning, both land. An
assignee must be a member when the change is written: a check of their membership in the same transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from collectra import store
from collectra.clock import iso
from collectra.errors import InvalidInput, NotFound
from collectra.inbox import items, lists
from collectra.inbox.items import InboxItem
from collectra.store import keys

CLOSED_BY_MEMBER = "closed"
NO_SUCH_ITEM = "No such inbox item."
_ASSIGNEE = "assignee"


def reopened(item: InboxItem, *, now: datetime) -> InboxItem | None:
    if item["state"] == "open":
        return None
    return cast(InboxItem, {**item, "state": "open", "closed_at": None, "closed_reason": None, "updated_at": iso(now)})


def assigned(item: InboxItem, assignee_id: str | None, *, now: datetime) -> InboxItem | None:
    if item["assignee_id"] == assignee_id:
        return None
    return cast(InboxItem, {**item, "assignee_id": assignee_id, "updated_at": iso(now)})


def update(
    workspace_id: str,
    item_id: str,
    changes: dict[str, Any],
    *,
    now: datetime,
) -> dict[str, Any]:
    """Applies `changes` ({"state"?: "open"|"done", "assignee_id"?: str|None}, only the fields sent) and returns
    the item as the list shows it."""

    def decide(item: InboxItem) -> InboxItem | None:
        changed: InboxItem | None = None
        if changes.get("state") == "done":
            changed = items.closed(item, reason=CLOSED_BY_MEMBER, now=now)
        elif changes.get("state") == "open":
            changed = reopened(item, now=now)
        if "assignee_id" in changes:
            changed = assigned(changed or item, changes["assignee_id"], now=now) or changed
        return changed

    assignee = changes.get("assignee_id")
    member = keys.membership(workspace_id, str(assignee))
    also = [store.check_op(member, "attribute_exists(pk)", name=_ASSIGNEE)] if assignee else []
    try:
        outcome = items.change(workspace_id, item_id, decide, also=also)
    except store.ConditionsFailed as failed:
        if _ASSIGNEE not in failed.failed:
            raise
        raise InvalidInput(
            "assignee_id is not a member of this workspace.",
            code="not_a_member",
            details=[{"field": "body.assignee_id"}],
        ) from failed
    if outcome is None:
        raise NotFound(NO_SUCH_ITEM)
    return lists.shown(workspace_id, [outcome[0]])[0]
