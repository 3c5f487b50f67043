"""The only cookies Collectra ever sets, exactly as the privacy policy names them.

- `access_token`: HttpOnly, Secure, SameSite=Lax, Path=/, lives as long as the JWT
  (`auth.tokens.LIFETIME_SECONDS`, 15 minutes).
- `refresh_token`: HttpOnly, Secure, SameSite=Strict, Path=/auth (sent to the auth routes only), as long
  as the refresh token (`auth.sessions.REFRESH_TOKEN_LIFETIME_SECONDS`, 30 days).
- `_collectra_session`: Secure, readable by the page, SameSite=Lax, 1 year; UI preferences only.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlencode

from aws_lambda_powertools.shared.cookies import Cookie, SameSite

from collectra.auth import sessions, tokens

ACCESS_TOKEN = "access_token"
REFRESH_TOKEN = "refresh_token"
PREFERENCES = "_collectra_session"

PREFERENCES_MAX_AGE = 365 * 24 * 3600
REFRESH_TOKEN_PATH = "/auth"


def access_token(token: str) -> Cookie:
    return Cookie(
        ACCESS_TOKEN,
        token,
        path="/",
        secure=True,
        http_only=True,
        same_site=SameSite.LAX_MODE,
        max_age=tokens.LIFETIME_SECONDS,
    )


def refresh_token(token: str) -> Cookie:
    return Cookie(
        REFRESH_TOKEN,
        token,
        path=REFRESH_TOKEN_PATH,
        secure=True,
        http_only=True,
        same_site=SameSite.STRICT_MODE,
        max_age=sessions.REFRESH_TOKEN_LIFETIME_SECONDS,
    )


def preferences(values: dict[str, str]) -> Cookie:
    return Cookie(
        PREFERENCES,
        urlencode(sorted(values.items())),
        path="/",
        secure=True,
        http_only=False,
        same_site=SameSite.LAX_MODE,
        max_age=PREFERENCES_MAX_AGE,
    )


def signed_in(access: str, refresh: str) -> list[Cookie]:
    return [access_token(access), refresh_token(refresh)]


def signed_out() -> list[Cookie]:
    """Expire both auth cookies (same name and path, Max-Age=0); preferences stay."""
    return [
        Cookie(ACCESS_TOKEN, "", path="/", secure=True, http_only=True, same_site=SameSite.LAX_MODE, max_age=0),
        Cookie(
            REFRESH_TOKEN,
            "",
            path=REFRESH_TOKEN_PATH,
            secure=True,
            http_only=True,
            same_site=SameSite.STRICT_MODE,
            max_age=0,
        ),
    ]


def read(cookie_headers: Iterable[str] | None, name: str) -> str | None:
    """The value of cookie `name` from HTTP API v2's `event["cookies"]` ("a=1", "b=2"), or None."""
    for header in cookie_headers or ():
        for pair in header.split(";"):
            key, _, value = pair.strip().partition("=")
            if key == name and value:
                return value
    return None
