"""PUT /workspace/reminder-policy: replace the workspace's reminder policy (steps, hours, days, templates)."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

from collectra import clock, store
from collectra.clock import iso
from collectra.http.app import configure, current_principal, entry_point, json_response
from collectra.http.docs import CSRF, responses
from collectra.reminders.models import ReminderPolicy
from collectra.store import keys

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.put(
    "/workspace/reminder-policy",
    summary="Set the reminder policy",
    description="Steps in order of offset; a template that uses an unknown variable, or lacks {{ pay_link }} or "
    "{{ opt_out_link }}, is refused with the reason (422). Debts already scheduled follow the new policy from "
    "their next look.",
    security=[{"cookieAuth": []}],
    tags=["reminders"],
    responses=responses(
        200, "The policy as saved", ReminderPolicy, {401: "Not signed in", 403: f"Not allowed, or {CSRF}"}
    ),
)
def put_policy(policy: ReminderPolicy) -> Response[ReminderPolicy]:
    principal = current_principal(app)
    store.update(
        keys.workspace(principal.workspace_id),
        "SET reminder_policy = :policy, updated_at = :now ADD version :one",
        values={":policy": policy.model_dump(mode="json"), ":now": iso(clock.utcnow()), ":one": 1},
        condition="attribute_exists(pk)",
    )
    return json_response(policy)


handler = entry_point(app)
