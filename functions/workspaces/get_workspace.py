"""GET /workspace: the signed-in user's current workspace."""

from __future__ import annotations

from collectra.http.app import configure, current_principal, entry_point, json_response
from collectra.http.docs import responses
from collectra.workspaces.models import WorkspaceView

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.get(
    "/workspace",
    summary="The current workspace",
    security=[{"cookieAuth": []}],
    tags=["workspace"],
    responses=responses(200, "The workspace", WorkspaceView, {401: "Not signed in"}),
)
def get_workspace() -> Response[WorkspaceView]:
    principal = current_principal(app)
    return json_response(WorkspaceView.of(principal.workspace))


handler = entry_point(app)
