"""DELETE /debtors/{id}: erase a debtor's personal data, keeping the accounting trail."""

from __future__ import annotations

from collectra import clock
from collectra.debtors.models import DebtorView
from collectra.http.app import configure, entry_point, json_response
from collectra.http.docs import CSRF, responses
from collectra.http.views import caller_and_debtor
from collectra.privacy.debtor_erasure import erase_debtor

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.delete(
    "/debtors/<id>",
    summary="Erase a debtor",
    description="Refused (409) while the debtor has open debts. Otherwise name, email, phone, company, notes "
    "and reference are erased, the page link stops working, and the debts stay, pointing at an anonymous "
    "debtor. Erasing twice answers the same.",
    security=[{"cookieAuth": []}],
    tags=["debtors"],
    responses=responses(
        200,
        "The anonymised debtor",
        DebtorView,
        {401: "Not signed in", 403: CSRF, 404: "No such debtor", 409: "Open debts"},
    ),
)
def delete_debtor(id: str) -> Response[DebtorView]:
    principal, debtor = caller_and_debtor(app, id)
    return json_response(DebtorView.of(erase_debtor(principal.workspace_id, debtor, now=clock.utcnow())))


handler = entry_point(app)
