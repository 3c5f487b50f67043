"""DELETE /workspace/invitations/{id}: withdraw a pending invitation."""

from __future__ import annotations

from collectra.http.app import configure, current_principal, entry_point, no_content
from collectra.http.docs import CSRF, responses
from collectra.workspaces import invitations

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.delete(
    "/workspace/invitations/<id>",
    summary="Withdraw an invitation",
    description="Its link stops working at once. Withdrawing one that is gone (accepted, withdrawn, expired) "
    "answers the same.",
    security=[{"cookieAuth": []}],
    tags=["team"],
    responses=responses(204, "Withdrawn", None, {401: "Not signed in", 403: f"Role may not do this, or {CSRF}"}),
)
def revoke_invitation(id: str) -> Response[str]:
    invitations.revoke(current_principal(app), id)
    return no_content()


handler = entry_point(app)
