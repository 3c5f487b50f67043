"""PATCH /workspace/members/me/notifications: the caller turns their notification emails on or off."""

from __future__ import annotations

from typing import Annotated

from collectra import clock
from collectra.digest import settings
from collectra.digest.settings import NotificationChange, NotificationSettings
from collectra.http.app import configure, current_principal, entry_point, json_response
from collectra.http.docs import CSRF, responses

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Body

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.patch(
    "/workspace/members/me/notifications",
    summary="Change my notification emails",
    description="Only the fields sent change; `time_zone: null` goes back to the workspace's zone. Every member "
    "changes their own, whatever their role. Turning the digest on (or changing zone) schedules the next one for "
    "the next 08:00 in the zone; every email also has a one-click link that turns it off (`/n/{token}`).",
    security=[{"cookieAuth": []}],
    tags=["team"],
    responses=responses(
        200,
        "The caller's choices as they now are",
        NotificationSettings,
        {401: "Not signed in", 403: CSRF, 404: "No longer a member of this workspace"},
    ),
)
def update_notifications(change: Annotated[NotificationChange, Body()]) -> Response[NotificationSettings]:
    principal = current_principal(app)
    return json_response(
        settings.change(dict(principal.workspace), str(principal.user["id"]), change, now=clock.utcnow())
    )


handler = entry_point(app)
