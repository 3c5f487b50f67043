"""POST /auth/refresh: exchange the refresh token for new tokens (rotation)."""

from __future__ import annotations

from collectra import clock
from collectra.auth import accounts
from collectra.auth.models import SignInView
from collectra.errors import Unauthenticated
from collectra.http import cookies
from collectra.http.app import configure, entry_point, json_response
from collectra.http.docs import CSRF, responses

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.post(
    "/auth/refresh",
    summary="Renew the session",
    description="Rotates the refresh_token cookie and sets a new access_token. A refresh token used twice "
    "revokes its whole session: 401 and both cookies cleared. Without a refresh_token cookie: 401 `no_session`, "
    "and no cookie is touched (a browser signing in meanwhile keeps the session it is given).",
    tags=["auth"],
    responses=responses(200, "Renewed", SignInView, {401: "No live session", 403: CSRF}),
)
def refresh() -> Response[SignInView]:
    now = clock.utcnow()
    presented = cookies.read(app.current_event.cookies, cookies.REFRESH_TOKEN)
    if not presented:  # nothing to end: clearing cookies here could only clear a session set since it was sent
        raise Unauthenticated("There is no session to renew. Please sign in.", code="no_session")
    signed_in = accounts.refresh(presented, now=now)
    return json_response(
        SignInView.of(signed_in, now=now),
        cookies=cookies.signed_in(signed_in.access_token, signed_in.refresh_token),
    )


handler = entry_point(app)
