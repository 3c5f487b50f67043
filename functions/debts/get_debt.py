"""GET /debts/{id}: one debt, with what was paid, what is outstanding and how late it is."""

from __future__ import annotations

from typing import Annotated, Literal

from collectra import clock
from collectra.debts import service
from collectra.debts.charges import debt_charges
from collectra.debts.models import DebtorName, DebtView, DebtWithDebtor
from collectra.http.app import configure, entry_point, json_response
from collectra.http.docs import responses
from collectra.http.plan_views import debt_plan
from collectra.http.views import caller_and_debt

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Query

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.get(
    "/debts/<id>",
    summary="One debt",
    description="`include=debtor` adds who owes it (one more read), so a screen need not ask for the debtor after. "
    "`charges` shows the late-payment interest and compensation to the business's today when the workspace "
    "claims them (docs/late-payment.md); the debtor, whose kind the law depends on, is then read once. A debt an "
    "active payment plan holds shows the plan and its next instalment (the plan and its debts are read).",
    security=[{"cookieAuth": []}],
    tags=["debts"],
    responses=responses(200, "The debt", DebtWithDebtor, {401: "Not signed in", 404: "No such debt"}),
)
def get_debt(id: str, include: Annotated[Literal["debtor"] | None, Query()] = None) -> Response[DebtWithDebtor]:
    principal, debt = caller_and_debt(app, id)
    today = service.today_in(principal.workspace, clock.utcnow())
    found = None
    if include == "debtor":  # the same read serves the charges
        found = service.debtors_of(principal.workspace_id, [debt]).get(str(debt["debtor_id"]))
    charges = debt_charges(principal.workspace, debt, today=today, debtor=found)
    view = DebtView.of(debt, today=today, charges=charges, plan=debt_plan(principal.workspace_id, debt))
    debtor = DebtorName.of(found) if found else None
    return json_response(DebtWithDebtor(**view.model_dump(by_alias=True), debtor=debtor))


handler = entry_point(app)
