"""Who may make Collectra email a third party (a debtor, someone invited): only verified accounts.

An unverified sign-up is anyone with any address; Collectra's sender reputation is shared by every tenant,
so nothing leaves for a third party until a person who answers for it has proved their address:
- an action a person takes (remind now, remind several, invite) needs *that person's* address verified
  (403 `email_not_verified`); reminders also need the workspace to have a verified owner (403
  `owner_not_verified`), the same rule the scheduled ones follow, so a queued reminder is not held back;
- scheduled reminders (planner and sender, where nobody acts) need the workspace to have *at least one
  verified owner*: an owner answers for the workspace's sending.

A workspace found with a verified owner is marked (`verified_owner_at`, set once), so the planner and the
sender read the flag on the workspace item they already read instead of the owners on every run. The mark
stays if that owner later leaves: the workspace's sending was vouched for by a verified owner once, and a
sole remaining owner cannot be unverified anyway (an address only changes once confirmed).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from collectra import store
from collectra.access import Role
from collectra.clock import iso
from collectra.errors import Conflict, Forbidden
from collectra.store import keys
from collectra.workspaces.records import Workspace

if TYPE_CHECKING:  # the planner and the sender use this module too: they need not load the sign-in code
    from collectra.auth.principal import Principal

EMAIL_NOT_VERIFIED = "email_not_verified"
OWNER_NOT_VERIFIED = "owner_not_verified"
# Scheduled reminders of a workspace with no verified owner wait this long before they are looked at again.
LOOK_AGAIN = timedelta(hours=1)


def require_verified_user(principal: Principal) -> None:
    """The acting person's own address is verified, or 403 `email_not_verified`."""
    if not principal.user.get("email_verified"):
        raise Forbidden(
            "Confirm your email address first (use the link we emailed you): Collectra sends no email to others "
            "for an account whose address is not verified.",
            code=EMAIL_NOT_VERIFIED,
        )


def require_may_remind(principal: Principal, *, now: datetime) -> None:
    """The acting person is verified and the workspace has a verified owner (else 403, nothing queued)."""
    require_verified_user(principal)
    if principal.role == Role.OWNER.value:
        _mark(principal.workspace, now)  # the caller is that verified owner: nothing to look up
        return
    if not has_verified_owner(principal.workspace, now=now):
        raise Forbidden(
            "No owner of this workspace has confirmed their email address yet: reminders wait until one has.",
            code=OWNER_NOT_VERIFIED,
        )


def has_verified_owner(workspace: Workspace, *, now: datetime, remember: bool = True) -> bool:
    """Whether at least one owner of the workspace has a verified address (the flag, else its owners are read).

    `remember=False` for the read routes: a GET never writes (their functions may not update the table), so an
    unmarked workspace costs them the owners' reads every time instead of being marked."""
    if workspace.get("verified_owner_at"):
        return True
    memberships = store.partition_items(f"WS#{workspace['id']}", "MEMBER#")
    owners = [item["user_id"] for item in memberships if item.get("role") == Role.OWNER.value]
    users = store.batch_get([keys.user(user_id) for user_id in owners], consistent=True) if owners else []
    if not any(user and user.get("email_verified") for user in users):
        return False
    if remember:
        _mark(workspace, now)
    return True


def _mark(workspace: Workspace, now: datetime) -> None:
    if workspace.get("verified_owner_at"):
        return
    try:  # only on a live workspace item; a concurrent marker or a deletion makes this a no-op, never a failure
        store.update(
            keys.workspace(str(workspace["id"])),
            "SET verified_owner_at = if_not_exists(verified_owner_at, :now)",
            values={":now": iso(now)},
            condition="attribute_exists(pk)",
        )
    except Conflict:
        return
