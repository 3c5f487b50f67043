"""Joining a workspace from an invitation link, signing up or in on the way.

An existing account proves itself with its password (throttled like any sign-in); a new one is created for
the invited address, already verified since the link reached it. Kept apart from `workspaces.invitations`
so that inviting does not load the password hasher.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from collectra import store
from collectra.access import Role, allowed
from collectra.auth import accounts, one_time, strength
from collectra.auth.accounts import SignedIn
from collectra.auth.one_time import InvalidToken, Purpose
from collectra.errors import Conflict, InvalidInput
from collectra.observability import metrics
from collectra.store import keys
from collectra.workspaces import members
from collectra.workspaces.lifecycle import is_closed


def accept(token: str, *, name: str | None, password: str, source_ip: str, now: datetime) -> SignedIn:
    """Join the invited workspace and sign in there; the link works once, within 7 days.

    An existing account gives its password (a wrong one counts as a failed sign-in); a new account also
    gives a name. Token, membership, invitation and session are written in one transaction.
    """
    found = one_time.find(Purpose.JOIN_WORKSPACE, token, now=now)
    workspace_id, email, role = found["workspace_id"], found["email"], Role(found["role"])
    owner, workspace, inviter = store.batch_get(
        [keys.email(email), keys.workspace(workspace_id), keys.membership(workspace_id, str(found["user_id"]))],
        consistent=True,
    )
    if is_closed(workspace):
        raise InvalidToken("This workspace no longer exists.")
    if not _may_still_invite(inviter, role):
        # Their rights are read now, not when they invited: a removed or demoted inviter's link grants nothing.
        raise InvalidToken(
            "This invitation was withdrawn. Ask the workspace for a new one.", code="invitation_withdrawn"
        )
    effects: list[store.Operation] = [store.delete_op(keys.invitation(workspace_id, email))]
    if owner is not None:
        user = accounts.authenticate(email, password, source_ip, now=now)
        if store.get(keys.membership(workspace_id, user["id"]), consistent=True):
            raise Conflict("You are already a member of this workspace.", code="already_member")
        effects += accounts.signed_in_ops(user, email, password, lands_in=workspace_id, source_ip=source_ip)
    else:
        if not name:
            raise InvalidInput(
                "Give your name to create your account.",
                code="name_required",
                details=[{"field": "body.name", "message": "required for a new account"}],
            )
        strength.require_strong(
            password,
            related=strength.related_words(email, name, (workspace or {}).get("name")),
            field="body.password",
        )
        user = accounts.new_user_item(email, password, name, workspace_id, verified=True, now=now)
        effects += [
            store.put_op({**keys.email(email), "user_id": user["id"]}, "attribute_not_exists(pk)"),
            store.put_op(user),
        ]
    if role is Role.OWNER:
        effects.append(members.owner_count_op(workspace_id, 1))
    session, signed_in = accounts.open_session(user, workspace_id, now=now)
    effects += [*members.joining_ops(workspace_id, user["id"], role, now=now), store.put_op(session)]
    one_time.redeem(found, effects)
    metrics.add_metric(name="InvitationsAccepted", unit="Count", value=1)
    return signed_in


def _may_still_invite(inviter: dict[str, Any] | None, role: Role) -> bool:
    """Whether the inviter is still a member whose role may invite, and may make an owner if the link does."""
    if inviter is None or not allowed(str(inviter["role"]), "members:manage"):
        return False
    return role is not Role.OWNER or allowed(str(inviter["role"]), "members:owners")
