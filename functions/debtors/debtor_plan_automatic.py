"""POST /p/{token}/plan/automatic: the debtor switches automatic payment of their plan's instalments on or off."""

from __future__ import annotations

from collectra import clock
from collectra.debtors.page import csrf_valid
from collectra.http import gate
from collectra.http.app import configure, entry_point, source_ip
from collectra.http.docs import page_errors
from collectra.http.pages import form_of, nonce, open_or_refuse, page_again, page_not_found, redirect
from collectra.observability import logger
from collectra.payments.collection import AutomaticRefused, start_setup, turn_off
from collectra.plans import service as plans

import stripe
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)
app.not_found(page_not_found)


@app.post(
    "/p/<token>/plan/automatic",
    summary="Automatic payment of a plan's instalments, on or off (HTML form)",
    description="`application/x-www-form-urlencoded`: csrf_token, plan_id (the debtor's active plan), action `on` "
    "or `off`. `on` answers 303 to a Stripe Checkout page in setup mode that saves a card (or, for a plan in "
    "euros, a SEPA Direct Debit mandate) on the business's Stripe account, the same page again if pressed twice; "
    "each instalment is then charged on its date. `off` removes the saved payment method from Stripe and answers "
    "303 back to the page with a notice; the instalments are then paid from the page. A plan that is not the "
    "debtor's active one, or automatic payment already on, answers 303 back with a notice saying so.",
    tags=["debtor page"],
    responses={
        **page_errors(gate.FORM),
        303: {"description": "To Stripe's setup page, or back to the page with a notice", "content": {}},
        404: {"description": "No such page", "content": {"text/html": {}}},
        429: {"description": "Too many unknown links from this address", "content": {"text/html": {}}},
        422: {"description": "Expired form: the page again, with a notice", "content": {"text/html": {}}},
        503: {
            "description": "Stripe could not be reached: the page again, with a notice",
            "content": {"text/html": {}},
        },
    },
)
def automatic(token: str) -> Response[str]:
    style = nonce()
    now = clock.utcnow()
    context = open_or_refuse(token, source_ip(app), now=now, style_nonce=style)
    if isinstance(context, Response):
        return context
    form = form_of(app)
    if not csrf_valid(context.link.digest, form.get("csrf_token", "")[:64], now=now):
        return page_again(context, token, now=now, style_nonce=style, notice="pay_form_expired", status=422)
    action = form.get("action")
    plan_id = form.get("plan_id", "")[:64]
    plan = plans.read(context.workspace["id"], plan_id) if plan_id.startswith("plan_") else None
    if plan is None or plan["debtor_id"] != context.debtor["id"] or action not in ("on", "off"):
        return redirect(f"/p/{token}?notice=automatic_refused_plan_not_active")
    try:
        if action == "off":
            turn_off(context, plan, now=now)
            return redirect(f"/p/{token}?notice=automatic_off")
        return redirect(start_setup(context, plan, token=token, now=now))
    except AutomaticRefused as refused:
        return redirect(f"/p/{token}?notice=automatic_refused_{refused.code}")
    except stripe.StripeError:
        logger.exception("Stripe refused or failed to set up automatic payment")
        return page_again(context, token, now=now, style_nonce=style, notice="automatic_unavailable_now", status=503)


handler = entry_point(app, reads=gate.FORM)
