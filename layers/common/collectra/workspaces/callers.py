"""Loading the caller of an authenticated request: a live session of a member of an open workspace.

It lives with the workspaces, not in `auth`, because the caller is a user acting as a member of a workspace:
the session (auth) and the membership and workspace (here) are read and checked together, in one call.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, cast

from collectra import store
from collectra.auth.principal import Principal
from collectra.auth.records import Session, User
from collectra.auth.sessions import is_alive
from collectra.auth.tokens import AccessClaims, read_access_token
from collectra.errors import SessionEnded, Unauthenticated
from collectra.store import keys
from collectra.workspaces.lifecycle import is_closed
from collectra.workspaces.records import Workspace


def load_principal(
    access_token: str | None,
    *,
    permission: str,
    now: datetime,
    also: Callable[[str], list[dict[str, str]]] | None = None,
) -> tuple[Principal, list[dict[str, Any] | None]]:
    """The caller behind a genuine access token whose session is still alive (one BatchGetItem), if their
    role in the token's workspace has `permission` (else `Forbidden`).

    Logging out, a password reset, a revoked refresh family or a removed membership all end access at
    once, not when the 15-minute token expires. `also(workspace_id)` names more items of the caller's own
    workspace to read in the same call (the debt a request is about, say); they come back in order.
    """
    if not access_token:
        raise Unauthenticated("Please sign in.", code="not_signed_in")
    claims: AccessClaims = read_access_token(access_token, now=now)
    extra_keys = also(claims.workspace_id) if also else []
    user, session, member, workspace, *extras = store.batch_get(
        [
            keys.user(claims.user_id),
            keys.user_session(claims.user_id, claims.session_id),
            keys.membership(claims.workspace_id, claims.user_id),
            keys.workspace(claims.workspace_id),
            *extra_keys,
        ],
        consistent=True,  # a sign-out must take effect on the very next request
    )
    if (
        not is_alive(cast(Session | None, session), cast(User | None, user), now=now)
        or session is None
        or user is None
        or session["session_version"] != claims.session_version
        or member is None
        or workspace is None
        or is_closed(workspace)  # being deleted: no session acts on it any more
    ):
        raise SessionEnded("Your session has ended. Please sign in again.")
    principal = Principal(user=user, workspace=cast(Workspace, workspace), role=str(member["role"]), session=session)
    principal.require(permission)
    return principal, extras
