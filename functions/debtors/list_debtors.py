"""GET /debtors: the workspace's debtors, by name, one page at a time."""

from __future__ import annotations

from typing import Annotated, Literal

from collectra.debtors.models import DebtorList, DebtorView
from collectra.debtors.service import list_debtors
from collectra.http.app import configure, current_principal, entry_point, json_response
from collectra.http.docs import responses
from collectra.listing import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Query

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.get(
    "/debtors",
    summary="List debtors",
    description="Sorted by name, A to Z (`sort=name`, the default) or Z to A (`sort=-name`); a search by email "
    "is sorted by email address the same way. `search` matches the start of the name (accents and case ignored) "
    "or, when it contains @, of the email address. Pass `next_cursor` back as `cursor` for the next page, with the "
    "same `sort`.",
    security=[{"cookieAuth": []}],
    tags=["debtors"],
    responses=responses(200, "One page", DebtorList, {401: "Not signed in"}),
)
def get_debtors(
    search: Annotated[str | None, Query(max_length=100)] = None,
    has_open_debts: Annotated[bool | None, Query()] = None,
    cursor: Annotated[str | None, Query(max_length=2000)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
    sort: Annotated[Literal["name", "-name"], Query()] = "name",
) -> Response[DebtorList]:
    principal = current_principal(app)
    items, next_cursor = list_debtors(
        principal.workspace_id,
        search=search,
        has_open_debts=has_open_debts,
        cursor=cursor,
        limit=limit,
        descending=sort == "-name",
    )
    return json_response(DebtorList(items=[DebtorView.of(item) for item in items], next_cursor=next_cursor))


handler = entry_point(app)
