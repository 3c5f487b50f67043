"""POST /workspace/members: invite someone by email into the workspace."""

from __future__ import annotations

from typing import Annotated

from collectra import clock
from collectra.http.app import configure, current_principal, entry_point, json_response
from collectra.http.docs import CSRF, responses
from collectra.workspaces import invitations
from collectra.workspaces.models import InvitationView, InviteRequest

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Body

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.post(
    "/workspace/members",
    summary="Invite a member",
    description="Emails a link that works once, for 7 days; the invitee signs up, or signs in, with it. Owners and "
    "admins invite, once their own address is verified; only an owner invites an owner. Inviting the same address "
    "again replaces the first link. An address gets at most one invitation email an hour; a workspace has at most "
    "50 invitations pending.",
    security=[{"cookieAuth": []}],
    tags=["team"],
    responses=responses(
        201,
        "The pending invitation",
        InvitationView,
        {
            401: "Not signed in",
            403: f"Role may not invite (this role), your address is not verified (email_not_verified), or {CSRF}",
            409: "Already a member, or 50 invitations pending (too_many_invitations)",
            429: "This address was sent an invitation less than an hour ago (invitation_rate_limited)",
        },
    ),
)
def invite_member(request: Annotated[InviteRequest, Body()]) -> Response[InvitationView]:
    principal = current_principal(app)
    invitation = invitations.invite(principal, request.email, request.role, now=clock.utcnow())
    return json_response(InvitationView.of(invitation), status=201)


handler = entry_point(app)
