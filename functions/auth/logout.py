"""POST /auth/logout: end this session and clear the auth cookies."""

from __future__ import annotations

from collectra.auth import accounts
from collectra.auth.tokens import AccessClaims, read_access_token
from collectra.errors import SessionEnded
from collectra.http import cookies
from collectra.http.app import configure, entry_point, no_content
from collectra.http.docs import CSRF, responses

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


def _access_claims(token: str | None) -> AccessClaims | None:
    if not token:
        return None
    try:
        # An expired but genuine access token still names the session to end.
        return read_access_token(token, verify_expiry=False)
    except SessionEnded:
        return None


@app.post(
    "/auth/logout",
    summary="Sign out",
    description="Revokes the session of the access token and the family of the refresh token (current or not: a "
    "stale one counts as reuse), so their tokens stop working at once, and clears the cookies.",
    tags=["auth"],
    responses=responses(204, "Signed out", errors={403: CSRF}),
)
def log_out() -> Response[str]:
    event_cookies = app.current_event.cookies
    accounts.log_out(
        cookies.read(event_cookies, cookies.REFRESH_TOKEN),
        _access_claims(cookies.read(event_cookies, cookies.ACCESS_TOKEN)),
    )
    return no_content(cookies=cookies.signed_out())


handler = entry_point(app)
