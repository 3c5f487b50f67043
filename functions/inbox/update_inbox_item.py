"""PATCH /workspace/inbox/{id}: close or reopen an inbox item, assign it or unassign it."""

from __future__ import annotations

from typing import Annotated

from collectra import clock
from collectra.errors import InvalidInput
from collectra.http.app import configure, current_principal, entry_point, json_response
from collectra.http.docs import CSRF, responses
from collectra.inbox import changes
from collectra.inbox.models import InboxItemChange, InboxItemView

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Body

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.patch(
    "/workspace/inbox/<id>",
    summary="Close, reopen or assign an inbox item",
    description="Only the fields sent change: `state` (`done` closes it, `open` reopens it), `assignee_id` (a "
    "member's user id; `null` unassigns). Two members changing the same item at once both land: each change "
    "applies to the item as it then is.",
    security=[{"cookieAuth": []}],
    tags=["inbox"],
    responses=responses(
        200,
        "The item as it now is",
        InboxItemView,
        {401: "Not signed in", 403: CSRF, 404: "No such item", 422: "Not a member, or nothing to change"},
    ),
)
def patch_inbox_item(id: str, change: Annotated[InboxItemChange, Body()]) -> Response[InboxItemView]:
    sent = change.model_dump(mode="json", exclude_unset=True)
    if "state" in sent and sent["state"] is None:
        raise InvalidInput("state cannot be empty.", details=[{"field": "body.state"}])
    if not sent:
        raise InvalidInput("Send state or assignee_id.", details=[{"field": "body"}])
    principal = current_principal(app)
    updated = changes.update(principal.workspace_id, id, sent, now=clock.utcnow())
    return json_response(InboxItemView.model_validate(updated))


handler = entry_point(app)
