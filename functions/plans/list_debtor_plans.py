"""GET /debtors/{id}/plans: a debtor's payment plans, newest first."""

from __future__ import annotations

from collectra import clock
from collectra.http.app import configure, entry_point, json_response
from collectra.http.docs import responses
from collectra.http.plan_views import views
from collectra.http.views import caller_and_debtor
from collectra.plans import service
from collectra.plans.models import PlanList

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.get(
    "/debtors/<id>/plans",
    summary="A debtor's payment plans",
    description="Every plan of the debtor, newest first, each with its progress as its debts now stand.",
    security=[{"cookieAuth": []}],
    tags=["plans"],
    responses=responses(200, "The debtor's plans", PlanList, {401: "Not signed in", 404: "No such debtor"}),
)
def get_plans(id: str) -> Response[PlanList]:
    principal, debtor = caller_and_debtor(app, id)
    plans = service.plans_of_debtor(principal.workspace_id, debtor["id"])
    return json_response(PlanList(items=views(principal, plans, clock.utcnow())))


handler = entry_point(app)
