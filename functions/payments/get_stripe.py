"""GET /workspace/stripe: whether the workspace's Stripe account can take payments."""

from __future__ import annotations

from collectra.http.app import configure, current_principal, entry_point, json_response
from collectra.http.docs import responses
from collectra.payments.models import StripeConnection

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.get(
    "/workspace/stripe",
    summary="The Stripe connection",
    description="As Stripe last told Collectra (its account.updated events): connected, charges enabled, "
    "details submitted, payouts enabled; and the platform fee on each payment.",
    security=[{"cookieAuth": []}],
    tags=["workspace"],
    responses=responses(200, "The connection", StripeConnection, {401: "Not signed in"}),
)
def get_stripe() -> Response[StripeConnection]:
    principal = current_principal(app)
    return json_response(StripeConnection.of(principal.workspace))


handler = entry_point(app)
