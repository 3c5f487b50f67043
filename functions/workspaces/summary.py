"""GET /workspace/summary: what needs attention today, for the business's home screen, in one request."""

from __future__ import annotations

from collectra import clock
from collectra.home.summary import WorkspaceSummary, extra_keys, summarise
from collectra.http.app import configure, current_principal_and, entry_point, json_response
from collectra.http.docs import responses

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.get(
    "/workspace/summary",
    summary="What needs attention today",
    description="The home screen's figures in one call: the outstanding amount of overdue debts per currency (never "
    "summed across currencies), how many debts are in each status, the latest messages debtors sent from their "
    "pages and the latest disputes (each with its debt), the payments recorded in the last 7 days (count and "
    "amount per currency), the reminders sent and failed in the last 7 days, and when the reminder engine last "
    "ran and will next look at a debt of this workspace.",
    security=[{"cookieAuth": []}],
    tags=["workspace"],
    responses=responses(200, "The summary", WorkspaceSummary, {401: "Not signed in"}),
)
def workspace_summary() -> Response[WorkspaceSummary]:
    now = clock.utcnow()
    principal, (engine, sending_day) = current_principal_and(app, lambda workspace_id: extra_keys(workspace_id, now))
    return json_response(summarise(principal.workspace, engine, sending_day, now=now))


handler = entry_point(app)
