"""GET /workspace/members/me/notifications: which emails the caller gets about this workspace."""

from __future__ import annotations

from collectra.digest import settings
from collectra.digest.settings import NotificationSettings
from collectra.http.app import configure, current_principal, entry_point, json_response
from collectra.http.docs import responses

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.get(
    "/workspace/members/me/notifications",
    summary="My notification emails",
    description="The caller's own choices in the current workspace: the daily digest (08:00 in `time_zone`, the "
    "member's own or else the workspace's; sent only on days with payments, new inbox items or broken promises) "
    "and the alert when a debtor disputes a debt from their page. Both are off until the member turns them on.",
    security=[{"cookieAuth": []}],
    tags=["team"],
    responses=responses(200, "The caller's choices", NotificationSettings, {401: "Not signed in"}),
)
def get_notifications() -> Response[NotificationSettings]:
    principal = current_principal(app)
    return json_response(settings.read(dict(principal.workspace), str(principal.user["id"])))


handler = entry_point(app)
