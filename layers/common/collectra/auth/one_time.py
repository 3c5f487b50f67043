"""Emailed single-use tokens (email verification, password reset, email change, invitations).

The token travels only in the email; Collectra keeps its SHA-256. Using it deletes it, in the same
transaction as its effect, so it works once.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from enum import StrEnum
from typing import Any, cast

from collectra import store
from collectra.auth.records import OneTimeToken
from collectra.errors import CollectraError, Conflict
from collectra.store import keys


class Purpose(StrEnum):
    VERIFY_EMAIL = "verify_email"
    RESET_PASSWORD = "reset_password"
    CHANGE_EMAIL = "change_email"
    # Sent to the old address when the email is changed: undoes the change and ends every session.
    CANCEL_EMAIL_CHANGE = "cancel_email_change"
    JOIN_WORKSPACE = "join_workspace"


_INVALID = "This link is invalid or has expired. Please ask for a new one."
LIFETIME_SECONDS = {
    Purpose.VERIFY_EMAIL: 48 * 3600,
    Purpose.RESET_PASSWORD: 3600,
    Purpose.CHANGE_EMAIL: 24 * 3600,
    Purpose.CANCEL_EMAIL_CHANGE: 7 * 24 * 3600,
    Purpose.JOIN_WORKSPACE: 7 * 24 * 3600,
}


class InvalidToken(CollectraError):
    status = 400
    code = "invalid_token"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token_item(
    purpose: Purpose,
    *,
    user_id: str,
    email: str,
    now: datetime,
    previous_email: str | None = None,
    extra: dict[str, Any] | None = None,
) -> tuple[OneTimeToken, str]:
    """The item to write and the token to email (`previous_email`: the address an email change replaces;
    `extra`: what else the link's effect needs, such as the workspace an invitation is to)."""
    token = secrets.token_urlsafe(32)
    epoch = int(now.timestamp())
    key = keys.one_time_token(_digest(token))
    item: OneTimeToken = {
        "pk": key["pk"],
        "sk": key["sk"],
        "purpose": purpose.value,
        "user_id": user_id,
        "email": email,
        "created_at": epoch,
        "expires_at": epoch + LIFETIME_SECONDS[purpose],
    }
    if previous_email:
        item["previous_email"] = previous_email
    if purpose is not Purpose.JOIN_WORKSPACE:
        # Listed under the account it is about, so deleting the account finds it (an invitation is the
        # workspace's, found from its invitation item).
        item |= {"gsi1pk": keys.tokens_of_user(user_id), "gsi1sk": f"{epoch}#{item['pk']}"}
    return cast(OneTimeToken, {**(extra or {}), **item}), token


# The links that take over an account (a new password, a new address). A new one, or any change of the
# password or the address, voids the others: a link leaked or requested by someone else earlier stops
# working. A cancel link is kept: it is the real owner's way back, and a thief must not be able to void it.
_TAKEOVER_LINKS = (Purpose.RESET_PASSWORD, Purpose.CHANGE_EMAIL)


def void_pending_ops(user_id: str, *, now: datetime, keep: dict[str, Any] | None = None) -> list[store.Operation]:
    """Delete operations (for the caller's transaction) for every pending reset and email-change link of
    the user, except `keep` (the token being redeemed, which `redeem` deletes itself). One Query."""
    pending = store.query_all(
        "gsi1pk = :pk",
        {":pk": keys.tokens_of_user(user_id), ":now": int(now.timestamp()), **_purpose_values()},
        index="gsi1",
        names={"#purpose": "purpose"},
        filter_expression=f"expires_at > :now AND #purpose IN ({', '.join(_purpose_values())})",
    )
    kept = (keep["pk"], keep["sk"]) if keep else None
    return [
        store.delete_op({"pk": item["pk"], "sk": item["sk"]}) for item in pending if (item["pk"], item["sk"]) != kept
    ]


def _purpose_values() -> dict[str, str]:
    return {f":p{n}": purpose.value for n, purpose in enumerate(_TAKEOVER_LINKS)}


def find(purpose: Purpose, token: str, *, now: datetime) -> dict[str, Any]:
    """The stored token, if it exists, has this purpose and has not expired; else `InvalidToken`."""
    item = store.get(keys.one_time_token(_digest(token)), consistent=True) if token else None
    if not item or item["purpose"] != purpose.value or item["expires_at"] <= now.timestamp():
        raise InvalidToken(_INVALID)
    return item


def redeem(item: dict[str, Any], effects: list[store.Operation]) -> None:
    """Use the token up and apply its `effects`, in one transaction: all of it once, or nothing.

    A token already used (or an effect whose condition fails) raises `InvalidToken`.
    """
    consume = store.delete_op({"pk": item["pk"], "sk": item["sk"]}, "attribute_exists(pk)")
    try:
        store.transact([consume, *effects])
    except Conflict as error:
        raise InvalidToken(_INVALID) from error
