"""PUT /workspace/reminder-policy: replace the workspace's reminder policy (steps, hours, days, templates)."""

from __future__ import annotations

from collectra import clock
from collectra.http.app import configure, current_principal, entry_point, json_response
from collectra.http.docs import CSRF, responses
from collectra.reminders.models import ReminderPolicy
from collectra.reminders.policies import save_policy

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.put(
    "/workspace/reminder-policy",
    summary="Set the reminder policy",
    description="Steps in order of offset; a template that uses an unknown variable, or lacks {{ pay_link }} or "
    "{{ opt_out_link }}, is refused with the reason (422). So is one that fails when rendered with sample data of "
    "every shape (one or many invoices, part paid, each currency kind and language) or exceeds its rendering "
    "budget (time, loops, sizes): 422 `invalid_template`. Debts already scheduled follow the new policy from "
    "their next look.",
    security=[{"cookieAuth": []}],
    tags=["reminders"],
    responses=responses(
        200,
        "The policy as saved",
        ReminderPolicy,
        {
            401: "Not signed in",
            403: f"Not allowed, or {CSRF}",
            422: "Invalid policy, or a template that cannot be sent (invalid_template)",
        },
    ),
)
def put_policy(policy: ReminderPolicy) -> Response[ReminderPolicy]:
    principal = current_principal(app)
    return json_response(save_policy(principal.workspace_id, policy, now=clock.utcnow()))


handler = entry_point(app)
