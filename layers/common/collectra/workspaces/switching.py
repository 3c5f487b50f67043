"""The workspaces a user belongs to, and moving their session from one to another.

An access token names exactly one workspace. Switching moves the session (refresh family) to the other
workspace and mints a new access token for it; the refresh token stays, and renews in the new workspace.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from collectra import store
from collectra.auth.accounts import access_token_for
from collectra.auth.principal import Principal
from collectra.errors import Conflict, NotFound, SessionEnded
from collectra.store import keys
from collectra.workspaces.lifecycle import is_closed

if TYPE_CHECKING:
    from collectra.workspaces.records import Workspace


def my_workspaces(principal: Principal) -> list[dict[str, Any]]:
    """Every workspace the caller belongs to, with their role there (one Query, one BatchGetItem)."""
    memberships = store.partition_items(f"USER#{principal.user_id}", "WORKSPACE#")
    workspaces = store.batch_get([keys.workspace(m["workspace_id"]) for m in memberships])
    return [
        {
            "id": membership["workspace_id"],
            "name": workspace["name"],
            "role": membership["role"],
            "current": membership["workspace_id"] == principal.workspace_id,
        }
        for membership, workspace in zip(memberships, workspaces, strict=True)
        if workspace is not None and not is_closed(workspace)
    ]


def switch(principal: Principal, workspace_id: str, *, now: datetime) -> tuple[Principal, str]:
    """The caller in `workspace_id`, and an access token for it (one BatchGetItem, one transaction).

    Not being a member answers 404, as for a workspace that does not exist.
    """
    membership, workspace = store.batch_get(
        [keys.membership(workspace_id, principal.user_id), keys.workspace(workspace_id)], consistent=True
    )
    if membership is None or workspace is None or is_closed(workspace):
        raise NotFound("You are not a member of this workspace.", code="workspace_not_found")
    session = principal.session
    try:
        store.transact(
            [
                store.update_op(
                    keys.user_session(principal.user_id, session["session_id"]),
                    "SET workspace_id = :ws",
                    {":ws": workspace_id, ":no": False, ":version": session["session_version"]},
                    condition="revoked = :no AND session_version = :version",
                ),
                store.update_op(keys.user(principal.user_id), "SET current_workspace_id = :ws", {":ws": workspace_id}),
                # The membership must still be there when the switch is written, not only when it was read.
                store.check_op(keys.membership(workspace_id, principal.user_id), "attribute_exists(pk)"),
            ]
        )
    except Conflict as error:
        raise SessionEnded("Your session has ended. Please sign in again.") from error
    moved = {**session, "workspace_id": workspace_id}
    switched = Principal(
        user=principal.user, workspace=cast("Workspace", workspace), role=str(membership["role"]), session=moved
    )
    return switched, access_token_for(principal.user, moved, now=now)
