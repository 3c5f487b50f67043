"""Inviting people into a workspace: the link is a one-time token (only its hash is kept) that names the
workspace, the address and the role. Joining with it is `collectra.workspaces.joining`."""

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
from collectra.errors import Conflict, TooManyRequests
from collectra.ids import new_id
from collectra.observability import metrics
from collectra.store import keys
from collectra.workspaces import members, sending_rights
from collectra.workspaces.records import Invitation

MAX_PENDING = 50  # pending invitations per workspace
ADDRESS_INTERVAL_SECONDS = 3600  # at most one invitation email per address in this time
_ADDRESS_SCOPE = "invitation-email"


def invite(principal: Principal, email: str, role: Role, *, now: datetime) -> Invitation:
    """Invite an address (three reads, one transaction, one email); inviting it again replaces the first link.

    Collectra is not a relay: the inviter's own address must be verified (403 `email_not_verified`), an address
    gets at most one invitation email an hour whoever sends it (429 `invitation_rate_limited`), and a workspace
    has at most `MAX_PENDING` invitations pending (409 `too_many_invitations`).
    """
    if role is Role.OWNER:
        principal.require("members:owners")
    sending_rights.require_verified_user(principal)
    workspace_id = principal.workspace_id
    owner, previous = store.batch_get([keys.email(email), keys.invitation(workspace_id, email)], consistent=True)
    if owner and store.get(keys.membership(workspace_id, owner["user_id"]), consistent=True):
        raise Conflict("This person is already a member of this workspace.", code="already_member")
    _check_room(workspace_id, replacing=previous, now=now)
    token_item, token = one_time.new_token_item(
        Purpose.JOIN_WORKSPACE,
        user_id=principal.user_id,
        email=email,
        now=now,
        extra={"workspace_id": workspace_id, "role": role.value},
    )
    key = keys.invitation(workspace_id, email)
    invitation: Invitation = {
        "pk": key["pk"],
        "sk": key["sk"],
        "id": new_id("inv"),
        "email": email,
        "role": role.value,
        "invited_by": principal.user_id,
        "created_at": iso(now),
        "expires_at": token_item["expires_at"],
        "token_key": {"pk": token_item["pk"], "sk": token_item["sk"]},
    }
    operations = [store.put_op(invitation), store.put_op(token_item), _address_rate_op(email, now)]
    if previous:
        operations.append(store.delete_op(previous["token_key"]))
    try:
        store.transact(operations)
    except Conflict as error:  # the only condition is the address's hour
        raise TooManyRequests(
            "This address was sent an invitation less than an hour ago. Try again later.",
            retry_after=ADDRESS_INTERVAL_SECONDS,
            code="invitation_rate_limited",
        ) from error
    account_email.send_quietly(
        account_email.invitation(email, principal.workspace["name"], principal.user["name"], role.value, token),
        purpose="invitation",
    )
    metrics.add_metric(name="Invitations", unit="Count", value=1)
    return invitation


def _check_room(workspace_id: str, *, replacing: dict[str, Any] | None, now: datetime) -> None:
    """At most MAX_PENDING unexpired invitations (re-inviting an address replaces its own, so it always fits).

    Counted by a Query of the workspace's pending invitations (at most a few dozen items): two invitations sent
    at the very same instant may both pass at 49, which a quota of 50 tolerates; the hourly rule per address
    is the one that must hold exactly, and it is a condition of the write.
    """
    if replacing is not None:
        return
    pending = [item for item in members.pending_invitations(workspace_id) if int(item["expires_at"]) > now.timestamp()]
    if len(pending) >= MAX_PENDING:
        raise Conflict(
            f"This workspace has {MAX_PENDING} invitations pending: withdraw some, or wait until they are accepted.",
            code="too_many_invitations",
        )


def _address_rate_op(email: str, now: datetime) -> store.Operation:
    """Take the address's hour: one invitation email per address per hour, across every workspace (keyed by a
    hash of the address, so the item names nobody; it expires by TTL)."""
    sent = int(now.timestamp())
    return store.put_op(
        {
            **keys.throttle(_ADDRESS_SCOPE, email.lower()),
            "sent_at": sent,
            "expires_at": sent + ADDRESS_INTERVAL_SECONDS,
        },
        "attribute_not_exists(pk) OR sent_at <= :hour_ago",
        {":hour_ago": sent - ADDRESS_INTERVAL_SECONDS},
    )


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
