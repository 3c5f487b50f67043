"""GET /n/{token}: the page behind the unsubscribe link of a member's digest or dispute alert, public."""

from __future__ import annotations

from collectra.digest.unsubscribe import open_link
from collectra.http.app import configure, entry_point
from collectra.http.docs import page_errors
from collectra.http.pages import html_response, nonce, page_not_found
from collectra.pages.render import NoticeOffPage, render_not_found, render_notice_off_page

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)
app.not_found(page_not_found)


@app.get(
    "/n/<token>",
    summary="The unsubscribe page of a member's notification email (HTML)",
    description="No sign-in: the signed link names the member, the workspace and the email (digest or dispute "
    "alert). One button that turns it off (it posts to this same address), or, once off, the confirmation. "
    "Opening the page changes nothing, so a mail scanner following the link turns nothing off. A forged link, "
    "or one of a deleted workspace, gets the plain 404 page.",
    tags=["team"],
    responses={
        **page_errors(None),
        200: {"description": "The page", "content": {"text/html": {}}},
        404: {"description": "No such link", "content": {"text/html": {}}},
    },
)
def show_unsubscribe(token: str) -> Response[str]:
    style = nonce()
    opened = open_link(token)
    if opened is None:
        return html_response(render_not_found("en", style), style, status=404)
    page = NoticeOffPage(
        locale=opened.locale,
        workspace_name=opened.workspace_name,
        setting=opened.setting,
        token=token,
        style_nonce=style,
        done=not opened.is_on,
    )
    return html_response(render_notice_off_page(page), style)


handler = entry_point(app, reads=None)  # a page route reads no body
