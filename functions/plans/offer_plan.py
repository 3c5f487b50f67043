"""POST /debtors/{id}/plans: offer a debtor a payment plan."""

from __future__ import annotations

from typing import Annotated

from collectra import clock
from collectra.debts.timeline import actor_user
from collectra.http.app import configure, entry_point, json_response
from collectra.http.docs import CSRF, responses
from collectra.http.plan_views import view
from collectra.http.views import caller_and_debtor
from collectra.plans import service
from collectra.plans.models import PlanOffer, PlanView

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Body

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.post(
    "/debtors/<id>/plans",
    summary="Offer a payment plan",
    description="Instalments over one or more of the debtor's debts (open or partly paid, one currency, none with "
    "a payment on its way): their principal outstanding is the total, split equally (the last taking the rounding) "
    "unless every amount is given. 2 to 12 instalments, the first from the business's today, each at least 7 days "
    "after the one before (422 `plan_schedule_refused` naming the field, e.g. body.instalments[2].due_on). The "
    "debtor accepts it on their page; until then the plan is `offered`. One plan proposed, offered or active per "
    "debtor (409 `plan_exists`).",
    security=[{"cookieAuth": []}],
    tags=["plans"],
    responses=responses(
        201,
        "The plan offered",
        PlanView,
        {
            401: "Not signed in",
            403: CSRF,
            404: "No such debtor, or a debt not theirs",
            409: "The debtor has an open plan (`plan_exists`), a debt is not being collected (`debt_not_collectible`) "
            "or in a plan (`debt_in_plan`), or changed meanwhile (`version_conflict`)",
            422: "Invalid, or a schedule the rules refuse (`plan_schedule_refused`)",
        },
    ),
)
def post_plan(id: str, offer: Annotated[PlanOffer, Body()]) -> Response[PlanView]:
    principal, debtor = caller_and_debtor(app, id)
    now = clock.utcnow()
    debts = service.read_debts(principal.workspace_id, offer.debt_ids)
    plan = service.offer(
        principal.workspace,
        debtor,
        debts,
        [instalment.model_dump() for instalment in offer.instalments],
        actor=actor_user(principal.user_id),
        now=now,
        note=offer.note,
    )
    return json_response(view(principal, plan, now), status=201)


handler = entry_point(app)
