"""POST /debts/{id}/dispute: Record a dispute."""

from __future__ import annotations

from collectra.debts.states import Action
from collectra.http import debt_actions
from collectra.http.app import configure, entry_point

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)
debt_actions.register(
    app,
    Action.DISPUTE,
    "/debts/<id>/dispute",
    "Record a dispute",
    "The debtor contests the debt; reminders stop until it is reopened.",
)

handler = entry_point(app)
