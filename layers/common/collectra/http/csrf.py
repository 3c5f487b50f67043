"""Cross-site request forgery defence for the cookie-authenticated API.

A state-changing request that carries an auth cookie must send `X-Requested-With: collectra` (a header
a cross-site form cannot set, and which a cross-origin script may only send after a CORS preflight that
names the web client's origin). Any state-changing request with an `Origin` header must come from the
web client's origin (or, for the debtor's page forms, the origin serving that page).
Otherwise: 403, before the handler runs, so nothing changes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from collectra.http.cookies import ACCESS_TOKEN, REFRESH_TOKEN, read

STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
REQUIRED_HEADER = ("x-requested-with", "collectra")


def rejection(
    method: str, headers: Mapping[str, str], cookies: Sequence[str] | None, allowed_origins: str | Sequence[str]
) -> str | None:
    """Why this request is refused as a possible forgery, or None when it may proceed."""
    if method.upper() not in STATE_CHANGING:
        return None
    lowered = {name.lower(): value for name, value in headers.items()}
    origin = lowered.get("origin")
    allowed = {allowed_origins} if isinstance(allowed_origins, str) else set(allowed_origins)
    uses_cookie = read(cookies, ACCESS_TOKEN) is not None or read(cookies, REFRESH_TOKEN) is not None
    if not uses_cookie:
        # A page sent with `Referrer-Policy: no-referrer` (the debtor's page) posts its forms with
        # `Origin: null`; those forms carry their own token, so only a named foreign origin is refused.
        allowed.add("null")
    if origin is not None and origin.rstrip("/") not in allowed:
        return "This request comes from a site that is not allowed to make it."
    name, expected = REQUIRED_HEADER
    if uses_cookie and lowered.get(name, "").lower() != expected:
        return "This request is missing the X-Requested-With: collectra header."
    return None
