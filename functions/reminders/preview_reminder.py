"""POST /workspace/reminder-templates/preview: a reminder as a debtor would receive it, before it is sent."""

from __future__ import annotations

from datetime import date
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

from collectra import store
from collectra.errors import InvalidInput, NotFound
from collectra.http.app import configure, current_principal, entry_point, json_response
from collectra.http.docs import CSRF, responses
from collectra.pages.formatting import resolve_locale
from collectra.reminders.budget import TemplateRefused
from collectra.reminders.checking import template_problems
from collectra.reminders.compose import context
from collectra.reminders.models import Preview, PreviewRequest
from collectra.reminders.templates import render, source_of
from collectra.store import keys

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)

SAMPLE_DEBTOR = {"id": "dbt_sample", "name": "Alex Sample", "locale": "en"}
SAMPLE_DEBT = {
    "invoice_number": "INV-0001",
    "amount": 12_500,
    "amount_paid": 2_500,
    "currency": "EUR",
    "due_on": date.today().isoformat(),
}


@app.post(
    "/workspace/reminder-templates/preview",
    summary="Preview a reminder",
    description="Subject, HTML and text of a template (the workspace's, a built-in one, or a draft) for one of the "
    "workspace's debts or for sample data. Links in a preview are examples and open nothing.",
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
    workspace = principal.workspace
    debtor: dict[str, Any] = SAMPLE_DEBTOR
    debts: list[dict[str, Any]] = [SAMPLE_DEBT]
    if request.debt_id:
        debt = store.get(keys.debt(workspace["id"], request.debt_id))
        found = store.get(keys.debtor(workspace["id"], debt["debtor_id"])) if debt else None
        if debt is None or found is None:
            raise NotFound("There is no such debt.", code="debt_not_found")
        debtor, debts = found, [debt]
    locale = resolve_locale(request.locale or debtor.get("locale") or workspace.get("locale") or "en")
    if request.draft is not None:
        found_problems = template_problems(request.draft.subject, request.draft.text)
        if found_problems:
            raise InvalidInput(
                f"The draft cannot be used: {found_problems[0]}", code="invalid_template", details=found_problems
            )
        subject, text = request.draft.subject, request.draft.text
    else:
        subject, text = source_of(workspace, request.template, locale)
    values = context(workspace, debtor, debts, page_token="preview-link-opens-nothing", locale=locale)
    try:
        email = render(subject, text, values, locale)
    except TemplateRefused as refused:
        raise InvalidInput(
            f"The template cannot be used: {refused.reason}", code="invalid_template", details=[refused.reason]
        ) from None
    return json_response(Preview(subject=email.subject, text=email.text, html=email.html))


handler = entry_point(app)
