"""DELETE /account: delete the signed-in user's account (and each workspace they are the last owner of)."""

from __future__ import annotations

from typing import Annotated

from collectra import clock
from collectra.http import cookies
from collectra.http.app import configure, current_principal, entry_point, json_response
from collectra.http.docs import CSRF, responses
from collectra.privacy.deletion import delete_account
from collectra.privacy.models import AccountDeletedView, DeletionRequest

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Body

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.delete(
    "/account",
    summary="Delete my account",
    description="Requires the password. Every session of the account ends at once and the cookies are cleared. "
    "The account's name, email address and password go. A workspace the account is the last owner of is "
    "deleted with it (as `DELETE /workspace`: its personal data erased, its accounting records kept "
    "anonymised for the legal retention period); the other workspaces go on without it, and their timelines "
    "show an anonymous member where it acted.",
    security=[{"cookieAuth": []}],
    tags=["auth"],
    responses=responses(
        200,
        "Deleted; the cookies are cleared",
        AccountDeletedView,
        {401: "Not signed in", 403: CSRF, 422: "Wrong password"},
    ),
)
def delete_my_account(request: Annotated[DeletionRequest, Body()]) -> Response[AccountDeletedView]:
    principal = current_principal(app)
    outcome = delete_account(principal.user, request.password, now=clock.utcnow())
    return json_response(AccountDeletedView.of(outcome), cookies=cookies.signed_out())


handler = entry_point(app)
