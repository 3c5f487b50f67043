"""HTML answers for the debtor's public page: the headers that keep the token and the page private."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

from collectra import config
from collectra.debtors.page import PageContext, PageNotFound, csrf_token, open_page
from collectra.debtors.plan_page import (
    OPEN_PLAN_STATES,
    ShownPlan,
    latest_date,
    plannable,
    plans_shown,
    schedule,
    settings_of,
)
from collectra.debts.records import Debt, outstanding
from collectra.debts.service import days_overdue, today_in
from collectra.errors import TooManyRequests
from collectra.interest import Charges, Terms, terms_of
from collectra.pages import (
    Creditor,
    DebtorPage,
    PageDebt,
    PageReply,
    PaymentNote,
    render_debtor_page,
    render_not_found,
    render_rate_limited,
)
from collectra.pages.charges import ChargePeriod, PageCharges
from collectra.pages.render import (
    PageInstalment,
    PagePlan,
    PlanChoice,
    PlanExample,
    PlanForm,
    content_security_policy,
    new_style_nonce,
)
from collectra.payments.models import payments_enabled
from collectra.payments.quote import charges_shown
from collectra.plans import rules as plan_rules
from collectra.workspaces.promises import latest_promise
from collectra.workspaces.records import Workspace


def html_response(body: str, nonce: str, *, status: int = 200, headers: dict[str, str] | None = None) -> Response[str]:
    return Response(
        status_code=status,
        content_type="text/html; charset=utf-8",
        body=body,
        headers={
            "Content-Security-Policy": content_security_policy(nonce, payment_origin=config.stripe_checkout_origin()),
            "Referrer-Policy": "no-referrer",  # the token is in the URL: it must not leak to other sites
            "Cache-Control": "no-store",
            "X-Robots-Tag": "noindex, nofollow",
            "X-Content-Type-Options": "nosniff",
            **(headers or {}),
        },
    )


def page_not_found(_: Exception) -> Response[str]:
    """The plain 404 page, for a path the page routes cannot read (a token of characters no link has)."""
    style = new_style_nonce()
    return html_response(render_not_found("en", style), style, status=404)


def redirect(location: str) -> Response[str]:
    return Response(
        status_code=303,
        body="",
        headers={"Location": location, "Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
    )


def nonce() -> str:
    return new_style_nonce()


def open_or_refuse(
    token: str, source_ip: str, *, now: datetime, style_nonce: str, payment_id: str | None = None
) -> PageContext | Response[str]:
    """The page's context, or the answer for an unknown link (404) or a guessing address (429)."""
    try:
        return open_page(token, source_ip, now=now, payment_id=payment_id)
    except PageNotFound:
        return html_response(render_not_found("en", style_nonce), style_nonce, status=404)
    except TooManyRequests as error:
        return html_response(
            render_rate_limited("en", style_nonce),
            style_nonce,
            status=429,
            headers={"Retry-After": str(error.retry_after)},
        )


def form_of(app: APIGatewayHttpResolver) -> dict[str, str]:
    """The page form a request posts (`application/x-www-form-urlencoded`), blank fields kept."""
    return dict(parse_qsl(app.current_event.decoded_body or "", keep_blank_values=True))


def page_again(
    context: PageContext, token: str, *, now: datetime, style_nonce: str, notice: str, status: int
) -> Response[str]:
    """The debtor's page once more, with a notice saying why what they sent did not go through."""
    page = debtor_page(context, token, now=now, style_nonce=style_nonce, notice=notice)
    return html_response(render_debtor_page(page), style_nonce, status=status)


def _creditor(workspace: Workspace) -> Creditor:
    address = workspace.get("postal_address") or {}
    lines = [
        address.get("line1"),
        address.get("line2"),
        " ".join(filter(None, [address.get("postal_code"), address.get("city")])),
        address.get("country"),
    ]
    return Creditor(
        legal_name=workspace.get("legal_name") or workspace["name"],
        address_lines=[line for line in lines if line],
        contact_email=workspace.get("reply_to"),
        sender_name=workspace.get("sender_name"),
    )


