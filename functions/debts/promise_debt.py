"""POST /debts/{id}/promise: record the debtor's promise to pay (an amount by a date)."""

from __future__ import annotations

from typing import Annotated

from collectra import clock
from collectra.debts.models import DebtView, PromiseCreate
from collectra.debts.service import today_in
from collectra.debts.timeline import actor_user
from collectra.http.app import configure, entry_point, json_response
from collectra.http.docs import CSRF, responses
from collectra.http.views import caller_and_debt
from collectra.promises import service as promises

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Body

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.post(
    "/debts/<id>/promise",
    summary="Record a promise to pay",
    description="The debtor promised (by phone, by email) to pay `amount` (all that is outstanding when left out) "
    "by `on`. Reminders hold until the promise is kept (that much paid since it was made: at once, on the payment "
    "that reaches it) or broken (not paid when the day after `on` ends in the workspace's time zone: the timeline "
    'says so, the inbox gets an item, and reminders resume at once with a "you promised" email). One open '
    "promise per debt: a new one replaces it. The debtor's kept and broken promises are counted on the debtor.",
    security=[{"cookieAuth": []}],
    tags=["debts"],
    responses=responses(
        200,
        "The debt with its promise",
        DebtView,
        {
            401: "Not signed in",
            403: CSRF,
            404: "No such debt",
            409: "The debt is not being collected, or changed since it was read",
            422: "An amount or date out of bounds (the error names the field)",
        },
    ),
)
def promise_debt(id: str, promise: Annotated[PromiseCreate, Body()]) -> Response[DebtView]:
    principal, debt = caller_and_debt(app, id)
    now = clock.utcnow()
    updated = promises.make(
        principal.workspace,
        debt,
        amount=promise.amount,
        on=promise.on,
        actor=actor_user(principal.user_id),
        now=now,
        version=promise.version,
    )
    return json_response(DebtView.of(updated, today=today_in(principal.workspace, now)))


handler = entry_point(app)
