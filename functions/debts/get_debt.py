"""GET /debts/{id}: one debt, with what was paid, what is outstanding and how late it is."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

from collectra import clock
from collectra.debts import service
from collectra.debts.models import DebtView
from collectra.http.app import configure, entry_point, json_response
from collectra.http.docs import responses
from collectra.http.views import caller_and_debt

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.get(
    "/debts/<id>",
    summary="One debt",
    security=[{"cookieAuth": []}],
    tags=["debts"],
    responses=responses(200, "The debt", DebtView, {401: "Not signed in", 404: "No such debt"}),
)
def get_debt(id: str) -> Response[DebtView]:
    principal, debt = caller_and_debt(app, id)
    return json_response(DebtView.of(debt, today=service.today_in(principal.workspace, clock.utcnow())))


handler = entry_point(app)
