"""Sign-in sessions: one refresh-token family per sign-in, rotated on every use.

A refresh token is `<user id>.<session id>.<secret>`; only its SHA-256 is stored. Presenting a refresh
token that is no longer the family's current one means it was copied: the whole family is revoked.
A user's `session_version` ends every session at once (password reset or change).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from collectra import store
from collectra.errors import Conflict, SessionEnded
from collectra.http.cookies import REFRESH_TOKEN_MAX_AGE
from collectra.ids import new_id
from collectra.store import keys

_ENDED = "Your session has ended. Please sign in again."


@dataclass(frozen=True)
class RefreshToken:
    user_id: str
    session_id: str
    value: str

    @property
    def digest(self) -> str:
        return token_digest(self.value)


def token_digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def mint_refresh_token(user_id: str, session_id: str) -> RefreshToken:
    return RefreshToken(user_id, session_id, f"{user_id}.{session_id}.{secrets.token_urlsafe(32)}")


def parse_refresh_token(value: str | None) -> RefreshToken:
    parts = (value or "").split(".")
    if len(parts) != 3 or not all(parts):
        raise SessionEnded(_ENDED, code="invalid_refresh_token")
    return RefreshToken(parts[0], parts[1], value or "")


def new_session_item(
    *, user_id: str, workspace_id: str, session_version: int, now: datetime
) -> tuple[dict[str, Any], RefreshToken]:
    """A fresh session (refresh family) and its first refresh token; the caller writes the item."""
    session_id = new_id("ses")
    token = mint_refresh_token(user_id, session_id)
    epoch = int(now.timestamp())
    item = {
        **keys.user_session(user_id, session_id),
        "user_id": user_id,
        "session_id": session_id,
        "workspace_id": workspace_id,
        "session_version": session_version,
        "token_hash": token.digest,
        "revoked": False,
        "created_at": epoch,
        "rotated_at": epoch,
        "expires_at": epoch + REFRESH_TOKEN_MAX_AGE,
    }
    return item, token


def is_alive(session: dict[str, Any] | None, user: dict[str, Any] | None, *, now: datetime) -> bool:
    """A session counts only while it is unrevoked, unexpired, and of the user's current session version."""
    return bool(
        session
        and user
        and not session.get("revoked")
        and session["expires_at"] > now.timestamp()
        and session["session_version"] == user.get("session_version", 0)
    )


@dataclass(frozen=True)
class Rotation:
    user: dict[str, Any]
    session: dict[str, Any]
    token: RefreshToken


def rotate(presented: RefreshToken, *, now: datetime) -> Rotation:
    """Exchange the current refresh token for a new one (two DynamoDB calls).

    A token that is not the family's current one (already used, or forged with a known id) revokes
    the family and raises `SessionEnded`, as does a revoked, expired or superseded session.
    """
    user, session = store.batch_get(
        [keys.user(presented.user_id), keys.user_session(presented.user_id, presented.session_id)],
        consistent=True,
    )
    if session is None or not is_alive(session, user, now=now):
        raise SessionEnded(_ENDED, code="session_ended")
    assert user is not None  # noqa: S101 - is_alive checked it
    if not hmac.compare_digest(session["token_hash"], presented.digest):
        revoke(presented.user_id, presented.session_id)
        raise SessionEnded(_ENDED, code="refresh_token_reused")
    fresh = mint_refresh_token(presented.user_id, presented.session_id)
    epoch = int(now.timestamp())
    try:
        updated = store.update(
            keys.user_session(presented.user_id, presented.session_id),
            "SET token_hash = :new, rotated_at = :now, expires_at = :expires",
            values={
                ":new": fresh.digest,
                ":old": presented.digest,
                ":now": epoch,
                ":expires": epoch + REFRESH_TOKEN_MAX_AGE,
                ":no": False,
            },
            condition="token_hash = :old AND revoked = :no",
            return_new=True,
        )
    except Conflict:
        # Another request rotated this very token first: the same token was used twice.
        revoke(presented.user_id, presented.session_id)
        raise SessionEnded(_ENDED, code="refresh_token_reused") from None
    assert updated is not None  # noqa: S101 - return_new=True
    return Rotation(user=user, session=updated, token=fresh)


def revoke(user_id: str, session_id: str) -> None:
    """End a session for good (one UpdateItem). A missing session does nothing."""
    try:
        store.update(
            keys.user_session(user_id, session_id),
            "SET revoked = :yes",
            values={":yes": True},
            condition="attribute_exists(pk)",
        )
    except Conflict:
        return


def carry_over_op(session: dict[str, Any], *, to_version: int) -> dict[str, Any]:
    """The transaction operation that keeps a live session alive across a bump of the user's session
    version (the one session that asked for the change); its next refresh mints a token of that version."""
    return store.update_op(
        {"pk": session["pk"], "sk": session["sk"]},
        "SET session_version = :next",
        {":next": to_version, ":seen": session["session_version"], ":no": False},
        condition="session_version = :seen AND revoked = :no",
    )
