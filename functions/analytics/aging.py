"""GET /workspace/analytics/aging: what each debtor owed, by how late, as of any date."""

from __future__ import annotations

from typing import Annotated, Literal

from collectra import clock
from collectra.analytics.aging import aging_page, check_as_of
from collectra.analytics.models import AgingByDebtor, AgingReport
from collectra.fields import CalendarDate, Currency
from collectra.http.app import configure, current_principal, entry_point, json_response
from collectra.http.docs import responses
from collectra.listing import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Query

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.get(
    "/workspace/analytics/aging",
    summary="Aging by debtor, as of a date",
    description="Per debtor and currency (never summed across currencies), what was outstanding at the end of "
    "`as_of` (the workspace's time zone; default today) on open, partially paid and disputed debts, in five "
    "buckets of days past due on that date: days past due = as_of - due date; not_due <= 0, then 1-30, 31-60, "
    "61-90 and over 90. Figures are taken from each debt's history as it was recorded: a change is counted from "
    "when it was recorded, never from a date it names (a payment received last month and booked today counts "
    "from today), so a report for a past date gives the same figures whenever it is run. Debtors by name; a page "
    "reads `limit` debtors and leaves out those who owed nothing, so it may hold fewer rows: follow `next_cursor` "
    "until it is null.",
    security=[{"cookieAuth": []}],
    tags=["analytics"],
    responses=responses(200, "One page of the report", AgingReport, {401: "Not signed in"}),
)
def get_aging(
    as_of: Annotated[CalendarDate | None, Query(description="YYYY-MM-DD, not after today; default today")] = None,
    group_by: Annotated[Literal["debtor"], Query()] = "debtor",
    currency: Annotated[Currency | None, Query()] = None,
    cursor: Annotated[str | None, Query(max_length=2000)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
) -> Response[AgingReport]:
    principal = current_principal(app)
    now = clock.utcnow()
    day = check_as_of(principal.workspace, as_of, now=now)
    rows, next_cursor = aging_page(
        principal.workspace, as_of=day, now=now, currency=currency, cursor=cursor, limit=limit
    )
    items = [AgingByDebtor.of(row) for row in rows]
    return json_response(AgingReport(as_of=day, group_by=group_by, items=items, next_cursor=next_cursor))


handler = entry_point(app)
