"""PUT /debts/{id}/reminder-steps: this debt follows its own reminder steps instead of the workspace's."""

from __future__ import annotations

from collectra import clock
from collectra.debts.models import DebtView
from collectra.debts.service import today_in
from collectra.debts.timeline import actor_user
from collectra.http.app import configure, entry_point, json_response
from collectra.http.docs import CSRF, responses
from collectra.http.views import caller_and_debt
from collectra.reminders.debt_steps import set_steps
from collectra.reminders.models import DebtReminderSteps

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.put(
    "/debts/<id>/reminder-steps",
    summary="Give a debt its own reminder steps",
    description="Steps (days from the due date, tone, template) and an optional repeat, for this debt only. The "
    "workspace's hours, sending days and weekly limit still apply. Steps already sent count as sent.",
    security=[{"cookieAuth": []}],
    tags=["reminders"],
    responses=responses(
        200, "The debt", DebtView, {401: "Not signed in", 403: CSRF, 404: "No such debt", 409: "Stale version"}
    ),
)
def put_steps(id: str, body: DebtReminderSteps) -> Response[DebtView]:
    principal, debt = caller_and_debt(app, id)
    now = clock.utcnow()
    steps = body.model_dump(mode="json", exclude={"version"})
    updated = set_steps(
        principal.workspace, debt, steps, version=body.version, actor=actor_user(principal.user_id), now=now
    )
    return json_response(DebtView.of(updated, today=today_in(principal.workspace, now)))


handler = entry_point(app)
