"""GET /debts/{id}/timeline: everything that happened to a debt, oldest first."""

from __future__ import annotations

from typing import Annotated

from collectra.debts.models import Timeline, TimelineEntry
from collectra.debts.timeline import read_timeline
from collectra.http.app import configure, entry_point, json_response
from collectra.http.docs import responses
from collectra.http.views import caller_and_debt
from collectra.listing import MAX_PAGE_SIZE

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Query

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.get(
    "/debts/<id>/timeline",
    summary="A debt's timeline",
    description="Created or imported, edits (what changed), payments, status changes, pauses, page views, "
    "messages from the debtor and corrections of the debtor's details (`debtor_corrected`); oldest first.",
    security=[{"cookieAuth": []}],
    tags=["debts"],
    responses=responses(200, "One page of entries", Timeline, {401: "Not signed in", 404: "No such debt"}),
)
def get_timeline(
    id: str,
    cursor: Annotated[str | None, Query(max_length=2000)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 100,
) -> Response[Timeline]:
    principal, debt = caller_and_debt(app, id)
    items, next_cursor = read_timeline(principal.workspace_id, debt["id"], cursor=cursor, limit=limit)
    return json_response(
        Timeline(items=[TimelineEntry.model_validate(item) for item in items], next_cursor=next_cursor)
    )


handler = entry_point(app)
