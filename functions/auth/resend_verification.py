"""POST /auth/verify-email/resend: email a new verification link to the signed-in user."""

from __future__ import annotations

from collectra import clock
from collectra.auth import accounts
from collectra.http.app import configure, current_principal, entry_point, no_content
from collectra.http.docs import CSRF, responses

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.post(
    "/auth/verify-email/resend",
    summary="Send the verification email again",
    security=[{"cookieAuth": []}],
    tags=["auth"],
    responses=responses(202, "Sent", errors={401: "Not signed in", 403: CSRF, 409: "Already verified"}),
)
def resend_verification() -> Response[str]:
    principal = current_principal(app)
    accounts.resend_verification(principal, now=clock.utcnow())
    return no_content(status=202)


handler = entry_point(app)
