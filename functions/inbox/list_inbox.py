"""GET /workspace/inbox: what needs a person, newest first, one page at a time."""

from __future__ import annotations

from typing import Annotated

from collectra.http.app import configure, current_principal, entry_point, json_response
from collectra.http.docs import responses
from collectra.inbox import lists
from collectra.inbox.items import Kind, State
from collectra.inbox.models import MAX_PAGE_SIZE, PAGE_SIZE, InboxList

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Query

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.get(
    "/workspace/inbox",
    summary="List the inbox",
    description="The workspace's items that need a person (a debtor's question, a dispute, a bounced address, a "
    "failed payment...), of one `state` (open by default), newest first, optionally of one `kind` and/or "
    "assigned to one member (`assignee`, a user id). Follow `next_cursor` until it is null. `open_count` counts "
    "the workspace's open items whatever the filters.",
    security=[{"cookieAuth": []}],
    tags=["inbox"],
    responses=responses(200, "One page", InboxList, {401: "Not signed in"}),
)
def get_inbox(
    state: Annotated[State, Query()] = "open",
    kind: Annotated[Kind | None, Query()] = None,
    assignee: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    cursor: Annotated[str | None, Query(max_length=2000)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = PAGE_SIZE,
) -> Response[InboxList]:
    principal = current_principal(app)
    answer = lists.listing(
        principal.workspace_id, state=state, kind=kind, assignee_id=assignee, cursor=cursor, limit=limit
    )
    return json_response(InboxList.model_validate(answer))


handler = entry_point(app)
