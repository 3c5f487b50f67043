"""POST /debtors/{id}/link: a new secret page link for the debtor; the previous one stops working."""

from __future__ import annotations

from collectra.debtors.links import page_url, rotate_link
from collectra.debtors.models import LinkView
from collectra.http.app import configure, entry_point, json_response
from collectra.http.docs import CSRF, responses
from collectra.http.views import caller_and_debtor

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.post(
    "/debtors/<id>/link",
    summary="Make a new page link",
    description="The URL is shown this once: Collectra keeps only a hash of its token.",
    security=[{"cookieAuth": []}],
    tags=["debtors"],
    responses=responses(
        201,
        "The new link",
        LinkView,
        {401: "Not signed in", 403: CSRF, 404: "No such debtor", 409: "The debtor was erased"},
    ),
)
def post_link(id: str) -> Response[LinkView]:
    principal, debtor = caller_and_debtor(app, id)
    token = rotate_link(principal.workspace_id, debtor)
    return json_response(LinkView(url=page_url(token)), status=201)


handler = entry_point(app)
