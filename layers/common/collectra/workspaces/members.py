"""The team of a workspace: who belongs to it with which role, and the rules for changing that.

A membership is two items written together: the workspace's side (`MEMBER#<user>`, read on every request
to learn the caller's role) and the user's side (`WORKSPACE#<ws>`, to list a user's workspaces). The
workspace item counts its owners, so "the last owner cannot leave or be demoted" is a condition of the
same transaction, not a read that a concurrent change could outdate.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from collectra import store
from collectra.access import Role
from collectra.auth.principal import Principal
from collectra.clock import iso
from collectra.errors import Conflict, NotFound
from collectra.store import keys
from collectra.workspaces.records import membership_items

_LAST_OWNER = "A workspace needs at least one owner: make someone else an owner first."


def joining_ops(workspace_id: str, user_id: str, role: Role, *, now: datetime) -> list[store.Operation]:
    """Both sides of a new membership; fails (Conflict) if the user already belongs to the workspace.

    A new owner of an existing workspace is counted by the caller (`owner_count_op`); a new workspace's
    item starts with its first owner counted.
    """
    member, mirror = membership_items(workspace_id, user_id, role.value, iso(now))
    return [store.put_op(member, "attribute_not_exists(pk)"), store.put_op(mirror)]


def owner_count_op(workspace_id: str, change: int) -> store.Operation:
    """Count an owner in or out; counting the last one out fails the whole transaction."""
    condition = "attribute_exists(pk)" if change > 0 else "owner_count > :one"
    return store.update_op(
        keys.workspace(workspace_id),
        "ADD owner_count :change",
        {":change": change, ":one": 1} if change < 0 else {":change": change},
        condition=condition,
    )


def team(workspace_id: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Members (membership with the user's name and email) and pending invitations: two Queries, one batch read."""
    memberships = store.partition_items(f"WS#{workspace_id}", "MEMBER#")
    invitations = pending_invitations(workspace_id)
    users = store.batch_get([keys.user(member["user_id"]) for member in memberships])
    members = [_member(membership, user) for membership, user in zip(memberships, users, strict=True)]
    return sorted(members, key=lambda member: str(member["joined_at"])), invitations


def pending_invitations(workspace_id: str) -> list[dict[str, Any]]:
    return store.partition_items(f"WS#{workspace_id}", "INVITE#")


def _member(membership: dict[str, Any], user: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "id": membership["user_id"],
        "name": (user or {}).get("name"),
        "email": (user or {}).get("email"),
        "role": membership["role"],
        "joined_at": membership["joined_at"],
    }


def member(workspace_id: str, user_id: str) -> dict[str, Any]:
    """One member of the workspace (one BatchGetItem), or NotFound."""
    membership, user = store.batch_get([keys.membership(workspace_id, user_id), keys.user(user_id)], consistent=True)
    if membership is None:
        raise NotFound("This person is not a member of this workspace.", code="member_not_found")
    return _member(membership, user)


def _owner_rule(principal: Principal, *roles: str) -> None:
    """Only an owner makes an owner, or changes or removes one."""
    if Role.OWNER.value in roles:
        principal.require("members:owners")


def change_role(principal: Principal, user_id: str, role: Role, *, now: datetime) -> dict[str, Any]:
    """Give a member another role (one read, one transaction); the same role again changes nothing."""
    current = member(principal.workspace_id, user_id)
    if current["role"] == role.value:
        return current
    _owner_rule(principal, current["role"], role.value)
    workspace_id = principal.workspace_id
    values = {":role": role.value, ":old": current["role"], ":now": iso(now)}
    operations = [
        store.update_op(
            keys.membership(workspace_id, user_id),
            "SET #role = :role, role_changed_at = :now",
            values,
            condition="#role = :old",
            names={"#role": "role"},
        ),
        store.update_op(
            keys.user_workspace(user_id, workspace_id),
            "SET #role = :role",
            {":role": role.value},
            names={"#role": "role"},
        ),
    ]
    if Role.OWNER.value in (current["role"], role.value):
        operations.append(owner_count_op(workspace_id, 1 if role is Role.OWNER else -1))
    _transact_keeping_an_owner(operations)
    return {**current, "role": role.value}


def remove(principal: Principal, user_id: str) -> None:
    """Take someone out of the workspace (one read, one transaction, one more to move their next sign-in).

    Their sessions in this workspace end at once: every request reads the caller's membership.
    """
    workspace_id = principal.workspace_id
    current = member(workspace_id, user_id)
    _owner_rule(principal, current["role"])
    operations = [
        store.delete_op(
            keys.membership(workspace_id, user_id),
            "attribute_exists(pk) AND #role = :old",
            {":old": current["role"]},
            names={"#role": "role"},
        ),
        store.delete_op(keys.user_workspace(user_id, workspace_id)),
    ]
    if current["role"] == Role.OWNER.value:
        operations.append(owner_count_op(workspace_id, -1))
    _transact_keeping_an_owner(operations)
    withdraw_invitations_of(workspace_id, user_id)
    move_next_sign_in(user_id, away_from=workspace_id)


def withdraw_invitations_of(workspace_id: str, inviter_id: str) -> int:
    """Withdraw the pending invitations `inviter_id` sent (each with its link); how many went.

    Someone taken out of a workspace must not bring people into it through links they sent before. An
    invitation replaced meanwhile by someone else's (same address) is theirs now, and stays. Acceptance checks
    the inviter's role again as well (`collectra.workspaces.joining`), so a link this misses still grants nothing.
    """
    withdrawn = 0
    for invitation in pending_invitations(workspace_id):
        if invitation.get("invited_by") != inviter_id:
            continue
        try:
            store.transact(
                [
                    store.delete_op(
                        {"pk": invitation["pk"], "sk": invitation["sk"]}, "invited_by = :by", {":by": inviter_id}
                    ),
                    store.delete_op(invitation["token_key"]),
                ]
            )
        except Conflict:
            continue
        withdrawn += 1
    return withdrawn


def _transact_keeping_an_owner(operations: list[store.Operation]) -> None:
    try:
        store.transact(operations)
    except Conflict as error:
        # Either the last owner was about to go, or the membership changed meanwhile; re-reading tells which.
        raise Conflict(_LAST_OWNER, code="last_owner") from error


def move_next_sign_in(user_id: str, *, away_from: str) -> None:
    """A user whose sign-ins landed in a workspace they left now lands in another one they belong to (or none)."""
    # Consistent, and the workspace left skipped: a lagging read must not send them back to where they left.
    remaining = [
        item
        for item in store.query(
            "pk = :pk AND begins_with(sk, :prefix)",
            {":pk": f"USER#{user_id}", ":prefix": "WORKSPACE#"},
            limit=2,
            consistent=True,
        ).items
        if item["workspace_id"] != away_from
    ]
    values: dict[str, Any] = {":left": away_from}
    if remaining:
        expression, values[":next"] = "SET current_workspace_id = :next", remaining[0]["workspace_id"]
    else:
        expression = "REMOVE current_workspace_id"
    try:
        store.update(keys.user(user_id), expression, values=values, condition="current_workspace_id = :left")
    except Conflict:
        return  # their sign-ins already land elsewhere
