"""POST /workspace/stripe/connect: connect (or finish connecting) the workspace's own Stripe account."""

from __future__ import annotations

from collectra import clock
from collectra.errors import CollectraError
from collectra.http.app import configure, current_principal, entry_point, json_response
from collectra.http.docs import CSRF, responses
from collectra.observability import logger
from collectra.payments.connect import connect
from collectra.payments.models import OnboardingLink

import stripe
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


class StripeUnavailable(CollectraError):
    status = 502
    code = "stripe_unavailable"


@app.post(
    "/workspace/stripe/connect",
    summary="Connect a Stripe account",
    description="Creates the workspace's connected Stripe account on first use (once, even if asked twice) and "
    "returns a fresh onboarding link to Stripe, where the business enters its details. Whether charges are "
    "enabled is then reported by GET /workspace/stripe, kept current by Stripe's events.",
    security=[{"cookieAuth": []}],
    tags=["workspace"],
    responses=responses(
        200,
        "Where to send the business",
        OnboardingLink,
        {401: "Not signed in", 403: f"Not allowed to change the workspace, or {CSRF}", 502: "Stripe failed"},
    ),
)
def post_connect() -> Response[OnboardingLink]:
    principal = current_principal(app)
    try:
        link = connect(principal.workspace, now=clock.utcnow())
    except stripe.StripeError as error:
        logger.exception("Stripe refused or failed to connect an account")
        raise StripeUnavailable("Stripe could not be reached or refused the request. Try again later.") from error
    return json_response(link)


handler = entry_point(app)
