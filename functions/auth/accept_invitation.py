"""POST /auth/invitations/accept: join a workspace from an invitation link, signing up or in."""

from __future__ import annotations

from typing import Annotated

from collectra import clock
from collectra.auth.models import AcceptInvitationRequest, SignInView
from collectra.http import cookies
from collectra.http.app import configure, entry_point, json_response, source_ip
from collectra.http.docs import CSRF, responses
from collectra.workspaces import joining

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Body

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.post(
    "/auth/invitations/accept",
    summary="Accept an invitation",
    description="If the invited address has an account, its password signs in (a wrong one counts as a failed "
    "sign-in); otherwise an account is created for the address with the name and password given. Either way "
    "the person joins the workspace with the invited role and is signed in there. The link works once.",
    tags=["auth"],
    responses=responses(
        200,
        "Joined and signed in",
        SignInView,
        {
            400: "Invalid, used or expired link",
            401: "Wrong password",
            403: CSRF,
            409: "Already a member",
            422: "Name missing for a new account",
            429: "Too many failed attempts",
        },
    ),
)
def accept_invitation(request: Annotated[AcceptInvitationRequest, Body()]) -> Response[SignInView]:
    now = clock.utcnow()
    signed_in = joining.accept(
        request.token, name=request.name, password=request.password, source_ip=source_ip(app), now=now
    )
    return json_response(
        SignInView.of(signed_in, now=now), cookies=cookies.signed_in(signed_in.access_token, signed_in.refresh_token)
    )


handler = entry_point(app)