def debtor_page(context: PageContext, token: str, *, now: datetime, style_nonce: str, notice: str | None) -> DebtorPage:
    today = today_in(context.workspace, now)
    terms = terms_of(context.workspace, context.debtor)
    shown = plans_shown(context)
    rules_shown = _plan_rules(context, today)
    has_open = bool(context.debtor.get("open_plan")) or any(s.plan["status"] in OPEN_PLAN_STATES for s in shown)
    return DebtorPage(
        locale=context.debtor.get("locale") or context.workspace.get("locale") or "en",
        debtor_name=context.debtor["name"],
        creditor=_creditor(context.workspace),
        debts=[_page_debt(debt, today, _page_charges(debt, terms, today)) for debt in context.debts],
        token=token,
        csrf_token=csrf_token(context.link.digest, now.date()),
        payments_enabled=payments_enabled(context.workspace),
        style_nonce=style_nonce,
        notice=notice,
        today=today,
        latest_promise=latest_promise(context.workspace, today),
        payment=_payment_note(context.payment),
        replies=tuple(
            PageReply(on=datetime.fromisoformat(reply["at"]).date(), message=reply["message"])
            for reply in context.debtor.get("page_replies") or []
        ),
        plans=tuple(_page_plan(context.workspace, item, today) for item in shown),
        plan_form=_plan_form(context, rules_shown, today) if rules_shown and not has_open else None,
        plan_rules=rules_shown,
    )


