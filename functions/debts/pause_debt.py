"""POST /debts/{id}/pause: Pause reminders."""

from __future__ import annotations

from collectra.debts.states import Action
from collectra.http import debt_actions
from collectra.http.app import configure, entry_point

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)
debt_actions.register(
    app, Action.PAUSE, "/debts/<id>/pause", "Pause reminders", "No reminder is sent for this debt until it is resumed."
)

handler = entry_point(app)
