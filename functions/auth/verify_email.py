"""POST /auth/verify-email: confirm an email address with the emailed token."""

from __future__ import annotations

from typing import Annotated

from collectra import clock
from collectra.auth import accounts
from collectra.auth.models import TokenRequest
from collectra.http.app import configure, entry_point, no_content
from collectra.http.docs import responses

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Body

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.post(
    "/auth/verify-email",
    summary="Confirm an email address",
    description="Uses the single-use token from the verification email (valid 48 hours).",
    tags=["auth"],
    responses=responses(204, "Verified", errors={400: "Invalid, used or expired token"}),
)
def verify_email(request: Annotated[TokenRequest, Body()]) -> Response[str]:
    accounts.verify_email(request.token, now=clock.utcnow())
    return no_content()


handler = entry_point(app)
