"""POST /plans/{id}/approve: approve a proposed payment plan."""

from __future__ import annotations

from collectra.http.app import configure, entry_point
from collectra.http.plan_views import register_decision

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)
register_decision(
    app,
    "approve",
    "Approve a proposed payment plan",
    "The debtor's proposal starts: its debts are shown in_plan, their reminders follow the instalments and their "
    "interest pauses (docs/late-payment.md). Only a proposed plan whose first instalment date has not passed.",
)

handler = entry_point(app)
