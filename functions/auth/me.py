"""GET /auth/me: who is signed in, their workspace and role."""

from __future__ import annotations

from collectra.http.app import configure, current_principal, entry_point, json_response
from collectra.http.docs import responses
from collectra.workspaces.session_views import SessionView

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.get(
    "/auth/me",
    summary="The signed-in user",
    security=[{"cookieAuth": []}],
    tags=["auth"],
    responses=responses(200, "The signed-in user", SessionView, {401: "Not signed in"}),
)
def me() -> Response[SessionView]:
    principal = current_principal(app)
    return json_response(SessionView.of(principal))


handler = entry_point(app)
