"""POST /p/{token}/pay: the debtor pays one debt, or everything in one currency, through Stripe Checkout."""

from __future__ import annotations

from collectra import clock
from collectra.debtors.page import csrf_valid
from collectra.http import gate
from collectra.http.app import configure, entry_point, source_ip
from collectra.http.docs import page_errors
from collectra.http.pages import form_of, nonce, open_or_refuse, page_again, page_not_found, redirect
from collectra.observability import logger
from collectra.payments.checkout import Choice, PaymentRefused, start_payment

import stripe
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)
app.not_found(page_not_found)


@app.post(
    "/p/<token>/pay",
    summary="Pay from the debtor's page (HTML form)",
    description="`application/x-www-form-urlencoded`: csrf_token, and debt_id (one debt) or currency (everything "
    "outstanding in that currency); designation `principal` (the invoice amounts, the default) or `all` (with the "
    "late-payment interest and compensation due today, one Checkout line each); or plan_id: what the debtor's "
    "active payment plan asks now (the rest of its first instalment not yet paid), over the plan's debts in its "
    "order, each Checkout line naming the instalment and the invoice. Answers 303 to a Stripe Checkout "
    "page for exactly what is outstanding now (the same open page again if Pay is pressed twice), or 303 back to "
    "the debtor's page with a notice saying why paying is not possible (payments not enabled, nothing "
    "outstanding, mixed currencies, a disputed debt, a payment already on its way, a plan not running).",
    tags=["debtor page"],
    responses={
        **page_errors(gate.FORM),
        303: {"description": "To Stripe Checkout, or back to the page with a notice", "content": {}},
        404: {"description": "No such page", "content": {"text/html": {}}},
        429: {"description": "Too many unknown links from this address", "content": {"text/html": {}}},
        422: {"description": "Expired form: the page again, with a notice", "content": {"text/html": {}}},
        503: {
            "description": "Stripe could not be reached: the page again, with a notice",
            "content": {"text/html": {}},
        },
    },
)
def pay(token: str) -> Response[str]:
    style = nonce()
    now = clock.utcnow()
    context = open_or_refuse(token, source_ip(app), now=now, style_nonce=style)
    if isinstance(context, Response):
        return context
    form = form_of(app)
    if not csrf_valid(context.link.digest, form.get("csrf_token", "")[:64], now=now):
        return page_again(context, token, now=now, style_nonce=style, notice="pay_form_expired", status=422)
    # A form without a designation (a page rendered before charges were claimed) pays the invoice amount.
    designation = "all" if form.get("designation") == "all" else "principal"
    choice = Choice(
        debt_id=form.get("debt_id") or None,
        currency=(form.get("currency") or "").upper() or None,
        designation=designation,
        plan_id=form.get("plan_id", "")[:64] or None,
    )
    try:
        return redirect(start_payment(context, token, choice, now=now))
    except PaymentRefused as refused:
        return redirect(f"/p/{token}?notice=pay_refused_{refused.code}")
    except stripe.StripeError:
        logger.exception("Stripe refused or failed to create a Checkout Session")
        return page_again(context, token, now=now, style_nonce=style, notice="pay_unavailable_now", status=503)


handler = entry_point(app, reads=gate.FORM)
