"""POST /webhooks/brevo: Brevo's transactional email events (delivered, bounced, complaint, unsubscribed, ...)."""

from __future__ import annotations

import base64
from collections import Counter
from typing import Annotated

from collectra import clock
from collectra.http.app import configure, entry_point, json_response
from collectra.http.docs import responses
from collectra.models import Model
from collectra.observability import logger, metrics
from collectra.reminders.feedback import UnreadableEvent, check_token, handle, read_events

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.metrics import MetricUnit

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


class BrevoReceipt(Model):
    received: bool
    # recorded, suppressed, duplicate, unknown_message, not_the_recipient, ignored, unreadable; a batch: "kind=n,..."
    result: str


@app.post(
    "/webhooks/brevo",
    summary="Brevo's webhook",
    description="Brevo's transactional email events, one JSON object per request (or a list, for a batched "
    "webhook). Brevo does not sign them: the URL configured at Brevo carries the secret as `?token=`, compared "
    "in constant time; a missing or wrong one is refused with 401 and changes nothing. Each event is recorded "
    "once on its email's record; a hard bounce, an invalid address, a spam complaint or an unsubscribe stops "
    "reminders to that address in that workspace. An event whose address is not the one its message was sent to "
    "changes nothing (`not_the_recipient`). Events for unknown message ids are acknowledged and ignored; "
    "a transient failure answers 500 so that Brevo delivers the event again.",
    tags=["webhooks"],
    responses=responses(200, "Received", BrevoReceipt, {401: "Missing or wrong token"}),
)
def brevo_event(
    token: Annotated[str | None, Query(description="The webhook secret configured at Brevo")] = None,
) -> Response[BrevoReceipt]:
    check_token(token)
    request = app.current_event
    raw = request.body or ""
    payload = base64.b64decode(raw) if request.is_base64_encoded else raw.encode("utf-8")
    now = clock.utcnow()
    try:
        events = read_events(payload, received=now)
    except UnreadableEvent as error:
        # An authenticated body we cannot read will not read better the next time: acknowledge it, and say so.
        logger.warning("a Brevo webhook could not be read", extra={"problem": str(error)})
        metrics.add_metric(name="BrevoEvent_unreadable", unit=MetricUnit.Count, value=1)
        return json_response(BrevoReceipt(received=True, result="unreadable"))
    outcomes: Counter[str] = Counter()
    for event in events:
        outcome = handle(event, now=now)
        outcomes[outcome] += 1
        # The event and what became of it; never the address (personal data stays out of the logs).
        logger.info("brevo event", extra={"brevo_event": event.kind, "outcome": outcome})
    for outcome, count in outcomes.items():
        metrics.add_metric(name=f"BrevoEvent_{outcome}", unit=MetricUnit.Count, value=count)
    if len(events) == 1:
        result = next(iter(outcomes))
    else:
        result = ",".join(f"{outcome}={count}" for outcome, count in sorted(outcomes.items()))
    return json_response(BrevoReceipt(received=True, result=result))


# The provider's signature or token is checked over the body exactly as sent, and the handler reads it itself.
handler = entry_point(app, reads=None)
