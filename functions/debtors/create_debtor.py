"""POST /debtors: record a customer who owes the business money."""

from __future__ import annotations

from typing import Annotated

from collectra import clock
from collectra.debtors.models import DebtorCreate, DebtorView
from collectra.debtors.service import create_debtor
from collectra.http.app import configure, current_principal, entry_point, json_response
from collectra.http.docs import CSRF, responses

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Body

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.post(
    "/debtors",
    summary="Record a debtor",
    security=[{"cookieAuth": []}],
    tags=["debtors"],
    responses=responses(201, "Recorded", DebtorView, {401: "Not signed in", 403: CSRF, 409: "external_ref taken"}),
)
def post_debtor(request: Annotated[DebtorCreate, Body()]) -> Response[DebtorView]:
    principal = current_principal(app)
    debtor = create_debtor(principal.workspace, request.model_dump(mode="json"), now=clock.utcnow())
    return json_response(DebtorView.of(debtor), status=201)


handler = entry_point(app)
