"""PATCH /auth/me: the signed-in user corrects their own name or email address."""

from __future__ import annotations

from collectra import clock
from collectra.auth import accounts
from collectra.auth.models import ProfileUpdate
from collectra.http.app import configure, current_principal, entry_point, json_response
from collectra.http.docs import CSRF, responses
from collectra.workspaces.session_views import ProfileView, SessionView

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.patch(
    "/auth/me",
    summary="Correct my name or email",
    description="A new name applies at once. A new email address needs `current_password` and is only used once "
    "confirmed with the link sent to it (valid 24 hours); that ends every other session. The current address is "
    "told, with a link that undoes the change for 7 days (`POST /auth/email/cancel`).",
    security=[{"cookieAuth": []}],
    tags=["auth"],
    responses=responses(
        200,
        "The account",
        ProfileView,
        {
            401: "Not signed in",
            403: CSRF,
            409: "The address belongs to another account",
            422: "Invalid input, or a missing or wrong current password (`wrong_current_password`)",
        },
    ),
)
def update_me(changes: ProfileUpdate) -> Response[ProfileView]:
    principal = current_principal(app)
    now = clock.utcnow()
    sent_to = accounts.update_profile(
        principal, name=changes.name, email=changes.email, current_password=changes.current_password, now=now
    )
    if changes.name is not None:
        principal.user["name"] = changes.name
    return json_response(ProfileView(session=SessionView.of(principal), email_change_sent_to=sent_to))


handler = entry_point(app)
