"""POST /u/{token}: the debtor stops the reminder emails, from the opt-out page or by one-click (RFC 8058)."""

from __future__ import annotations

from collectra import clock
from collectra.http.app import configure, entry_point
from collectra.http.docs import page_errors
from collectra.http.pages import html_response, nonce, page_not_found
from collectra.observability import logger, metrics
from collectra.pages.render import OptOutPage, render_not_found, render_opt_out_page
from collectra.reminders.opt_out import open_opt_out, record_opt_out

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.metrics import MetricUnit

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)
app.not_found(page_not_found)


@app.post(
    "/u/<token>",
    summary="Stop the reminder emails (HTML form, or one-click unsubscribe)",
    description="Posted by the opt-out page's button, or by a mail provider's one-click unsubscribe (RFC 8058: "
    "`List-Unsubscribe=One-Click`, form-encoded, with no cookie and no Origin). The body is not needed: the "
    "signed link says who. The debtor is marked `email_suppressed: opted_out` and each of their open debts gets "
    "a `reminders_opted_out` timeline entry; posting again changes nothing. Answers the confirmation page.",
    tags=["debtor page"],
    responses={
        **page_errors(None),
        200: {"description": "Stopped: the confirmation page", "content": {"text/html": {}}},
        404: {"description": "No such link", "content": {"text/html": {}}},
    },
)
def opt_out(token: str) -> Response[str]:
    style = nonce()
    context = open_opt_out(token, consistent=True)
    if context is None:
        return html_response(render_not_found("en", style), style, status=404)
    changed = record_opt_out(context, now=clock.utcnow())
    result = "opted_out" if changed else "already_opted_out"
    logger.info("reminder opt-out", extra={"result": result, "workspace_id": context.workspace_id})
    metrics.add_metric(name=f"ReminderOptOut_{result}", unit=MetricUnit.Count, value=1)
    page = OptOutPage(
        locale=context.locale, creditor_name=context.creditor_name, token=token, style_nonce=style, done=True
    )
    return html_response(render_opt_out_page(page), style)


# RFC 8058 lets the mail provider choose the form encoding, and the body says nothing the link does not.
handler = entry_point(app, reads=None)
