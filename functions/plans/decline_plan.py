"""POST /plans/{id}/decline: decline a proposed payment plan."""

from __future__ import annotations

from collectra.http.app import configure, entry_point
from collectra.http.plan_views import register_decision

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)
register_decision(
    app,
    "decline",
    "Decline a proposed payment plan",
    "The debtor is told; nothing changes on the debts. `reason` is kept with the plan.",
)

handler = entry_point(app)
