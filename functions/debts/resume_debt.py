"""POST /debts/{id}/resume: Resume reminders."""

from __future__ import annotations

from collectra.debts.states import Action
from collectra.http import debt_actions
from collectra.http.app import configure, entry_point

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)
debt_actions.register(
    app, Action.RESUME, "/debts/<id>/resume", "Resume reminders", "Reminders follow the policy again."
)

handler = entry_point(app)
