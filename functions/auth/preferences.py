"""PUT /auth/preferences: store UI preferences in the `_collectra_session` cookie."""

from __future__ import annotations

from typing import Annotated

from collectra.auth.models import Preferences, PreferencesRequest
from collectra.http import cookies
from collectra.http.app import configure, current_principal, entry_point, json_response
from collectra.http.docs import CSRF, responses

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Body

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.put(
    "/auth/preferences",
    summary="Save UI preferences",
    description="Replaces the preferences kept in the _collectra_session cookie (readable by the page; "
    "never an id, an email or a token). Nothing is stored on the server.",
    security=[{"cookieAuth": []}],
    tags=["auth"],
    responses=responses(200, "Saved in the cookie", Preferences, {401: "Not signed in", 403: CSRF}),
)
def save_preferences(request: Annotated[PreferencesRequest, Body()]) -> Response[Preferences]:
    current_principal(app)
    chosen = {name: value for name, value in request.model_dump().items() if value is not None}
    return json_response(Preferences(**chosen), cookies=[cookies.preferences(chosen)])


handler = entry_point(app)
