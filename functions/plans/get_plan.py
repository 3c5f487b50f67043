"""GET /plans/{id}: one payment plan, with its progress."""

from __future__ import annotations

from collectra import clock
from collectra.http.app import configure, entry_point, json_response
from collectra.http.docs import responses
from collectra.http.plan_views import view
from collectra.http.views import caller_and_plan
from collectra.plans.models import PlanView

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.get(
    "/plans/<id>",
    summary="One payment plan",
    description="Its instalments with what covers each and their status on the business's today (paid, upcoming, "
    "due, overdue within the grace days, missed), what it asks for now, and how it is collected.",
    security=[{"cookieAuth": []}],
    tags=["plans"],
    responses=responses(200, "The plan", PlanView, {401: "Not signed in", 404: "No such plan"}),
)
def get_plan(id: str) -> Response[PlanView]:
    principal, plan = caller_and_plan(app, id)
    return json_response(view(principal, plan, clock.utcnow()))


handler = entry_point(app)
