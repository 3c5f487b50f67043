"""Access tokens: short-lived JWTs signed with HS256 (the only algorithm accepted).

Claims: `sub` user, `wid` workspace, `sid` session (refresh family), `ver` the user's session version,
plus `iss`, `aud`, `iat`, `exp`, all required. A token is only as good as its session: every request
also checks that the session is alive (see `collectra.auth.principal`).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

import jwt

from collectra import config
from collectra.clock import utcnow
from collectra.errors import SessionEnded
from collectra.secrets import secret as stored_secret

ALGORITHM = "HS256"
ISSUER = "collectra"
AUDIENCE = "collectra-web"
LIFETIME_SECONDS = 15 * 60  # the access_token cookie lives as long (collectra.http.cookies)
_REQUIRED = ["exp", "iat", "iss", "aud", "sub"]
_LEEWAY_SECONDS = 5


@dataclass(frozen=True)
class AccessClaims:
    user_id: str
    workspace_id: str
    session_id: str
    session_version: int


def _signing_key() -> str:
    return stored_secret(config.jwt_secret_name())


def issue_access_token(claims: AccessClaims, *, now: datetime) -> str:
    issued = int(now.timestamp())
    payload = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": claims.user_id,
        "wid": claims.workspace_id,
        "sid": claims.session_id,
        "ver": claims.session_version,
        "iat": issued,
        "exp": issued + LIFETIME_SECONDS,
        "jti": secrets.token_urlsafe(12),  # two tokens minted in the same second still differ
    }
    return jwt.encode(payload, _signing_key(), algorithm=ALGORITHM)


def read_access_token(token: str, *, now: datetime | None = None, verify_expiry: bool = True) -> AccessClaims:
    """The claims of a genuine, current token; anything else raises `SessionEnded`.

    Time is checked against `now` (the caller's clock, like every rule here), not the library's own.
    `verify_expiry=False` is for sign-out only: an expired but genuine token still names the session to end.
    """
    try:
        payload = jwt.decode(
            token,
            _signing_key(),
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            issuer=ISSUER,
            options={"require": _REQUIRED, "verify_exp": False, "verify_iat": False, "verify_nbf": False},
        )
        moment = int((now or utcnow()).timestamp())
        if int(payload["iat"]) > moment + _LEEWAY_SECONDS:
            raise ValueError("issued in the future")
        if verify_expiry and int(payload["exp"]) <= moment - _LEEWAY_SECONDS:
            raise ValueError("expired")
        return AccessClaims(
            user_id=str(payload["sub"]),
            workspace_id=str(payload["wid"]),
            session_id=str(payload["sid"]),
            session_version=int(payload["ver"]),
        )
    except (jwt.PyJWTError, KeyError, TypeError, ValueError) as error:
        raise SessionEnded("Your session has ended. Please sign in again.", code="invalid_token") from error
