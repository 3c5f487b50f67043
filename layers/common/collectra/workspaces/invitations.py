"""Inviting people into a workspace, and joining one from the emailed link.

The link is a one-time token (only its hash is kept) that names the workspace, the address and the role.
Joining signs the person in: an existing account proves itself with its password (throttled like any
sign-in), a new one is created for the invited address, already verified since the link reached it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from collectra import store
from collectra.access import Role
from collectra.auth import accounts, one_time
from collectra.auth.accounts import SignedIn
from collectra.auth.one_time import InvalidToken, Purpose
from collectra.auth.principal import Principal
from collectra.clock import iso
from collectra.email import account as account_email
from collectra.errors import Conflict, InvalidInput
from collectra.ids import new_id
from collectra.observability import metrics
from collectra.store import keys
from collectra.workspaces import members
from collectra.workspaces.lifecycle import is_closed


def invite(principal: Principal, email: str, role: Role, *, now: datetime) -> dict[str, Any]:
    """Invite an address (two reads, one transaction, one email); inviting it again replaces the first link."""
    if role is Role.OWNER:
        principal.require("members:owners")
    workspace_id = principal.workspace_id
    owner, previous = store.batch_get([keys.email(email), keys.invitation(workspace_id, email)], consistent=True)
    if owner and store.get(keys.membership(workspace_id, owner["user_id"]), consistent=True):
        raise Conflict("This person is already a member of this workspace.", code="already_member")
    token_item, token = one_time.new_token_item(
        Purpose.JOIN_WORKSPACE,
        user_id=principal.user_id,
        email=email,
        now=now,
        extra={"workspace_id": workspace_id, "role": role.value},
    )
    invitation = {
        **keys.invitation(workspace_id, email),
        "id": new_id("inv"),
        "email": email,
        "role": role.value,
        "invited_by": principal.user_id,
        "created_at": iso(now),
        "expires_at": token_item["expires_at"],
        "token_key": {"pk": token_item["pk"], "sk": token_item["sk"]},
    }
    operations = [store.put_op(invitation), store.put_op(token_item)]
    if previous:
        operations.append(store.delete_op(previous["token_key"]))
    store.transact(operations)
    account_email.send_quietly(
        account_email.invitation(email, principal.workspace["name"], principal.user["name"], role.value, token),
        purpose="invitation",
    )
    metrics.add_metric(name="Invitations", unit="Count", value=1)
    return invitation


def revoke(principal: Principal, invitation_id: str) -> None:
    """Withdraw a pending invitation (the team's pending ones are read: a handful); its link stops working."""
    for invitation in members.pending_invitations(principal.workspace_id):
        if invitation["id"] == invitation_id:
            store.transact(
                [
                    store.delete_op({"pk": invitation["pk"], "sk": invitation["sk"]}),
                    store.delete_op(invitation["token_key"]),
                ]
            )


def accept(token: str, *, name: str | None, password: str, source_ip: str, now: datetime) -> SignedIn:
    """Join the invited workspace and sign in there; the link works once, within 7 days.

    An existing account gives its password (a wrong one counts as a failed sign-in); a new account also
    gives a name. Token, membership, invitation and session are written in one transaction.
    """
    found = one_time.find(Purpose.JOIN_WORKSPACE, token, now=now)
    workspace_id, email, role = found["workspace_id"], found["email"], Role(found["role"])
    owner, workspace = store.batch_get([keys.email(email), keys.workspace(workspace_id)], consistent=True)
    if is_closed(workspace):
        raise InvalidToken("This workspace no longer exists.")
    effects: list[dict[str, Any]] = [store.delete_op(keys.invitation(workspace_id, email))]
    if owner is not None:
        user = accounts.authenticate(email, password, source_ip, now=now)
        effects += [
            *accounts.signed_in_ops(user, email),
            store.update_op(keys.user(user["id"]), "SET current_workspace_id = :ws", {":ws": workspace_id}),
        ]
    else:
        if not name:
            raise InvalidInput(
                "Give your name to create your account.",
                code="name_required",
                details=[{"field": "body.name", "message": "required for a new account"}],
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
    if owner is not None and store.get(keys.membership(workspace_id, user["id"]), consistent=True):
        raise Conflict("You are already a member of this workspace.", code="already_member")
    one_time.redeem(found, effects)
    metrics.add_metric(name="InvitationsAccepted", unit="Count", value=1)
    return signed_in
