"""GET /workspace/analytics/summary: where the money is, per currency, as of a business day."""

from __future__ import annotations

from typing import Annotated

from collectra import clock
from collectra.analytics.summary import AnalyticsSummary, analytics_summary
from collectra.fields import CalendarDate
from collectra.http.app import configure, current_principal, entry_point, json_response
from collectra.http.docs import responses

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Query

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.get(
    "/workspace/analytics/summary",
    summary="Aging, DSO, CEI, days to pay, the month's money, reminders and the cash forecast",
    description="Per currency, never summed across currencies, as of the end of the business day `as_of` (the "
    "workspace's time zone; default today, up to now). Every figure is booked by when its change was recorded, not "
    "by a date the change names: a payment received last month and booked today counts today. So a month-end "
    "report re-run later gives the same figures. Each formula is written out in its field's description.",
    security=[{"cookieAuth": []}],
    tags=["analytics"],
    responses=responses(
        200, "The figures", AnalyticsSummary, {401: "Not signed in", 422: "as_of is not a date, or is after today"}
    ),
)
def get_analytics_summary(as_of: Annotated[CalendarDate | None, Query()] = None) -> Response[AnalyticsSummary]:
    principal = current_principal(app)
    return json_response(analytics_summary(principal.workspace, as_of, now=clock.utcnow()))


handler = entry_point(app)
