"""GET /u/{token}: the page behind the opt-out link of every reminder email, public."""

from __future__ import annotations

from collectra.http.app import configure, entry_point
from collectra.http.docs import page_errors
from collectra.http.pages import html_response, nonce, page_not_found
from collectra.pages.render import OptOutPage, render_not_found, render_opt_out_page
from collectra.reminders.opt_out import open_opt_out

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)
app.not_found(page_not_found)


@app.get(
    "/u/<token>",
    summary="The opt-out page (HTML)",
    description="In the debtor's language, naming the business that sends the reminders: one button that stops "
    "them (it posts to this same address), or, once stopped, the confirmation. Opening the page changes nothing, "
    "so a mail scanner following the link stops nothing. A forged or unknown link gets the plain 404 page, which "
    "names nobody.",
    tags=["debtor page"],
    responses={
        **page_errors(None),
        200: {"description": "The page", "content": {"text/html": {}}},
        404: {"description": "No such link", "content": {"text/html": {}}},
    },
)
def show_opt_out(token: str) -> Response[str]:
    style = nonce()
    context = open_opt_out(token)
    if context is None:
        return html_response(render_not_found("en", style), style, status=404)
    page = OptOutPage(
        locale=context.locale,
        creditor_name=context.creditor_name,
        token=token,
        style_nonce=style,
        done=context.opted_out,
    )
    return html_response(render_opt_out_page(page), style)


handler = entry_point(app, reads=None)  # a page route reads no body
