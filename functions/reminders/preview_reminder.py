"""POST /workspace/reminder-templates/preview: a reminder as a debtor would receive it, before it is sent."""

from __future__ import annotations

from collectra import clock
from collectra.debts.service import today_in
from collectra.http.app import configure, current_principal, entry_point, json_response
from collectra.http.docs import CSRF, responses
from collectra.reminders.models import Preview, PreviewRequest
from collectra.reminders.preview import preview_reminder

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)


@app.post(
    "/workspace/reminder-templates/preview",
    summary="Preview a reminder",
    description="Subject, HTML and text of a template (the workspace's, a built-in one, or a draft) for one of the "
    "workspace's debts or for sample data. Links in a preview are examples and open nothing. When the workspace "
    "claims late-payment charges, the email shows them as of the business's today (the sample debt is then 45 days "
    "late, so that it carries them).",
    security=[{"cookieAuth": []}],
    tags=["reminders"],
    responses=responses(
        200,
        "The rendered email",
        Preview,
        {
            401: "Not signed in",
            403: CSRF,
            404: "No such debt",
            422: "A template that cannot be sent: its syntax, its variables, an error on sample data, or over its "
            "rendering budget (invalid_template)",
        },
    ),
)
def preview(request: PreviewRequest) -> Response[Preview]:
    principal = current_principal(app)
    return json_response(
        preview_reminder(principal.workspace, request, today=today_in(principal.workspace, clock.utcnow()))
    )


handler = entry_point(app)
