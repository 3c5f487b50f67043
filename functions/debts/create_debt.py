"""POST /debts: record what a debtor owes."""

from __future__ import annotations

from typing import Annotated

from collectra import clock
from collectra.debts import service
from collectra.debts.models import DebtCreate, DebtView
from collectra.debts.timeline import actor_user
from collectra.http.app import configure, current_principal, entry_point, json_response
from collectra.http.docs import CSRF, responses
from collectra.payments.chargeable import require_chargeable

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Body

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.post(
    "/debts",
    summary="Record a debt",
    description="`amount` is in minor units of `currency` (cents for EUR, yen for JPY). Line items, when "
    "given, must add up to the amount. The invoice number is unique in the workspace. A workspace connected "
    "to Stripe records only debts Stripe can charge: 422 `stripe_amount_refused` for a currency Stripe does "
    "not take, or an amount it cannot take exactly (a KWD amount not ending in 0, MGA with a fraction).",
    security=[{"cookieAuth": []}],
    tags=["debts"],
    responses=responses(
        201,
        "Recorded",
        DebtView,
        {
            401: "Not signed in",
            403: CSRF,
            404: "No such debtor",
            409: "Invoice number taken",
            422: "Invalid, or not payable through the workspace's Stripe",
        },
    ),
)
def post_debt(request: Annotated[DebtCreate, Body()]) -> Response[DebtView]:
    principal = current_principal(app)
    now = clock.utcnow()
    require_chargeable(principal.workspace, request.amount, request.currency)
    debt = service.create_debt(
        principal.workspace_id, request.model_dump(mode="json"), actor=actor_user(principal.user_id), now=now
    )
    return json_response(DebtView.of(debt, today=service.today_in(principal.workspace, now)), status=201)


handler = entry_point(app)
