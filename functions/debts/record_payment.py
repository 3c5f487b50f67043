"""POST /debts/{id}/payments: book a payment received outside Collectra."""

from __future__ import annotations

from typing import Annotated

from collectra import clock
from collectra.debts import service
from collectra.debts.charges import debt_charges
from collectra.debts.charging import charging_of
from collectra.debts.models import DebtView, PaymentCreate
from collectra.debts.timeline import actor_user
from collectra.http.app import configure, entry_point, json_response
from collectra.http.docs import CSRF, responses
from collectra.http.views import caller_and_debt
from collectra.plans import service as plans
from collectra.promises import service as promises

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Body

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.post(
    "/debts/<id>/payments",
    summary="Record a payment",
    description="A bank transfer, cheque or cash received outside Collectra, partial or full. When the workspace "
    "claims late-payment charges, it is split over principal, interest and compensation due on `received_on`, in "
    "the workspace's `allocation` order, each part its own ledger line; the debt becomes partially paid or paid "
    "by its principal. A paid debt whose charges are still due (its debtor paid the invoice amount only) takes "
    "their payment and stays paid. More than the principal and charges due is refused (422 `overpayment`). "
    "A payment that reaches the debt's open promise keeps it at once; one that pays off its payment plan completes "
    "the plan.",
    security=[{"cookieAuth": []}],
    tags=["debts"],
    responses=responses(
        201,
        "The debt after the payment",
        DebtView,
        {401: "Not signed in", 403: CSRF, 404: "No such debt", 409: "Not payable in its state, or changed meanwhile"},
    ),
)
def post_payment(id: str, payment: Annotated[PaymentCreate, Body()]) -> Response[DebtView]:
    principal, debt = caller_and_debt(app, id)
    now = clock.utcnow()
    debtor = service.debtor_if_charged(principal.workspace, debt)
    updated = promises.record_payment(
        principal.workspace_id,
        debt,
        payment.model_dump(mode="json"),
        charging=charging_of(principal.workspace, debtor, now),
        actor=actor_user(principal.user_id),
        now=now,
    )
    held = updated.get("plan")
    if held:  # a payment toward a plan: it completes once everything is paid
        plans.settle(principal.workspace_id, held["id"], now=now)
        [updated] = plans.read_debts(principal.workspace_id, [updated["id"]])
    today = service.today_in(principal.workspace, now)
    charges = debt_charges(principal.workspace, updated, today=today, debtor=debtor)
    return json_response(DebtView.of(updated, today=today, charges=charges), status=201)


handler = entry_point(app)
