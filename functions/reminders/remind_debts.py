"""POST /debts/remind: send the next reminder now for a list of debts, one email per debtor."""

from __future__ import annotations

from collectra import clock
from collectra.http.app import configure, current_principal, entry_point, json_response
from collectra.http.docs import CSRF, responses
from collectra.reminders.manual import remind_debts
from collectra.reminders.models import BulkRemind, BulkRemindResult
from collectra.workspaces import sending_rights

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.post(
    "/debts/remind",
    summary="Send the next reminder now, for several debts",
    description="Up to 100 debt ids; each is queued or says why not, as POST /debts/{id}/remind does. Ids that are "
    "not the workspace's answer not_found. The debts queued for one debtor go out as one email, as scheduled "
    "reminders do.",
    security=[{"cookieAuth": []}],
    tags=["reminders"],
    responses=responses(
        200,
        "One result per debt",
        BulkRemindResult,
        {
            401: "Not signed in",
            403: f"Your address or every owner's unverified (email_not_verified, owner_not_verified), or {CSRF}",
        },
    ),
)
def remind_many(request: BulkRemind) -> Response[BulkRemindResult]:
    principal = current_principal(app)
    sending_rights.require_may_remind(principal, now=clock.utcnow())
    results = remind_debts(principal.workspace, request.debt_ids, now=clock.utcnow())
    return json_response(BulkRemindResult(results=results))


handler = entry_point(app)
