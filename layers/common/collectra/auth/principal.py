"""Who is calling: the signed-in user, their current workspace and role, checked on every request."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from collectra import store
from collectra.access import require
from collectra.auth.records import Session, User
from collectra.auth.sessions import is_alive
from collectra.auth.tokens import AccessClaims, read_access_token
from collectra.errors import SessionEnded, Unauthenticated
from collectra.store import keys
from collectra.workspaces.lifecycle import is_closed

if TYPE_CHECKING:
    from collectra.workspaces.records import Workspace


@dataclass(frozen=True)
class Principal:
    user: dict[str, Any]
    workspace: Workspace
    role: str
    session: dict[str, Any]

    @property
    def user_id(self) -> str:
        return str(self.user["id"])

    @property
    def workspace_id(self) -> str:
        return str(self.workspace["id"])

    def require(self, permission: str) -> None:
        require(self.role, permission)


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
    principal = Principal(user=user, workspace=cast("Workspace", workspace), role=str(member["role"]), session=session)
    principal.require(permission)
    return principal, extras
