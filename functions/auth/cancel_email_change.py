"""POST /auth/email/cancel: from the old address's link, undo an email change and sign every device out."""

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
    "/auth/email/cancel",
    summary="Cancel an email change",
    description="Uses the single-use token sent to the old address when a change was asked for (valid 7 days), "
    "whether or not the new address was confirmed: the account signs in with the old address again, every "
    "session ends, and pending reset and email-change links stop working.",
    tags=["auth"],
    responses=responses(204, "The change is undone", errors={400: "Invalid, used or expired token"}),
)
def cancel_email_change(request: Annotated[TokenRequest, Body()]) -> Response[str]:
    email_change.cancel(request.token, now=clock.utcnow())
    return no_content()


handler = entry_point(app)
