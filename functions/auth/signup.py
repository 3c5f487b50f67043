"""POST /auth/signup: create an account and its workspace, and sign in."""

from __future__ import annotations

from typing import Annotated

from collectra import clock
from collectra.access import Role
from collectra.auth.models import SignupRequest, UserView
from collectra.http import cookies
from collectra.http.app import configure, entry_point, json_response
from collectra.http.docs import responses
from collectra.workspaces import signup
from collectra.workspaces.models import WorkspaceView
from collectra.workspaces.session_views import SessionView

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Body

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.post(
    "/auth/signup",
    summary="Create an account and its workspace",
    description="Creates the user and a workspace they own, signs them in (cookies) and emails a verification link.",
    tags=["auth"],
    responses=responses(201, "Signed up and signed in", SessionView, {409: "Email already registered"}),
)
def sign_up(request: Annotated[SignupRequest, Body()]) -> Response[SessionView]:
    signed_in, workspace = signup.sign_up(
        request.email, request.password, request.name, request.workspace_name, now=clock.utcnow()
    )
    view = SessionView(
        user=UserView.model_validate(signed_in.user),
        workspace=WorkspaceView.of(workspace),
        role=Role.OWNER.value,
    )
    return json_response(view, status=201, cookies=cookies.signed_in(signed_in.access_token, signed_in.refresh_token))


handler = entry_point(app)
