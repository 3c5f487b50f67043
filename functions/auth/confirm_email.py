"""POST /auth/email/confirm: a new email address, confirmed from that address, becomes the account's."""

from __future__ import annotations

from typing import Annotated

from collectra import clock
from collectra.auth import email_change
from collectra.auth.models import TokenRequest
from collectra.http.app import configure, entry_point, no_content
from collectra.http.docs import responses

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Body

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.post(
    "/auth/email/confirm",
    summary="Confirm a new email address",
    description="Uses the single-use token sent to the new address (valid 24 hours). From then on the account "
    "signs in with the new address; the old one no longer works. Every session but the one that asked for the "
    "change ends (that one renews at its next refresh), and pending reset and email-change links stop working.",
    tags=["auth"],
    responses=responses(204, "The address is changed", errors={400: "Invalid, used or expired token"}),
)
def confirm_email(request: Annotated[TokenRequest, Body()]) -> Response[str]:
    email_change.confirm(request.token, now=clock.utcnow())
    return no_content()


handler = entry_point(app)
