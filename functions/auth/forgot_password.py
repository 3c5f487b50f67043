"""POST /auth/password/forgot: email a password reset link, if the address has an account."""

from __future__ import annotations

from typing import Annotated

from collectra.auth import accounts
from collectra.auth.models import ForgotPasswordRequest
from collectra.http.app import configure, entry_point, no_content
from collectra.http.docs import responses

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Body

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.post(
    "/auth/password/forgot",
    summary="Ask for a password reset link",
    description="Always 202, in the same time, whether or not the address has an account: the request is "
    "queued and the link (single use, one hour) is emailed moments later, only to a real account, at most "
    "three times an hour. A new link voids the account's earlier reset and email-change links.",
    tags=["auth"],
    responses=responses(202, "Accepted"),
)
def forgot_password(request: Annotated[ForgotPasswordRequest, Body()]) -> Response[str]:
    accounts.forgot_password(request.email)
    return no_content(status=202)


handler = entry_point(app)
