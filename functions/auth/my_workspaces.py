"""GET /auth/workspaces: the workspaces the signed-in user belongs to."""

from __future__ import annotations

from collectra.http.app import configure, current_principal, entry_point, json_response
from collectra.http.docs import responses
from collectra.workspaces import switching
from collectra.workspaces.session_views import MyWorkspacesView, MyWorkspaceView

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.get(
    "/auth/workspaces",
    summary="My workspaces",
    description="Each with the user's role there; `current` marks the one this session is in.",
    security=[{"cookieAuth": []}],
    tags=["auth"],
    responses=responses(200, "The workspaces", MyWorkspacesView, {401: "Not signed in"}),
)
def my_workspaces() -> Response[MyWorkspacesView]:
    found = switching.my_workspaces(current_principal(app))
    return json_response(MyWorkspacesView(workspaces=[MyWorkspaceView.model_validate(item) for item in found]))


handler = entry_point(app)
