"""Moving an account to another email address, and the old address's way back.

A stolen access cookie must not become a permanent takeover (change the address, confirm it, reset the
password). So asking for a change needs the current password (checked by the caller); the new address
confirms with a link (24 hours); the old address is told, with a link that for 7 days undoes the change,
confirmed or not, and ends every session. Confirming ends every session but the one that asked. Asking,
confirming and cancelling each void the user's other pending reset and email-change links.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from collectra import store
from collectra.auth import one_time, sessions
from collectra.auth.one_time import InvalidToken, Purpose
from collectra.auth.records import Session, User, email_owner
from collectra.clock import iso
from collectra.email import account as account_email
from collectra.errors import Conflict
from collectra.store import keys

_INVALID = "This link is invalid or has expired. Please ask for a new one."


def request(user: dict[str, Any], new_email: str, *, session_id: str, now: datetime) -> None:
    """Email a confirmation link to `new_email` and a cancel link to the current address (Query, GetItem,
    one transaction). `session_id` is the asking session, which the confirmation keeps signed in."""
    if store.get(keys.email(new_email)) is not None:
        raise Conflict("Another account already uses this email address.", code="email_taken")
    old_email = user["email"]
    change, change_token = one_time.new_token_item(
        Purpose.CHANGE_EMAIL,
        user_id=user["id"],
        email=new_email,
        now=now,
        previous_email=old_email,
        extra={"session_id": session_id},
    )
    cancel, cancel_token = one_time.new_token_item(
        Purpose.CANCEL_EMAIL_CHANGE, user_id=user["id"], email=old_email, now=now, extra={"new_email": new_email}
    )
    store.transact([*one_time.void_pending_ops(user["id"], now=now), store.put_op(change), store.put_op(cancel)])
    account_email.send_quietly(
        account_email.email_change(new_email, user["name"], change_token), purpose="change_email"
    )
    account_email.send_quietly(
        account_email.email_change_notice(old_email, user["name"], cancel_token), purpose="change_email_notice"
    )


def confirm(token: str, *, now: datetime) -> None:
    """Move the account to the confirmed address and end every other session, in one transaction with the
    token: once, or not at all (GetItem, BatchGetItem, Query, transaction).

    The asking session is carried over to the new session version: its next refresh renews it.
    """
    found = one_time.find(Purpose.CHANGE_EMAIL, token, now=now)
    user_id, old, new = found["user_id"], found["previous_email"], found["email"]
    found_user, found_session = store.batch_get(
        [keys.user(user_id), keys.user_session(user_id, str(found.get("session_id", "-")))], consistent=True
    )
    user, asking = cast(User | None, found_user), cast(Session | None, found_session)
    if user is None:
        raise InvalidToken(_INVALID)
    seen = int(user["session_version"])
    effects = [
        store.update_op(
            keys.user(user_id),
            "SET email = :new, email_verified = :yes, updated_at = :now, session_version = :next",
            {":new": new, ":old": old, ":yes": True, ":now": iso(now), ":next": seen + 1, ":seen": seen},
            # A confirmation for an address change the account has moved on from changes nothing.
            condition="attribute_exists(pk) AND email = :old AND session_version = :seen",
        ),
        store.delete_op(keys.email(old), "user_id = :user", {":user": user_id}),
        store.put_op(email_owner(new, user_id), "attribute_not_exists(pk)"),
        *one_time.void_pending_ops(user_id, now=now, keep=found),
    ]
    if asking is not None and sessions.is_alive(asking, user, now=now):
        effects.append(sessions.carry_over_op(asking, to_version=seen + 1))
    one_time.redeem(found, effects)


def cancel(token: str, *, now: datetime) -> None:
    """Undo an email change from the old address's link (7 days), whether or not it was confirmed: the
    account goes back to that address, every session ends, pending reset and change links are void.

    GetItem, GetItem, Query, one transaction. If the old address was taken by another account meanwhile,
    nothing changes and the link stays usable (400, as for any link that cannot be used).
    """
    found = one_time.find(Purpose.CANCEL_EMAIL_CHANGE, token, now=now)
    user_id, old = found["user_id"], found["email"]
    user = store.get(keys.user(user_id), consistent=True)
    if user is None:
        raise InvalidToken(_INVALID)
    current = user["email"]
    effects = [
        store.update_op(
            keys.user(user_id),
            # The link reached the old address: it is proven the person's again.
            "SET email = :old, email_verified = :yes, updated_at = :now ADD session_version :one",
            {":old": old, ":current": current, ":yes": True, ":now": iso(now), ":one": 1},
            condition="attribute_exists(pk) AND email = :current",
        ),
        *one_time.void_pending_ops(user_id, now=now),
    ]
    if current.lower() != old.lower():
        effects += [
            store.delete_op(keys.email(current), "user_id = :user", {":user": user_id}),
            store.put_op(email_owner(old, user_id), "attribute_not_exists(pk)"),
        ]
    one_time.redeem(found, effects)
