"""DELETE /workspace: an owner deletes the current workspace; their account stays."""

from __future__ import annotations

from typing import Annotated

from collectra import clock
from collectra.http import cookies
from collectra.http.app import configure, current_principal, entry_point, json_response
from collectra.http.docs import responses
from collectra.privacy.deletion import delete_workspace
from collectra.privacy.models import DeletionRequest, WorkspaceDeletionView

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Body

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.delete(
    "/workspace",
    summary="Delete the current workspace",
    description="Owners only; requires the password. At once: every session in the workspace ends (the "
    "cookies are cleared), debtors' page, payment and opt-out links stop working, no reminder is sent and no "
    "payment is taken. Within minutes: its personal data (names, emails, addresses, messages, emails) is "
    "erased; invoice numbers, amounts, dates and payment records are kept, anonymised, for the legal "
    "retention period, then removed. The account stays: its next sign-in lands in another workspace it "
    "belongs to, or answers 403 `no_workspace`.",
    security=[{"cookieAuth": []}],
    tags=["workspace"],
    responses=responses(
        202,
        "Deletion under way; the cookies are cleared",
        WorkspaceDeletionView,
        {401: "Not signed in", 403: "Not an owner, or CSRF", 422: "Wrong password"},
    ),
)
def delete_current_workspace(request: Annotated[DeletionRequest, Body()]) -> Response[WorkspaceDeletionView]:
    principal = current_principal(app)
    job = delete_workspace(principal.user, principal.workspace_id, request.password, now=clock.utcnow())
    return json_response(WorkspaceDeletionView.of(job), status=202, cookies=cookies.signed_out())


handler = entry_point(app)
