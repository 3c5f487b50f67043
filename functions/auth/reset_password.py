"""POST /auth/password/reset: set a new password with the emailed token; every session ends."""

from __future__ import annotations

from typing import Annotated

from collectra import clock
from collectra.auth import accounts
from collectra.auth.models import ResetPasswordRequest
from collectra.http.app import configure, entry_point, no_content
from collectra.http.docs import responses

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Body

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.post(
    "/auth/password/reset",
    summary="Choose a new password",
    description="Uses the single-use token from the reset email. Every session of the user ends.",
    tags=["auth"],
    responses=responses(204, "Password changed", errors={400: "Invalid, used or expired token"}),
)
def reset_password(request: Annotated[ResetPasswordRequest, Body()]) -> Response[str]:
    accounts.reset_password(request.token, request.password, now=clock.utcnow())
    return no_content()


handler = entry_point(app)
