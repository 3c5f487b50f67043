"""GET /workspace/reminder-policy: when the workspace's reminders go out, and in which words."""

from __future__ import annotations

from collectra.http.app import configure, current_principal, entry_point, json_response
from collectra.http.docs import responses
from collectra.reminders.models import ReminderPolicyView

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.get(
    "/workspace/reminder-policy",
    summary="The reminder policy",
    description="The workspace's own policy, or the default one (-3, 0, +3, +7, +14 and +30 days from the due date, "
    "08:00-21:00 in the debtor's time zone, weekdays, at most 3 emails a week per debtor).",
    security=[{"cookieAuth": []}],
    tags=["reminders"],
    responses=responses(200, "The policy, and Collectra's own wording", ReminderPolicyView, {401: "Not signed in"}),
)
def get_policy() -> Response[ReminderPolicyView]:
    principal = current_principal(app)
    return json_response(ReminderPolicyView.of(principal.workspace))


handler = entry_point(app)
