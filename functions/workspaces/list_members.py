"""GET /workspace/members: who belongs to the workspace, and who is invited."""

from __future__ import annotations

from collectra.http.app import configure, current_principal, entry_point, json_response
from collectra.http.docs import responses
from collectra.workspaces import members
from collectra.workspaces.models import InvitationView, MemberView, TeamView

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.get(
    "/workspace/members",
    summary="The team",
    description="Every member with their role, oldest first, and the pending invitations.",
    security=[{"cookieAuth": []}],
    tags=["team"],
    responses=responses(200, "The team", TeamView, {401: "Not signed in"}),
)
def list_members() -> Response[TeamView]:
    principal = current_principal(app)
    people, pending = members.team(principal.workspace_id)
    return json_response(
        TeamView(
            members=[MemberView.model_validate(person) for person in people],
            invitations=[InvitationView.of(invitation) for invitation in pending],
        )
    )


handler = entry_point(app)
