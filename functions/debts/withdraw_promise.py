"""DELETE /debts/{id}/promise: withdraw the debt's open promise to pay."""

from __future__ import annotations

from collectra import clock
from collectra.debts.models import DebtView
from collectra.debts.service import today_in
from collectra.debts.timeline import actor_user
from collectra.http.app import configure, entry_point, json_response
from collectra.http.docs import CSRF, responses
from collectra.http.views import caller_and_debt
from collectra.promises import service as promises

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.delete(
    "/debts/<id>/promise",
    summary="Withdraw a promise to pay",
    description="The promise is gone, counted neither kept nor broken (the timeline says it was withdrawn); "
    "reminders go on from where the debt's steps are.",
    security=[{"cookieAuth": []}],
    tags=["debts"],
    responses=responses(
        200,
        "The debt without a promise",
        DebtView,
        {401: "Not signed in", 403: CSRF, 404: "No such debt, or no open promise", 409: "Changed meanwhile"},
    ),
)
def withdraw_promise(id: str) -> Response[DebtView]:
    principal, debt = caller_and_debt(app, id)
    now = clock.utcnow()
    updated = promises.withdraw(principal.workspace, debt, actor=actor_user(principal.user_id), now=now)
    return json_response(DebtView.of(updated, today=today_in(principal.workspace, now)))


handler = entry_point(app)
