"""DELETE /workspace/members/{id}: take someone out of the workspace."""

from __future__ import annotations

from collectra.http.app import configure, current_principal, entry_point, no_content
from collectra.http.docs import CSRF, responses
from collectra.workspaces import members

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.delete(
    "/workspace/members/<id>",
    summary="Remove a member",
    description="Their sessions in this workspace end at once; their account and other workspaces stay. Only an "
    "owner removes an owner, and the last owner cannot be removed (409 last_owner). An owner or admin may "
    "remove themselves (leave).",
    security=[{"cookieAuth": []}],
    tags=["team"],
    responses=responses(
        204,
        "Removed",
        None,
        {401: "Not signed in", 403: f"Role may not do this, or {CSRF}", 404: "Not a member", 409: "Last owner"},
    ),
)
def remove_member(id: str) -> Response[str]:
    members.remove(current_principal(app), id)
    return no_content()


handler = entry_point(app)
