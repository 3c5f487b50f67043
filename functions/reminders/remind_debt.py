"""POST /debts/{id}/remind: send the debt's next reminder now, by hand (the rules still apply)."""

from __future__ import annotations

from collectra import clock
from collectra.http.app import configure, entry_point, json_response
from collectra.http.docs import CSRF, responses
from collectra.http.views import caller_and_debt
from collectra.reminders.manual import remind_now
from collectra.reminders.models import RemindResult
from collectra.workspaces import sending_rights

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.post(
    "/debts/<id>/remind",
    summary="Send the next reminder now",
    description="Queues the debt's next step of the policy now. The rules a debtor can rely on still hold: nothing "
    "for a debt that is paid, disputed, paused, promised or has a payment on its way, or whose debtor opted out; "
    "only inside the debtor's hours and sending days; at most the weekly number of emails. When they do not "
    "allow it, the answer says why and nothing is queued.",
    security=[{"cookieAuth": []}],
    tags=["reminders"],
    responses=responses(
        202,
        "Queued",
        RemindResult,
        {
            401: "Not signed in",
            403: f"Your address or every owner's unverified (email_not_verified, owner_not_verified), or {CSRF}",
            404: "No such debt",
        },
        also={200: "Not queued: `reason` says which rule held it back"},
    ),
)
def remind(id: str) -> Response[RemindResult]:
    principal, debt = caller_and_debt(app, id)
    sending_rights.require_may_remind(principal, now=clock.utcnow())
    result = remind_now(principal.workspace, debt, now=clock.utcnow())
    return json_response(result, status=202 if result.queued else 200)


handler = entry_point(app)
