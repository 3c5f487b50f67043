"""POST /debts/{id}/reopen: Reopen a disputed debt."""

from __future__ import annotations

from collectra.debts.states import Action
from collectra.http import debt_actions
from collectra.http.app import configure, entry_point

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)
debt_actions.register(
    app,
    Action.REOPEN,
    "/debts/<id>/reopen",
    "Reopen a disputed debt",
    "The dispute is resolved in the business's favour; reminders resume.",
)

handler = entry_point(app)
