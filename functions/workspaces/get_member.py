"""GET /workspace/members/{id}: one member of the workspace."""

from __future__ import annotations

from collectra.http.app import configure, current_principal, entry_point, json_response
from collectra.http.docs import responses
from collectra.workspaces import members
from collectra.workspaces.models import MemberView

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.get(
    "/workspace/members/<id>",
    summary="A member",
    description="`id` is the member's user id.",
    security=[{"cookieAuth": []}],
    tags=["team"],
    responses=responses(200, "The member", MemberView, {401: "Not signed in", 404: "Not a member of this workspace"}),
)
def get_member(id: str) -> Response[MemberView]:
    principal = current_principal(app)
    return json_response(MemberView.model_validate(members.member(principal.workspace_id, id)))


handler = entry_point(app)
