"""A member's notification choices for one workspace, kept on their membership, and the digest index entry
that follows from them.

`notifications` on the membership item holds `daily_digest`, `disputes_at_once` and `time_zone` (the member's
own, or None: the workspace's), written with a copy on the user's side of the membership (their own export
holds it, as it holds their role). Nothing is sent to a member who never chose: both are off until they turn them
on (docs/decisions.md). A member who wants the digest is listed in gsi1 (`keys.digests_due`) with their next
08:00 as its sort key; turning it off, leaving the workspace or deleting the account removes the entry with
the choice, so no run ever finds them again.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, StrictBool

from collectra import store
from collectra.clock import iso
from collectra.digest.schedule import next_send
from collectra.errors import Conflict, InvalidInput, NotFound
from collectra.fields import NOT_NULL, TimeZone
from collectra.models import Model
from collectra.store import keys

Setting = Literal["daily_digest", "disputes_at_once"]
SETTINGS: tuple[Setting, ...] = ("daily_digest", "disputes_at_once")


class NotificationSettings(Model):
    daily_digest: bool = Field(description="A summary of yesterday at 08:00 in `time_zone` (only on days with news)")
    disputes_at_once: bool = Field(description="An email as soon as a debtor disputes a debt from their page")
    time_zone: str | None = Field(description="The member's own IANA time zone; null: the workspace's")
    effective_time_zone: str = Field(description="The zone the digest's 08:00 is in")
    next_digest_at: str | None = Field(description="When the next digest is due (UTC); null when it is off")


class NotificationChange(Model):
    """Only the fields present change; `time_zone: null` goes back to the workspace's zone."""

    model_config = ConfigDict(extra="forbid")

    daily_digest: Annotated[StrictBool | None, NOT_NULL] = None
    disputes_at_once: Annotated[StrictBool | None, NOT_NULL] = None
    time_zone: TimeZone | None = None


def choices(membership: dict[str, Any]) -> dict[str, Any]:
    """The member's choices, with the defaults for what they never set (off, the workspace's zone)."""
    stored = membership.get("notifications") or {}
    return {
        "daily_digest": bool(stored.get("daily_digest")),
        "disputes_at_once": bool(stored.get("disputes_at_once")),
        "time_zone": stored.get("time_zone"),
    }


def zone_of(membership: dict[str, Any], workspace: dict[str, Any]) -> str:
    return str(choices(membership)["time_zone"] or workspace.get("time_zone") or "UTC")


def view(membership: dict[str, Any], workspace: dict[str, Any]) -> NotificationSettings:
    chosen = choices(membership)
    return NotificationSettings(
        **chosen,
        effective_time_zone=zone_of(membership, workspace),
        next_digest_at=membership.get("next_digest_at") if chosen["daily_digest"] else None,
    )


def read(workspace: dict[str, Any], user_id: str) -> NotificationSettings:
    """The caller's choices in their workspace (one consistent GetItem)."""
    return view(_membership(str(workspace["id"]), user_id), workspace)


def change(
    workspace: dict[str, Any], user_id: str, requested: NotificationChange, *, now: datetime
) -> NotificationSettings:
    """Apply the member's change (one read, one conditional write) and arm or disarm their digest.

    Asking for what is already so writes nothing. The digest's next send is computed afresh in the (possibly
    new) zone, so changing zones takes effect from the next 08:00 there.
    """
    sent = requested.model_fields_set
    cleared = sorted(name for name in SETTINGS if name in sent and getattr(requested, name) is None)
    if cleared:
        raise InvalidInput(f"These fields cannot be empty: {', '.join(cleared)}.", details={"fields": cleared})
    workspace_id = str(workspace["id"])
    membership = _membership(workspace_id, user_id)
    before = choices(membership)
    after = before | {name: getattr(requested, name) for name in requested.model_fields_set}
    if after == before:
        return view(membership, workspace)
    updated = {**membership, "notifications": after}
    digest: dict[str, Any] = {}
    if after["daily_digest"]:
        digest = digest_entry(workspace_id, user_id, next_send(now, zone_of(updated, workspace)))
    expression = "SET notifications = :chosen, notifications_changed_at = :now"
    values: dict[str, Any] = {":chosen": after, ":now": iso(now)}
    if digest:
        expression += ", " + ", ".join(f"{name} = :{name}" for name in digest)
        values |= {f":{name}": value for name, value in digest.items()}
    else:
        expression += " REMOVE " + ", ".join(DIGEST_FIELDS)
    try:
        store.transact(
            [
                store.update_op(keys.membership(workspace_id, user_id), expression, values, "attribute_exists(pk)"),
                _mirror_op(workspace_id, user_id, "SET notifications = :chosen", {":chosen": after}),
            ]
        )
    except Conflict:
        raise NotFound("You are not a member of this workspace.", code="member_not_found") from None
    return view({**updated, **digest}, workspace)


def _mirror_op(workspace_id: str, user_id: str, expression: str, values: dict[str, Any]) -> store.Operation:
    """The same choice on the user's side of the membership, so the member's own export holds it."""
    return store.update_op(keys.user_workspace(user_id, workspace_id), expression, values, "attribute_exists(pk)")


DIGEST_FIELDS = ("next_digest_at", "gsi1pk", "gsi1sk")


def digest_entry(workspace_id: str, user_id: str, due: datetime) -> dict[str, str]:
    """The membership's fields that list it in the digest index, due at `due`."""
    at = iso(due)
    return {
        "next_digest_at": at,
        "gsi1pk": keys.digests_due(keys.digest_shard(workspace_id, user_id)),
        "gsi1sk": f"{at}#{workspace_id}#{user_id}",
    }


def switch_off(workspace_id: str, user_id: str, setting: Setting, *, now: datetime) -> bool:
    """Turn one choice off (the unsubscribe link); False when the member is gone or it was already off.

    The digest's index entry goes in the same write, so no run finds the member after this returns.
    """
    expression = f"SET notifications.{setting} = :off, notifications_changed_at = :now"
    if setting == "daily_digest":
        expression += " REMOVE " + ", ".join(DIGEST_FIELDS)
    try:
        store.transact(
            [
                store.update_op(
                    keys.membership(workspace_id, user_id),
                    expression,
                    {":off": False, ":on": True, ":now": iso(now)},
                    f"attribute_exists(pk) AND notifications.{setting} = :on",
                ),
                _mirror_op(workspace_id, user_id, f"SET notifications.{setting} = :off", {":off": False}),
            ]
        )
    except Conflict:
        return False
    return True


def _membership(workspace_id: str, user_id: str) -> dict[str, Any]:
    found = store.get(keys.membership(workspace_id, user_id), consistent=True)
    if found is None:
        raise NotFound("You are not a member of this workspace.", code="member_not_found")
    return found
