"""PATCH /workspace/members/{id}: change a member's role."""

from __future__ import annotations

from typing import Annotated

from collectra import clock
from collectra.http.app import configure, current_principal, entry_point, json_response
from collectra.http.docs import CSRF, responses
from collectra.workspaces import members
from collectra.workspaces.models import MemberView, RoleChange

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Body

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.patch(
    "/workspace/members/<id>",
    summary="Change a member's role",
    description="Owners and admins change roles; only an owner makes an owner or changes one. The last owner "
    "cannot be demoted (409 last_owner).",
    security=[{"cookieAuth": []}],
    tags=["team"],
    responses=responses(
        200,
        "The member as they now are",
        MemberView,
        {401: "Not signed in", 403: f"Role may not do this, or {CSRF}", 404: "Not a member", 409: "Last owner"},
    ),
)
def update_member(id: str, change: Annotated[RoleChange, Body()]) -> Response[MemberView]:
    principal = current_principal(app)
    return json_response(MemberView.model_validate(members.change_role(principal, id, change.role, now=clock.utcnow())))


handler = entry_point(app)
