"""PATCH /workspace: change the workspace's name, legal identity, sender and defaults."""

from __future__ import annotations

from typing import Annotated

from collectra import clock
from collectra.http.app import configure, current_principal, entry_point, json_response
from collectra.http.docs import responses
from collectra.workspaces.models import WorkspaceUpdate, WorkspaceView
from collectra.workspaces.service import update_workspace

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Body

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.patch(
    "/workspace",
    summary="Change the current workspace",
    description="Only the fields sent change. The legal name and postal address are shown in emails to debtors. "
    "`late_payment` is replaced whole: whether and how debtors who pay late are charged the statutory interest "
    "and fixed compensation (docs/late-payment.md); a contractual rate below the law's floor is refused (422 "
    "`contractual_rate_below_floor`, naming body.late_payment.contractual_rate) and nothing changes. Owners and "
    "admins only.",
    security=[{"cookieAuth": []}],
    tags=["workspace"],
    responses=responses(
        200,
        "The workspace as it now is",
        WorkspaceView,
        {
            401: "Not signed in",
            403: "Role may not change settings, or CSRF",
            422: "Invalid, or a contractual rate below the law's floor",
        },
    ),
)
def patch_workspace(changes: Annotated[WorkspaceUpdate, Body()]) -> Response[WorkspaceView]:
    principal = current_principal(app)
    return json_response(WorkspaceView.of(update_workspace(principal.workspace, changes, now=clock.utcnow())))


handler = entry_point(app)
