"""Inviting people into a workspace: the link is a one-time token (only its hash is kept) that names the
workspace, the address and the role. Joining with it is `collectra.auth.joining`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from collectra import store
from collectra.access import Role
from collectra.auth import one_time
from collectra.auth.one_time import Purpose
from collectra.auth.principal import Principal
from collectra.clock import iso
from collectra.email import account as account_email
from collectra.errors import Conflict
from collectra.ids import new_id
from collectra.observability import metrics
from collectra.store import keys
from collectra.workspaces import members


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
