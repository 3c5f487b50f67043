"""POST /debts/{id}/cancel: Cancel a debt."""

from __future__ import annotations

from collectra.debts.states import Action
from collectra.http import debt_actions
from collectra.http.app import configure, entry_point

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)
debt_actions.register(
    app,
    Action.CANCEL,
    "/debts/<id>/cancel",
    "Cancel a debt",
    "The debtor no longer owes it (issued in error, credited). Reminders stop.",
)

handler = entry_point(app)
