"""GET /debtors/{id}: one debtor."""

from __future__ import annotations

from collectra.debtors.models import DebtorView
from collectra.errors import NotFound
from collectra.http.app import configure, entry_point, json_response
from collectra.http.docs import responses
from collectra.http.views import caller_and_debtor

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.get(
    "/debtors/<id>",
    summary="One debtor",
    security=[{"cookieAuth": []}],
    tags=["debtors"],
    responses=responses(
        200,
        "The debtor",
        DebtorView,
        {401: "Not signed in", 404: "No such debtor (`debtor_not_found`), or erased (`debtor_erased`)"},
    ),
)
def get_debtor(id: str) -> Response[DebtorView]:
    _, debtor = caller_and_debtor(app, id)
    if debtor.get("erased"):  # what is kept of them is accounting, not a debtor anyone can look up
        raise NotFound("This debtor's personal data was erased.", code="debtor_erased")
    return json_response(DebtorView.of(debtor))


handler = entry_point(app)
