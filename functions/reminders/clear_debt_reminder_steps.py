"""DELETE /debts/{id}/reminder-steps: the debt follows the workspace's reminder steps again."""

from __future__ import annotations

from typing import Annotated

from collectra import clock
from collectra.debts.models import DebtView
from collectra.debts.service import today_in
from collectra.debts.timeline import actor_user
from collectra.http.app import configure, entry_point, json_response
from collectra.http.docs import CSRF, responses
from collectra.http.views import caller_and_debt
from collectra.reminders.debt_steps import set_steps

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Query

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.delete(
    "/debts/<id>/reminder-steps",
    summary="Back to the workspace's reminder steps",
    security=[{"cookieAuth": []}],
    tags=["reminders"],
    responses=responses(
        200, "The debt", DebtView, {401: "Not signed in", 403: CSRF, 404: "No such debt", 409: "Stale version"}
    ),
)
def delete_steps(id: str, version: Annotated[int, Query(ge=1)]) -> Response[DebtView]:
    principal, debt = caller_and_debt(app, id)
    now = clock.utcnow()
    updated = set_steps(principal.workspace, debt, None, version=version, actor=actor_user(principal.user_id), now=now)
    return json_response(DebtView.of(updated, today=today_in(principal.workspace, now)))


handler = entry_point(app)
