"""POST /workspace/members: invite someone by email into the workspace."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Body

from collectra import clock
from collectra.http.app import configure, current_principal, entry_point, json_response
from collectra.http.docs import CSRF, responses
from collectra.workspaces import invitations
from collectra.workspaces.models import InvitationView, InviteRequest

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.post(
    "/workspace/members",
    summary="Invite a member",
    description="Emails a link that works once, for 7 days; the invitee signs up, or signs in, with it. Owners and "
    "admins invite; only an owner invites an owner. Inviting the same address again replaces the first link.",
    security=[{"cookieAuth": []}],
    tags=["team"],
    responses=responses(
        201,
        "The pending invitation",
        InvitationView,
        {401: "Not signed in", 403: f"Role may not invite (this role), or {CSRF}", 409: "Already a member"},
    ),
)
def invite_member(request: Annotated[InviteRequest, Body()]) -> Response[InvitationView]:
    principal = current_principal(app)
    invitation = invitations.invite(principal, request.email, request.role, now=clock.utcnow())
    return json_response(InvitationView.of(invitation), status=201)


handler = entry_point(app)
