"""POST /workspace/inbox/{id}/answer: answer a debtor's question by email, from the inbox."""

from __future__ import annotations

from typing import Annotated

from collectra import clock
from collectra.http.app import configure, current_principal, entry_point, json_response
from collectra.http.docs import responses
from collectra.inbox.models import InboxAnswer, InboxItemView
from collectra.reminders import answers

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Body

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.post(
    "/workspace/inbox/<id>/answer",
    summary="Answer a debtor's question",
    description="Emails `message` to the debtor under the reminders' rules (verified sender, the debtor not opted out "
    "nor bounced, the workspace's daily quota), records it on the debt's timeline (`business_answer`) and on the "
    "debtor's page, and closes the question (`closed_reason`: `answered`). Sent once: asking again, after a double "
    "click or a retry, answers the item as it is and sends nothing more.",
    security=[{"cookieAuth": []}],
    tags=["inbox"],
    responses=responses(
        200,
        "The question, answered",
        InboxItemView,
        {
            401: "Not signed in",
            403: "CSRF, or an unverified sender",
            404: "No such item",
            409: "Not a question, closed, being answered, or the debtor may not be emailed",
            429: "The workspace's daily sending quota is used up",
        },
    ),
)
def answer_question(id: str, request: Annotated[InboxAnswer, Body()]) -> Response[InboxItemView]:
    principal = current_principal(app)
    answered = answers.answer(principal, id, request.message, now=clock.utcnow())
    return json_response(InboxItemView.model_validate(answered))


handler = entry_point(app)
