"""POST /auth/switch-workspace: continue the session in another workspace the user belongs to."""

from __future__ import annotations

from typing import Annotated

from collectra import clock
from collectra.auth.models import SwitchWorkspaceRequest
from collectra.http import cookies
from collectra.http.app import configure, current_principal, entry_point, json_response
from collectra.http.docs import CSRF, responses
from collectra.workspaces import switching
from collectra.workspaces.session_views import SessionView

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Body

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.post(
    "/auth/switch-workspace",
    summary="Switch workspace",
    description="Sets a new access_token cookie for the chosen workspace (a token carries exactly one); the "
    "session, its refresh token and the next sign-in continue there.",
    security=[{"cookieAuth": []}],
    tags=["auth"],
    responses=responses(
        200, "Now in that workspace", SessionView, {401: "Not signed in", 403: CSRF, 404: "Not a member of it"}
    ),
)
def switch(request: Annotated[SwitchWorkspaceRequest, Body()]) -> Response[SessionView]:
    switched, access_token = switching.switch(current_principal(app), request.workspace_id, now=clock.utcnow())
    return json_response(SessionView.of(switched), cookies=[cookies.access_token(access_token)])


handler = entry_point(app)
