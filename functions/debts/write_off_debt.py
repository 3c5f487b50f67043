"""POST /debts/{id}/write-off: Write a debt off."""

from __future__ import annotations

from collectra.debts.states import Action
from collectra.http import debt_actions
from collectra.http.app import configure, entry_point

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)
debt_actions.register(
    app,
    Action.WRITE_OFF,
    "/debts/<id>/write-off",
    "Write a debt off",
    "The business gives up collecting it. Reminders stop.",
)

handler = entry_point(app)
