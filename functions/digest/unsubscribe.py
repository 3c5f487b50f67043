"""POST /n/{token}: a member turns off one notification email, from its page or by one-click (RFC 8058)."""

from __future__ import annotations

from collectra import clock
from collectra.digest.unsubscribe import confirm, open_link
from collectra.http.app import configure, entry_point
from collectra.http.docs import page_errors
from collectra.http.pages import html_response, nonce, page_not_found
from collectra.observability import logger, metrics
from collectra.pages.render import NoticeOffPage, render_not_found, render_notice_off_page

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.metrics import MetricUnit

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)
app.not_found(page_not_found)


@app.post(
    "/n/<token>",
    summary="Turn off a member's notification email (HTML form, or one-click unsubscribe)",
    description="Posted by the unsubscribe page's button, or by a mail provider's one-click unsubscribe (RFC 8058: "
    "`List-Unsubscribe=One-Click`, form-encoded, with no cookie and no Origin). The body is not needed: the "
    "signed link says who and which email. That choice of the member is turned off (the digest leaves the "
    "schedule in the same write); posting again changes nothing. Answers the confirmation page.",
    tags=["team"],
    responses={
        **page_errors(None),
        200: {"description": "Turned off: the confirmation page", "content": {"text/html": {}}},
        404: {"description": "No such link", "content": {"text/html": {}}},
    },
)
def unsubscribe(token: str) -> Response[str]:
    style = nonce()
    opened = open_link(token, consistent=True)
    if opened is None:
        return html_response(render_not_found("en", style), style, status=404)
    result = "turned_off" if confirm(opened, now=clock.utcnow()) else "already_off"
    logger.info("member notice unsubscribe", extra={"result": result, "setting": opened.setting})
    metrics.add_metric(name=f"NoticeUnsubscribe_{result}", unit=MetricUnit.Count, value=1)
    page = NoticeOffPage(
        locale=opened.locale,
        workspace_name=opened.workspace_name,
        setting=opened.setting,
        token=token,
        style_nonce=style,
        done=True,
    )
    return html_response(render_notice_off_page(page), style)


# RFC 8058 lets the mail provider choose the form encoding, and the body says nothing the link does not.
handler = entry_point(app, reads=None)
