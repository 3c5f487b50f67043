"""GET /p/{token}: the debtor's own page, public, behind its secret link."""

from __future__ import annotations

from typing import Annotated

from collectra import clock
from collectra.debtors.page import record_view
from collectra.http.app import configure, entry_point, source_ip
from collectra.http.docs import page_errors
from collectra.http.pages import debtor_page, html_response, nonce, open_or_refuse, page_not_found
from collectra.pages import render_debtor_page

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Query

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)
app.not_found(page_not_found)


@app.get(
    "/p/<token>",
    summary="The debtor's page (HTML)",
    description="Who is asking, every open debt with that business, what happens next, a way to pay, and a form "
    "to answer. `?payment=<attempt id>` (where Stripe Checkout sends the debtor back) adds what Collectra's own "
    "records say of that payment. "
    "An unknown, revoked or rotated link gets the same plain 404 page; guessing is rate-limited per address.",
    tags=["debtor page"],
    responses={
        **page_errors(None),
        200: {"description": "The page", "content": {"text/html": {}}},
        404: {"description": "No such page", "content": {"text/html": {}}},
        429: {"description": "Too many unknown links from this address", "content": {"text/html": {}}},
    },
)
def show_page(
    token: str,
    notice: Annotated[str | None, Query(max_length=40)] = None,
    payment: Annotated[str | None, Query(max_length=64)] = None,
) -> Response[str]:
    style = nonce()
    now = clock.utcnow()
    context = open_or_refuse(token, source_ip(app), now=now, style_nonce=style, payment_id=payment)
    if isinstance(context, Response):
        return context
    record_view(context, now=now)
    return html_response(
        render_debtor_page(debtor_page(context, token, now=now, style_nonce=style, notice=notice)), style
    )


handler = entry_point(app, reads=None)  # a page route reads no body
