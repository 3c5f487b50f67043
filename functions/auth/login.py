"""POST /auth/login: sign in with email and password."""

from __future__ import annotations

from typing import Annotated

from collectra import clock
from collectra.auth import accounts
from collectra.auth.models import LoginRequest, SignInView
from collectra.http import cookies
from collectra.http.app import configure, entry_point, json_response, source_ip
from collectra.http.docs import responses

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Body

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.post(
    "/auth/login",
    summary="Sign in",
    description="Sets the access_token and refresh_token cookies. Wrong email or wrong password: the same 401. "
    "Repeated failures for an account or from an address: 429 with Retry-After.",
    tags=["auth"],
    responses=responses(
        200, "Signed in", SignInView, {401: "Wrong email or password", 429: "Too many failed attempts"}
    ),
)
def log_in(request: Annotated[LoginRequest, Body()]) -> Response[SignInView]:
    now = clock.utcnow()
    signed_in = accounts.log_in(request.email, request.password, source_ip(app), now=now)
    return json_response(
        SignInView.of(signed_in, now=now),
        cookies=cookies.signed_in(signed_in.access_token, signed_in.refresh_token),
    )


handler = entry_point(app)
