"""POST /webhooks/stripe: Stripe's signed events settle debts, book refunds and chargebacks, track accounts."""

from __future__ import annotations

import base64

from collectra import clock
from collectra.errors import Contention
from collectra.http.app import configure, entry_point, json_response
from collectra.http.docs import responses
from collectra.http.errors import from_unexpected_error
from collectra.observability import logger, metrics
from collectra.payments.views import WebhookReceipt
from collectra.payments.webhook import apply, verify

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.metrics import MetricUnit

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)
# Records others kept writing (TransactionConflict, retried in vain) are a 409 for people, but Stripe must
# see the 500 that makes it deliver the event again later, as for any other transient failure here.
app.exception_handler(Contention)(from_unexpected_error)


@app.post(
    "/webhooks/stripe",
    summary="Stripe's webhook",
    description="Signed by Stripe (`Stripe-Signature`, checked over the raw body against every configured "
    "signing secret, within Stripe's 5-minute tolerance). Each event is applied once; unknown types are "
    "acknowledged and ignored; a live event in test mode (or the reverse) is refused. A transient failure "
    "answers 500 so that Stripe delivers the event again.",
    tags=["webhooks"],
    responses=responses(200, "Received", WebhookReceipt, {400: "Bad signature or wrong mode"}),
)
def stripe_event() -> Response[WebhookReceipt]:
    request = app.current_event
    raw = request.body or ""
    payload = base64.b64decode(raw) if request.is_base64_encoded else raw.encode("utf-8")
    event = verify(payload, request.headers.get("stripe-signature"))
    logger.append_keys(stripe_event_id=event.get("id"), stripe_event_type=event.get("type"))
    result = apply(event, now=clock.utcnow())
    logger.info("stripe event handled", extra={"result": result})
    metrics.add_metric(name=f"StripeEvent_{result}", unit=MetricUnit.Count, value=1)
    return json_response(WebhookReceipt(received=True, result=result))


# The provider's signature or token is checked over the body exactly as sent, and the handler reads it itself.
handler = entry_point(app, reads=None)
