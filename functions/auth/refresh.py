"""POST /auth/refresh: exchange the refresh token for new tokens (rotation)."""

from __future__ import annotations

from collectra import clock
from collectra.auth import accounts
from collectra.auth.models import SignInView
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
    "revokes its whole session: 401 and both cookies cleared.",
    tags=["auth"],
    responses=responses(200, "Renewed", SignInView, {401: "No live session", 403: CSRF}),
)
def refresh() -> Response[SignInView]:
    now = clock.utcnow()
    signed_in = accounts.refresh(cookies.read(app.current_event.cookies, cookies.REFRESH_TOKEN), now=now)
    return json_response(
        SignInView.of(signed_in, now=now),
        cookies=cookies.signed_in(signed_in.access_token, signed_in.refresh_token),
    )


handler = entry_point(app)
