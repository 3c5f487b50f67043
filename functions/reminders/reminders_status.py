"""GET /workspace/reminders/status: when reminders last ran for the workspace, and what comes next."""

from __future__ import annotations

from collectra import clock
from collectra.http.app import configure, current_principal_and, entry_point, json_response
from collectra.http.docs import responses
from collectra.reminders.models import RemindersStatus
from collectra.reminders.status import extra_keys, status_of

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.get(
    "/workspace/reminders/status",
    summary="The reminder engine, for this workspace",
    description="When the planner last ran (at all, and with a debt of this workspace to look at), the next "
    "reminders it will look at, soonest first, and the reminders that could not be sent because their template "
    "failed or exceeded its rendering budget, with the reason; `waiting_reason` says why reminders due now wait "
    "(no verified owner yet, or today's sending quota used up).",
    security=[{"cookieAuth": []}],
    tags=["reminders"],
    responses=responses(200, "The status", RemindersStatus, {401: "Not signed in"}),
)
def reminders_status() -> Response[RemindersStatus]:
    principal, (run, engine) = current_principal_and(app, extra_keys)
    return json_response(status_of(principal.workspace, run, engine, now=clock.utcnow()))


handler = entry_point(app)