def _plan_rules(context: PageContext, today: date) -> PlanForm | None:
    """The workspace's rules for a debtor's proposal, as the form and a refusal's notice state them (None: the
    workspace takes no proposals from the page)."""
    settings = settings_of(context.workspace)
    if not settings.enabled:
        return None
    # Equal instalments: more of them than the minimum first share allows could never be accepted.
    most = settings.max_instalments
    if settings.min_first_percent > 0:
        most = max(2, min(most, 100 // settings.min_first_percent))
    return PlanForm(
        max_instalments=most,
        min_first_percent=settings.min_first_percent,
        auto_approve=settings.auto_approve,
        first_from=today,
        latest=latest_date(settings, today),
        debts=(),
        choices=(),
    )


def _plan_form(context: PageContext, rules_shown: PlanForm, today: date) -> PlanForm | None:
    """The "propose a plan" form: the debts that may be in one, all of them by currency, and a worked example."""
    candidates = plannable(context)
    if not candidates:
        return None
    totals: dict[str, int] = {}
    for debt in candidates:
        totals[debt["currency"]] = totals.get(debt["currency"], 0) + outstanding(debt)
    currency, total = next(iter(totals.items()))
    count, first = min(3, rules_shown.max_instalments), today + timedelta(days=7)
    # The example is monthly, unless the workspace's days are too few for it (then weekly, or none).
    example = next(
        (
            worked
            for every in ("month", "week")
            if (worked := schedule(total, count, first, every))[-1][0] <= rules_shown.latest
        ),
        None,
    )
    return replace(
        rules_shown,
        debts=tuple((debt["id"], debt["currency"]) for debt in candidates),
        choices=tuple(PlanChoice(code, amount) for code, amount in totals.items()),
        example=PlanExample(currency, total, tuple(example)) if example else None,
    )


def _day(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _page_plan(workspace: Workspace, shown: ShownPlan, today: date) -> PagePlan:
    plan = shown.plan
    active = plan["status"] == "active"
    if active:
        steps = tuple(
            PageInstalment(
                number=state["number"],
                due_on=_day(state["due_on"]),
                amount_minor=state["amount"],
                paid_minor=state["paid"],
                status=state["status"],
            )
            for state in plan_rules.progress(plan, shown.paid_since, today)
        )
    else:
        steps = tuple(
            PageInstalment(step["number"], _day(step["due_on"]), step["amount"], 0, "upcoming")
            for step in plan["instalments"]
        )
    collection = plan.get("collection") or {"mode": "manual"}
    ended = plan.get("ended_at")
    return PagePlan(
        plan_id=plan["id"],
        status=plan["status"],
        currency=plan["currency"],
        total_minor=plan["total"],
        paid_minor=shown.paid_since,
        invoices=shown.invoices,
        instalments=steps,
        asked_now=plan_rules.asked_now(plan, shown.paid_since) if active else None,
        ended_on=today_in(workspace, datetime.fromisoformat(ended)) if ended else None,
        automatic=collection.get("mode") == "automatic",
        method=collection.get("method"),
    )


def _payment_note(attempt: dict[str, Any] | None) -> PaymentNote | None:
    if attempt is None:
        return None
    settled = attempt.get("settled_at")
    return PaymentNote(
        status=attempt["status"],
        amount_minor=int(attempt["paid"] or attempt["amount"]),
        currency=attempt["currency"],
        settled_on=datetime.fromisoformat(settled).date() if settled else None,
        refunded_minor=int((attempt.get("overpayment_refund") or {}).get("amount", 0)),
    )


def _page_debt(debt: Debt, today: date, charges: PageCharges | None) -> PageDebt:
    return PageDebt(
        debt_id=debt["id"],
        invoice_number=debt["invoice_number"],
        description=debt.get("description"),
        amount_minor=debt["amount"],
        paid_minor=debt.get("amount_paid", 0),
        outstanding_minor=outstanding(debt),
        currency=debt["currency"],
        due_date=date.fromisoformat(debt["due_on"]),
        issued_date=date.fromisoformat(issued) if (issued := debt.get("issued_on")) else None,
        status=debt["status"],
        days_overdue=days_overdue(debt, today=today),
        charges=charges,
        in_plan=bool(debt.get("plan")),
    )


def _page_charges(debt: Debt, terms: Terms | None, today: date) -> PageCharges | None:
    charges = charges_shown(debt, terms, as_of=today)
    if terms is None or charges is None:
        return None
    # The days a dispute held interest, as the page names them: only when the workspace pauses for disputes.
    pauses = (debt.get("interest_pauses") or []) if terms.pause_while_disputed else []
    return PageCharges(
        jurisdiction=charges.jurisdiction or "EU",
        as_of=today,
        principal_minor=charges.principal_outstanding,
        interest_accrued_minor=charges.interest_accrued,
        interest_paid_minor=charges.interest_paid,
        interest_due_minor=charges.interest_due,
        interest_waived=charges.interest_waived,
        compensation_minor=charges.compensation,
        compensation_paid_minor=charges.compensation_paid,
        compensation_due_minor=charges.compensation_due,
        compensation_waived=charges.compensation_waived,
        total_due_minor=charges.total_due,
        periods=_periods(charges),
        pauses=_pauses(pauses, today),
        rates_missing_from=charges.rates_missing_from,
        counted_to=charges.interest_to,
    )


def _pauses(stored: list[list[str | None]], today: date) -> tuple[tuple[date, date | None], ...]:
    """The pauses that held at least one day until today ([from, to), to None while still disputed)."""
    held = []
    for start, end, *why in stored:
        if why:  # a payment plan's pause: the page says so with the plan, not as a dispute
            continue
        first, stop = date.fromisoformat(str(start)), date.fromisoformat(end) if end else None
        if first <= today and (stop is None or stop > first):
            held.append((first, stop))
    return tuple(held)


def _periods(charges: Charges) -> tuple[ChargePeriod, ...]:
    return tuple(
        ChargePeriod(
            start=period.start,
            end=period.end,
            days=period.days,
            principal_minor=period.principal,
            rate=period.rate,
            reference_rate=period.reference_rate,
            margin=period.margin,
            contractual=period.contractual,
            series=period.series,
        )
        for period in charges.periods
    )
