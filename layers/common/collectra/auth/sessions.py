"""Sign-in sessions: one refresh-token family per sign-in, rotated on every use.

A refresh token is `<user id>.<session id>.<secret>`; only its SHA-256 is stored. Presenting a refresh
token that is no longer the family's current one means it was copied: the whole family is revoked.
One exception keeps real users signed in: two tabs of one browser refreshing with the same token at
the same moment. The token just replaced is honoured for `GRACE_SECONDS` more, and answers the very
same successor (derived from it with a server key, so nothing secret is stored), so both tabs end
up holding the family's one current token; after the grace it is a reuse like any other.
A family lives at most `ABSOLUTE_LIFETIME_SECONDS` from its sign-in, however often it is refreshed.
A user's `session_version` ends every session at once (password reset or change).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from collectra import config, store
from collectra.auth.records import Session, User
from collectra.errors import Conflict, SessionEnded
from collectra.ids import new_id
from collectra.secrets import secret as stored_secret
from collectra.store import keys

_ENDED = "Your session has ended. Please sign in again."
GRACE_SECONDS = 10
# A family unused this long ends; the refresh_token cookie lives as long (collectra.http.cookies).
REFRESH_TOKEN_LIFETIME_SECONDS = 30 * 24 * 3600
ABSOLUTE_LIFETIME_SECONDS = 90 * 24 * 3600


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


def successor_of(presented: RefreshToken) -> RefreshToken:
    """The token that replaces `presented` at rotation: HMAC of it under a server key, so that a second
    request with the same token inside the grace gets the same one, and nobody without the key can
    compute it from a token they copied."""
    key = hmac.new(stored_secret(config.jwt_secret_name()).encode(), b"refresh-token-successor", "sha256").digest()
    secret = base64.urlsafe_b64encode(hmac.new(key, presented.value.encode(), "sha256").digest()).rstrip(b"=")
    return RefreshToken(
        presented.user_id, presented.session_id, f"{presented.user_id}.{presented.session_id}.{secret.decode()}"
    )


def expiry(session: Session, *, epoch: int) -> int:
    """When a family rotated at `epoch` expires: the sliding window, but never past 90 days from sign-in."""
    return min(epoch + REFRESH_TOKEN_LIFETIME_SECONDS, int(session["created_at"]) + ABSOLUTE_LIFETIME_SECONDS)


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
        "expires_at": epoch + REFRESH_TOKEN_LIFETIME_SECONDS,
    }
    return item, token


def is_alive(session: Session | None, user: User | None, *, now: datetime) -> bool:
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
    user: User
    session: Session
    token: RefreshToken


def rotate(presented: RefreshToken, *, now: datetime) -> Rotation:
    """Exchange the current refresh token for its successor (two DynamoDB calls; three or four when another
    request rotated the same token at that very moment).

    The token just replaced, within `GRACE_SECONDS`, answers the same successor without a write. Any other
    token that is not the family's current one (used before, or forged with a known id) revokes the family
    and raises `SessionEnded`, as does a revoked, expired or superseded session.
    """
    key = keys.user_session(presented.user_id, presented.session_id)
    found_user, found_session = store.batch_get([keys.user(presented.user_id), key], consistent=True)
    user, session = cast(User | None, found_user), cast(Session | None, found_session)
    if session is None or not is_alive(session, user, now=now):
        raise SessionEnded(_ENDED, code="session_ended")
    assert user is not None  # noqa: S101 - is_alive checked it
    fresh = successor_of(presented)
    if not hmac.compare_digest(session["token_hash"], presented.digest):
        if _in_grace(session, presented, fresh, now=now):
            return Rotation(user=user, session=session, token=fresh)
        revoke(presented.user_id, presented.session_id)
        raise SessionEnded(_ENDED, code="refresh_token_reused")
    epoch = int(now.timestamp())
    try:
        updated = store.update(
            key,
            "SET token_hash = :new, previous_token_hash = :old, rotated_at = :now, expires_at = :expires",
            values={
                ":new": fresh.digest,
                ":old": presented.digest,
                ":now": epoch,
                ":expires": expiry(session, epoch=epoch),
                ":no": False,
            },
            condition="token_hash = :old AND revoked = :no",
            return_new=True,
        )
    except Conflict:
        # Another request rotated this very token first: another tab at the same instant, or a thief.
        again = cast(Session | None, store.get(key, consistent=True))
        if again is not None and _in_grace(again, presented, fresh, now=now):
            return Rotation(user=user, session=again, token=fresh)
        revoke(presented.user_id, presented.session_id)
        raise SessionEnded(_ENDED, code="refresh_token_reused") from None
    assert updated is not None  # noqa: S101 - return_new=True
    return Rotation(user=user, session=cast(Session, updated), token=fresh)


def _in_grace(session: Session, presented: RefreshToken, fresh: RefreshToken, *, now: datetime) -> bool:
    """`presented` is the token the family's current one replaced, less than `GRACE_SECONDS` ago."""
    return bool(
        not session.get("revoked")
        and hmac.compare_digest(str(session.get("previous_token_hash", "")), presented.digest)
        and hmac.compare_digest(session["token_hash"], fresh.digest)
        and now.timestamp() - int(session["rotated_at"]) <= GRACE_SECONDS
    )


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


def carry_over_op(session: Session, *, to_version: int) -> store.Operation:
    """The transaction operation that keeps a live session alive across a bump of the user's session
    version (the one session that asked for the change); its next refresh mints a token of that version."""
    return store.update_op(
        {"pk": session["pk"], "sk": session["sk"]},
        "SET session_version = :next",
        {":next": to_version, ":seen": session["session_version"], ":no": False},
        condition="session_version = :seen AND revoked = :no",
    )
