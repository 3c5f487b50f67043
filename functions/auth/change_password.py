"""POST /auth/password/change: change the password, given the current one."""

from __future__ import annotations

from typing import Annotated

from collectra import clock
from collectra.auth import accounts
from collectra.auth.models import ChangePasswordRequest, SignInView
from collectra.http import cookies
from collectra.http.app import configure, current_principal, entry_point, json_response
from collectra.http.docs import CSRF, responses

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Body

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.post(
    "/auth/password/change",
    summary="Change the password",
    description="Requires the current password. Every other session ends; this one continues with new cookies.",
    security=[{"cookieAuth": []}],
    tags=["auth"],
    responses=responses(
        200,
        "Changed; new cookies",
        SignInView,
        {401: "Not signed in", 403: CSRF, 422: "Wrong current password or invalid new one"},
    ),
)
def change_password(request: Annotated[ChangePasswordRequest, Body()]) -> Response[SignInView]:
    now = clock.utcnow()
    principal = current_principal(app)
    signed_in = accounts.change_password(principal, request.current_password, request.new_password, now=now)
    return json_response(
        SignInView.of(signed_in, now=now),
        cookies=cookies.signed_in(signed_in.access_token, signed_in.refresh_token),
    )


handler = entry_point(app)
