"""POST /p/{token}/plan: the debtor proposes a payment plan, or accepts the one the business offered."""

from __future__ import annotations

from collectra import clock
from collectra.debtors.page import csrf_valid
from collectra.debtors.plan_page import PlanRefused, accept_from_page, propose_from_page, read_plan_answer
from collectra.http import gate
from collectra.http.app import configure, entry_point, source_ip
from collectra.http.docs import page_errors
from collectra.http.pages import form_of, nonce, open_or_refuse, page_again, page_not_found, redirect
from collectra.observability import logger

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)
app.not_found(page_not_found)


@app.post(
    "/p/<token>/plan",
    summary="Propose or accept a payment plan from the debtor's page (HTML form)",
    description="`application/x-www-form-urlencoded`, csrf_token and action: `propose` with debt_id (an id, or `all`: "
    "every debt of `currency` that may be in a plan: open or partly paid, something outstanding, no payment on its "
    "way, in no plan), currency, count (2 to 12), first_due_on (YYYY-MM-DD) and every (week, two_weeks, month): "
    "equal instalments, the last taking the rounding, within the workspace's `payment_plans` rules (the number of "
    "instalments, the last date, the first instalment's share); with `auto_approve` the plan starts at once, "
    "otherwise it awaits the business in its inbox. Or `accept` with plan_id: the debtor accepts the plan the "
    "business offered. One open plan per debtor: two tabs or a double click make one. Answers 303 back to the "
    "page with a notice (plan_started, plan_proposed, plan_accepted), or the page again with a notice saying why "
    "nothing was recorded.",
    tags=["debtor page"],
    responses={
        **page_errors(gate.FORM),
        303: {"description": "Recorded; back to the page", "content": {}},
        404: {"description": "No such page", "content": {"text/html": {}}},
        429: {"description": "Too many unknown links from this address", "content": {"text/html": {}}},
        409: {
            "description": "A plan is open already, the debts changed, the offer's first date passed, or the records "
            "were being changed meanwhile: the page again, with a notice",
            "content": {"text/html": {}},
        },
        422: {
            "description": "An expired or unreadable form, or a schedule outside the workspace's rules: the page "
            "again, with a notice; nothing recorded",
            "content": {"text/html": {}},
        },
    },
)
def plan(token: str) -> Response[str]:
    style = nonce()
    now = clock.utcnow()
    context = open_or_refuse(token, source_ip(app), now=now, style_nonce=style)
    if isinstance(context, Response):
        return context
    try:
        answer = read_plan_answer(form_of(app))
        if not csrf_valid(context.link.digest, answer.csrf_token, now=now):
            raise PlanRefused("The form has expired; reload the page.", notice="plan_invalid")
        if answer.action == "accept":
            made = accept_from_page(context, answer, now=now)
            notice = "plan_accepted"
        else:
            made = propose_from_page(context, answer, now=now)
            notice = "plan_started" if made["status"] == "active" else "plan_proposed"
    except PlanRefused as refused:
        logger.info("plan not recorded", extra={"debtor_id": context.debtor["id"], "reason": refused.notice})
        return page_again(context, token, now=now, style_nonce=style, notice=refused.notice, status=refused.status)
    logger.info("plan from the page", extra={"plan_id": made["id"], "status": made["status"]})
    return redirect(f"/p/{token}?notice={notice}")


handler = entry_point(app, reads=gate.FORM)
