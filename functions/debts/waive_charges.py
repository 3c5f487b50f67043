"""POST /debts/{id}/waiver: give up a debt's late-payment interest, compensation or both."""

from __future__ import annotations

from typing import Annotated

from collectra import clock
from collectra.debts import service
from collectra.debts.charges import debt_charges
from collectra.debts.models import DebtView, Waiver
from collectra.debts.timeline import actor_user
from collectra.http.app import configure, entry_point, json_response
from collectra.http.docs import CSRF, responses
from collectra.http.views import caller_and_debt

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Body

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.post(
    "/debts/<id>/waiver",
    summary="Waive late-payment charges",
    description="The business gives up the interest, the fixed compensation or both on a debt it is still owed: "
    "nothing more of it is due, what was paid of it stays paid, and the timeline records it (`charges_waived`). "
    "A paid debt whose debtor paid the invoice amount only may still have charges to waive. "
    "Asking again changes nothing.",
    security=[{"cookieAuth": []}],
    tags=["debts"],
    responses=responses(
        200,
        "The debt as it now is",
        DebtView,
        {
            401: "Not signed in",
            403: CSRF,
            404: "No such debt",
            409: "The debt is cancelled or written off, or changed since `version`",
        },
    ),
)
def post_waiver(id: str, waiver: Annotated[Waiver, Body()]) -> Response[DebtView]:
    principal, debt = caller_and_debt(app, id)
    now = clock.utcnow()
    updated = service.waive_charges(
        principal.workspace_id, debt, waiver.model_dump(mode="json"), actor=actor_user(principal.user_id), now=now
    )
    today = service.today_in(principal.workspace, now)
    debtor = service.debtor_if_charged(principal.workspace, updated)
    return json_response(
        DebtView.of(
            updated, today=today, charges=debt_charges(principal.workspace, updated, today=today, debtor=debtor)
        )
    )


handler = entry_point(app)
