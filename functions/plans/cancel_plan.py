"""POST /plans/{id}/cancel: cancel a payment plan."""

from __future__ import annotations

from collectra.http.app import configure, entry_point
from collectra.http.plan_views import register_decision

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)
register_decision(
    app,
    "cancel",
    "Cancel a payment plan",
    "An offer not yet accepted is withdrawn; a plan under way is cancelled: its debts leave it, their reminders "
    "resume and their interest runs again. `reason` is kept with the plan.",
)

handler = entry_point(app)
