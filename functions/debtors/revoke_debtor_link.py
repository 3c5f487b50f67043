"""DELETE /debtors/{id}/link: the debtor's page link stops working."""

from __future__ import annotations

from collectra.debtors.links import revoke_link
from collectra.http.app import configure, entry_point, no_content
from collectra.http.docs import CSRF, responses
from collectra.http.views import caller_and_debtor

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.delete(
    "/debtors/<id>/link",
    summary="Revoke the page link",
    security=[{"cookieAuth": []}],
    tags=["debtors"],
    responses=responses(204, "Revoked", errors={401: "Not signed in", 403: CSRF, 404: "No such debtor"}),
)
def delete_link(id: str) -> Response[str]:
    principal, debtor = caller_and_debtor(app, id)
    revoke_link(principal.workspace_id, debtor)
    return no_content()


handler = entry_point(app)
