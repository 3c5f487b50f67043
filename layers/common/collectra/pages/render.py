"""The debtor's public page (`/p/{token}`) and the plain pages shown instead of it, rendered to HTML.

The caller (the HTTP handler) loads the data, calls one function here, and sends the result with the
headers this module names in `content_security_policy`. Every page is a complete HTML document in the
debtor's language, with one inline <style> carrying the response's nonce and nothing else to load: no
script, font, image or stylesheet. Every value that comes from a person (names, addresses, invoice
numbers, descriptions) is escaped by the template engine.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from collectra.clock import utcnow
from collectra.pages.charges import ChargeLine, PageCharges, charge_lines
from collectra.pages.formatting import format_date, format_money, resolve_locale
from collectra.pages.messages import ANSWER_KINDS, NOTICES, PAYMENT_NOTES, message, plural_key

if TYPE_CHECKING:
    from jinja2 import Environment

TEMPLATES = Path(__file__).parent / "templates"

# The debts the page asks about. Anything else (paid, cancelled, written off, or a status added later)
# stays off the page: asking a debtor for money that may not be owed is worse than leaving a debt out.
LISTED_STATUSES = frozenset({"open", "partially_paid", "disputed"})
DISPUTED = "disputed"
MESSAGE_MAX_LENGTH = 2000
# "Pay" answers with a redirect to Stripe Checkout, and browsers apply form-action to that redirect too.
STRIPE_CHECKOUT_ORIGIN = "https://checkout.stripe.com"

_NONCE = re.compile(r"[A-Za-z0-9+/_-]+={0,2}")


@dataclass(frozen=True)
class Creditor:
    """The business asking to be paid, as its debtor sees it."""

    legal_name: str  # falls back to the workspace name when no legal name is set (the caller decides)
    address_lines: list[str]  # postal address, already split into lines (may be empty)
    contact_email: str | None  # reply-to
    sender_name: str | None


@dataclass(frozen=True)
class PageDebt:
    """One debt as the page shows it. Amounts are minor units of `currency`."""

    debt_id: str
    invoice_number: str
    description: str | None
    amount_minor: int  # original amount
    paid_minor: int
    outstanding_minor: int
    currency: str  # ISO 4217
    due_date: date
    issued_date: date | None
    status: str  # "open" | "partially_paid" | "disputed" | "paid" | ...
    days_overdue: int  # 0 when not overdue
    charges: PageCharges | None = None  # None: the business claims no late-payment charges
    in_plan: bool = False  # in an active payment plan: its instalments, not its due date, say when to pay


@dataclass(frozen=True)
class PaymentNote:
    """A payment the debtor is back from, as Collectra's own records have it (never as the redirect says)."""

    status: str  # a payment attempt's status: creating, open, processing, succeeded, failed, expired
    amount_minor: int
    currency: str
    settled_on: date | None  # when it was received, for a succeeded payment
    refunded_minor: int = 0  # given back at once: what was already paid when this payment arrived


@dataclass(frozen=True)
class PageReply:
    """What the business answered the debtor's question, shown on their page (newest first)."""

    on: date
    message: str


@dataclass(frozen=True)
class PageInstalment:
    """One instalment of a plan as the page shows it (`collectra.plans.rules.progress`)."""

    number: int
    due_on: date
    amount_minor: int
    paid_minor: int  # how much of it is covered by what was paid since the plan started
    status: str  # paid | due | upcoming | overdue | missed


@dataclass(frozen=True)
class PagePlan:
    """A payment plan of the debtor's, open or ended."""

    plan_id: str
    status: str  # proposed | offered | active | completed | broken | cancelled | declined | withdrawn
    currency: str
    total_minor: int
    paid_minor: int  # paid since it started (0 before it starts)
    invoices: tuple[str, ...]
    instalments: tuple[PageInstalment, ...]
    asked_now: tuple[int, int] | None = None  # (instalment number, amount) what paying now pays
    ended_on: date | None = None
    automatic: bool = False  # the debtor set up automatic collection
    method: Mapping[str, str] | None = None  # the saved method: {"type", "brand"?, "last4"}


@dataclass(frozen=True)
class PlanChoice:
    """ "All open invoices in a currency", as the plan form offers it."""

    currency: str
    total_minor: int


@dataclass(frozen=True)
class PlanExample:
    """A worked example of the split, for the form's explanation: what `total` in `count` monthly instalments is."""

    currency: str
    total_minor: int
    instalments: tuple[tuple[date, int], ...]


@dataclass(frozen=True)
class PlanForm:
    """The "propose a payment plan" form, with the workspace's rules for debtors' proposals."""

    max_instalments: int
    min_first_percent: int
    auto_approve: bool
    first_from: date  # the business's today
    latest: date  # the last date an instalment may fall on
    debts: tuple[tuple[str, str], ...]  # (id, currency) of the debts that may be in a plan now
    choices: tuple[PlanChoice, ...]  # one per currency of those debts
    example: PlanExample | None = None


@dataclass(frozen=True)
class DebtorPage:
    """Everything the debtor's page shows, for one debtor of one business."""

    locale: str  # "en" | "fr" | "de"; anything else is English
    debtor_name: str
    creditor: Creditor
    debts: list[PageDebt]  # shown in this order; only the open ones (LISTED_STATUSES, something outstanding)
    token: str  # the link token, used only to build the forms' action URLs
    csrf_token: str  # a hidden field in every form
    payments_enabled: bool  # False until Stripe is wired: a notice replaces the Pay buttons
    style_nonce: str
    notice: str | None = None  # a key of messages.NOTICES, shown at the top; any other value is ignored
    payment: PaymentNote | None = None
    # The debtor's date today (in their time zone), for "due in N days". Without it, today's date in UTC,
    # which can be a day off; an overdue debt's note comes from `days_overdue` either way.
    today: date | None = None
    # The last date a promise may name (the workspace's horizon from `today`): the date picker's maximum,
    # and the date a refused promise's notice gives. None: no maximum.
    latest_promise: date | None = None
    replies: tuple[PageReply, ...] = ()
    plans: tuple[PagePlan, ...] = ()  # the open plan (at most one) and the ended ones, newest first
    plan_form: PlanForm | None = None  # None: the debtor may not propose a plan now
    # The rules a refused proposal's notice names (the form's, or the workspace's when no form is shown).
    plan_rules: PlanForm | None = None


@dataclass(frozen=True)
class _Reply:
    on: str
    message: str


@dataclass(frozen=True)
class _Row:
    debt_id: str
    invoice_number: str
    description: str | None
    issued: str | None
    amount: str
    paid: str
    outstanding: str
    due: str
    status_note: str
    pay_label: str
    option_label: str
    payable: bool  # a disputed debt is not paid from the page while the business reviews it
    charges: list[ChargeLine]  # the breakdown, when the business claims late-payment charges
    # With charges to pay beyond the invoice: the second button's label ("pay everything"), and the first
    # button says it pays the invoice amount only.
    everything_label: str | None


@dataclass(frozen=True)
class _Total:
    currency: str
    amount: str
    debt_count: int
    everything: str | None = None  # with the late-payment charges, when some are claimed


def render_debtor_page(page: DebtorPage) -> str:
    """The debtor's page: who is asking, every open debt with per-currency totals, what happens next,
    a way to pay (or, while payments are not enabled, how to pay otherwise) and a form to answer.
    With no open debt, a kind sentence that nothing is owed right now, and no forms.
    Raises ValueError for a nonce that a Content-Security-Policy header cannot carry, or for a listed
    debt whose currency is not ISO 4217.
    """
    locale = resolve_locale(page.locale)
    creditor = page.creditor
    today = page.today or utcnow().date()
    listed = [debt for debt in page.debts if debt.status in LISTED_STATUSES and debt.outstanding_minor > 0]
    rows = [_row(debt, today, locale, creditor.legal_name) for debt in listed]
    token = quote(page.token, safe="")
    return _render(
        "debtor_page.html",
        locale,
        page.style_nonce,
        t=_translator(locale, creditor=creditor.legal_name),
        creditor=creditor,
        address_lines=[line for line in creditor.address_lines if line.strip()],
        # A sender name that only repeats the business's name says nothing new.
        contact_person=creditor.sender_name if creditor.sender_name != creditor.legal_name else None,
        mailto=f"mailto:{quote(creditor.contact_email, safe='@')}" if creditor.contact_email else None,
        debtor_name=page.debtor_name,
        notice=_notice(page.notice, locale, creditor.legal_name, page.latest_promise, page.plan_rules),
        payment_note=_payment_note(page.payment, locale),
        rows=rows,
        totals=_totals(listed, locale),
        payable_totals=_totals([debt for debt in listed if debt.status != DISPUTED], locale),
        next_steps=_next_steps(listed, locale, creditor.legal_name),
        payments_enabled=page.payments_enabled,
        pay_action=f"/p/{token}/pay",
        answer_action=f"/p/{token}/answer",
        csrf_token=page.csrf_token,
        answer_kinds=ANSWER_KINDS,
        message_max_length=MESSAGE_MAX_LENGTH,
        today_iso=today.isoformat(),
        latest_promise_iso=page.latest_promise.isoformat() if page.latest_promise else None,
        replies=[_Reply(format_date(reply.on, locale), reply.message) for reply in page.replies],
        **_plans(page, rows, locale, creditor.legal_name),
    )


@dataclass(frozen=True)
class OptOutPage:
    """The page behind the opt-out link of every reminder (`/u/{token}`). It names the business only:
    the link sits in every email and never expires, so it shows neither the debtor nor what they owe."""

    locale: str  # the debtor's: "en" | "fr" | "de"; anything else is English
    creditor_name: str
    token: str  # the opt-out token, used only to build the form's action URL
    style_nonce: str
    done: bool  # opted out already (or just now): the confirmation, and no button


def render_opt_out_page(page: OptOutPage) -> str:
    """Either one button that stops the reminder emails (posting to the page's own address, which is also
    the `List-Unsubscribe` URL that mail providers post to), or the confirmation that they are stopped."""
    locale = resolve_locale(page.locale)
    t = _translator(locale, creditor=page.creditor_name)
    return _render(
        "opt_out.html",
        locale,
        page.style_nonce,
        t=t,
        heading=t("opt_out_done_heading" if page.done else "opt_out_heading"),
        done=page.done,
        action=f"/u/{quote(page.token, safe='')}",
    )


@dataclass(frozen=True)
class NoticeOffPage:
    """The page behind the unsubscribe link of a member's notification emails (`/n/{token}`): it names the
    workspace and the email, nothing of what the emails said."""

    locale: str  # the workspace's
    workspace_name: str
    setting: str  # "daily_digest" | "disputes_at_once"
    token: str
    style_nonce: str
    done: bool


def render_notice_off_page(page: NoticeOffPage) -> str:
    """One button that turns the email off (posting to the page's own address, the `List-Unsubscribe` URL), or
    the confirmation that it is off."""
    locale = resolve_locale(page.locale)
    t = _translator(locale, workspace=page.workspace_name)
    return _render(
        "notice_off.html",
        locale,
        page.style_nonce,
        t=t,
        heading=t("notice_off_done_heading" if page.done else f"notice_off_heading_{page.setting}"),
        done=page.done,
        action=f"/n/{quote(page.token, safe='')}",
    )


def render_not_found(locale: str, style_nonce: str) -> str:
    """The one page for an unknown, revoked or rotated link. It takes no token and names no business,
    so it is the same for every link: it cannot tell anyone which links exist or existed."""
    return _plain_page(locale, style_nonce, "not_found_heading", "not_found_body")


def render_rate_limited(locale: str, style_nonce: str) -> str:
    """The page for a visitor who opened too many links too quickly; it names no link and no business."""
    return _plain_page(locale, style_nonce, "rate_limited_heading", "rate_limited_body")


def new_style_nonce() -> str:
    """A fresh nonce for one response's <style> (128 bits, URL-safe base64)."""
    return secrets.token_urlsafe(16)


def content_security_policy(style_nonce: str, *, payment_origin: str = STRIPE_CHECKOUT_ORIGIN) -> str:
    """The Content-Security-Policy for a page rendered with `style_nonce`: nothing may load or run except
    that one <style>; forms post only to this site, which may redirect a payment to `payment_origin`.
    The handler should also send `Referrer-Policy: no-referrer`, `X-Robots-Tag: noindex` and
    `Cache-Control: no-store`: the page's address is the debtor's secret link."""
    _check_nonce(style_nonce)
    return (
        f"default-src 'none'; style-src 'nonce-{style_nonce}'; form-action 'self' {payment_origin}; "
        "base-uri 'none'; frame-ancestors 'none'"
    )


def _row(debt: PageDebt, today: date, locale: str, creditor: str) -> _Row:
    outstanding = format_money(debt.outstanding_minor, debt.currency, locale)
    charges = debt.charges
    everything = charges is not None and charges.payable_beyond_principal
    return _Row(
        debt_id=debt.debt_id,
        invoice_number=debt.invoice_number,
        description=debt.description,
        issued=format_date(debt.issued_date, locale) if debt.issued_date else None,
        amount=format_money(debt.amount_minor, debt.currency, locale),
        paid=format_money(debt.paid_minor, debt.currency, locale),
        outstanding=outstanding,
        due=format_date(debt.due_date, locale),
        status_note=_status_note(debt, today, locale),
        pay_label=message(
            locale, "pay_principal" if everything else "pay_debt", invoice=debt.invoice_number, amount=outstanding
        ),
        option_label=message(locale, "answer_debt_option", invoice=debt.invoice_number, amount=outstanding),
        payable=debt.status != DISPUTED,
        charges=charge_lines(charges, debt.currency, locale, creditor=creditor)
        if charges is not None and _shown(charges)
        else [],
        everything_label=message(
            locale,
            "pay_everything",
            invoice=debt.invoice_number,
            amount=format_money(charges.total_due_minor, debt.currency, locale),
        )
        if charges is not None and everything
        else None,
    )


def _shown(charges: PageCharges) -> bool:
    """Whether a debt's charges have anything to say: some accrued, waived, held by a dispute, or not knowable."""
    return bool(
        charges.rates_missing_from
        or charges.interest_accrued_minor
        or charges.compensation_minor
        or charges.interest_waived
        or charges.compensation_waived
        or charges.pauses
    )


def _notice(
    key: str | None, locale: str, creditor: str, latest_promise: date | None, rules: PlanForm | None = None
) -> str | None:
    # The key may have travelled through a redirect's query string: an unknown one is not an error.
    if key is None or key not in NOTICES:
        return None
    if key == "plan_refused":
        if rules is None:  # no rules to name: the plain "not sent" notice
            return message(locale, "plan_invalid", creditor=creditor)
        latest, count, percent = format_date(rules.latest, locale), rules.max_instalments, rules.min_first_percent
        return message(locale, key, creditor=creditor, latest=latest, count=count, percent=percent)
    latest = format_date(latest_promise, locale) if latest_promise else ""
    return message(locale, key, creditor=creditor, latest=latest)


def _payment_note(payment: PaymentNote | None, locale: str) -> str | None:
    if payment is None or payment.status not in PAYMENT_NOTES:
        return None
    note = message(
        locale,
        PAYMENT_NOTES[payment.status],
        amount=format_money(payment.amount_minor, payment.currency, locale),
        date=format_date(payment.settled_on, locale) if payment.settled_on else "",
    )
    if payment.status == "succeeded" and payment.refunded_minor:
        refunded = format_money(payment.refunded_minor, payment.currency, locale)
        note += " " + message(locale, "payment_note_overpayment_refunded", amount=refunded)
    return note


def _status_note(debt: PageDebt, today: date, locale: str) -> str:
    if debt.status == DISPUTED:
        return message(locale, "status_under_review")
    if debt.in_plan:
        return message(locale, "status_in_plan")
    if debt.days_overdue > 0:
        return message(locale, plural_key("status_overdue", debt.days_overdue, locale), days=debt.days_overdue)
    # Not overdue by the caller's reckoning: a due date already behind our clock is still "due today".
    days_left = (debt.due_date - today).days
    if days_left <= 0:
        return message(locale, "status_due_today")
    return message(locale, plural_key("status_due_in", days_left, locale), days=days_left)


def _totals(debts: list[PageDebt], locale: str) -> list[_Total]:
    sums: dict[str, tuple[int, int, int]] = {}  # in order of first appearance, as the table lists them
    for debt in debts:
        amount, count, everything = sums.get(debt.currency, (0, 0, 0))
        charges = debt.charges
        due = charges.total_due_minor if charges is not None and charges.payable_beyond_principal else 0
        sums[debt.currency] = (amount + debt.outstanding_minor, count + 1, everything + (due or debt.outstanding_minor))
    return [
        _Total(
            currency=currency,
            amount=format_money(amount, currency, locale),
            debt_count=count,
            everything=format_money(everything, currency, locale) if everything > amount else None,
        )
        for currency, (amount, count, everything) in sums.items()
    ]


def _next_steps(debts: list[PageDebt], locale: str, creditor: str) -> list[str]:
    """What the debtor can expect, one sentence per situation present on the page."""
    undisputed = [debt for debt in debts if debt.status != DISPUTED]
    keys = []
    if any(debt.days_overdue == 0 for debt in undisputed):
        keys.append("next_before_due")
    if any(debt.days_overdue > 0 for debt in undisputed):
        keys.append("next_overdue")
    if len(undisputed) < len(debts):
        keys.append("next_disputed")
    if undisputed:
        keys.append("next_need_time")
    return [message(locale, key, creditor=creditor) for key in keys]


OPEN_PLAN_STATES = ("proposed", "offered", "active")


@dataclass(frozen=True)
class _Instalment:
    label: str
    due: str
    amount: str
    status: str


@dataclass(frozen=True)
class _Plan:
    plan_id: str
    status: str
    summary: str
    paid_note: str | None
    instalments: list[_Instalment]
    asked_now: str | None
    pay_label: str | None
    automatic_note: str | None
    automatic: bool


def _plans(page: DebtorPage, rows: list[_Row], locale: str, creditor: str) -> dict[str, Any]:
    """The plan section's values: the open plan with its schedule, how each ended plan ended, and the form."""
    opened = next((plan for plan in page.plans if plan.status in OPEN_PLAN_STATES), None)
    ended = [
        message(locale, f"plan_ended_{plan.status}", creditor=creditor, date=format_date(plan.ended_on, locale))
        for plan in page.plans
        if plan.status not in OPEN_PLAN_STATES and plan.ended_on is not None
    ]
    return {
        "open_plan": _open_plan(opened, locale) if opened else None,
        "ended_plans": ended[:3],
        "plan_action": f"/p/{quote(page.token, safe='')}/plan",
        "plan_automatic_action": f"/p/{quote(page.token, safe='')}/plan/automatic",
        "plan_form": _plan_form(page.plan_form, rows, locale, creditor) if page.plan_form and opened is None else None,
    }


def _open_plan(plan: PagePlan, locale: str) -> _Plan:
    count = len(plan.instalments)

    def money(amount: int) -> str:
        return format_money(amount, plan.currency, locale)

    instalments = [
        _Instalment(
            label=message(locale, "plan_instalment", number=step.number, count=count),
            due=format_date(step.due_on, locale),
            amount=money(step.amount_minor),
            status=_instalment_status(step, plan.currency, locale),
        )
        for step in plan.instalments
    ]
    asked = plan.asked_now if plan.status == "active" else None
    automatic = None
    if plan.status == "active":
        automatic = (
            message(locale, "plan_automatic_on", method=_method(plan.method, locale))
            if plan.automatic
            else message(locale, "plan_automatic_off")
        )
    return _Plan(
        plan_id=plan.plan_id,
        status=plan.status,
        summary=message(
            locale, "plan_summary", total=money(plan.total_minor), count=count, invoices=", ".join(plan.invoices)
        ),
        paid_note=message(locale, "plan_paid_so_far", paid=money(plan.paid_minor), total=money(plan.total_minor))
        if plan.status == "active"
        else None,
        instalments=instalments,
        asked_now=message(locale, "plan_asked_now", number=asked[0], amount=money(asked[1])) if asked else None,
        pay_label=message(locale, "plan_pay_instalment", number=asked[0], amount=money(asked[1])) if asked else None,
        automatic_note=automatic,
        automatic=plan.automatic,
    )


def _instalment_status(step: PageInstalment, currency: str, locale: str) -> str:
    said = message(locale, f"instalment_{step.status}")
    if step.status != "paid" and step.paid_minor > 0:  # partly paid: it asks only for the rest
        return (
            f"{said} ({message(locale, 'instalment_part_paid', paid=format_money(step.paid_minor, currency, locale))})"
        )
    return said


def _method(method: Mapping[str, str] | None, locale: str) -> str:
    if not method or not method.get("last4"):
        return message(locale, "plan_method_saved")
    if method.get("type") == "sepa_debit":
        return message(locale, "plan_method_sepa_debit", last4=method["last4"])
    brand = str(method.get("brand") or "").capitalize()
    return message(locale, "plan_method_card", brand=brand, last4=method["last4"]).replace("  ", " ")


@dataclass(frozen=True)
class _PlanGroup:
    """One form per currency: a plan is in one currency. Its debt choice: all of them, or one."""

    currency: str
    all_label: str
    debts: list[tuple[str, str]]  # (debt id, label)


@dataclass(frozen=True)
class _PlanForm:
    intro: str
    limits: str
    explained: str
    example: str | None
    groups: list[_PlanGroup]
    counts: list[int]
    first_from: str
    latest: str


def _plan_form(form: PlanForm, rows: list[_Row], locale: str, creditor: str) -> _PlanForm | None:
    if not form.choices:
        return None
    latest = format_date(form.latest, locale)
    example = None
    if form.example is not None:
        shown = form.example
        schedule = ", ".join(
            f"{format_date(day, locale)}\u00a0: {format_money(amount, shown.currency, locale)}"
            if locale == "fr"
            else f"{format_date(day, locale)}: {format_money(amount, shown.currency, locale)}"
            for day, amount in shown.instalments
        )
        example = message(
            locale,
            "plan_example",
            amount=format_money(shown.total_minor, shown.currency, locale),
            count=len(shown.instalments),
            date=format_date(shown.instalments[0][0], locale),
            schedule=schedule,
        )
    labels = {row.debt_id: row.option_label for row in rows}
    groups = [
        _PlanGroup(
            currency=choice.currency,
            all_label=message(
                locale,
                "plan_debt_all",
                currency=choice.currency,
                amount=format_money(choice.total_minor, choice.currency, locale),
            ),
            debts=[
                (debt_id, labels[debt_id])
                for debt_id, currency in form.debts
                if currency == choice.currency and debt_id in labels
            ],
        )
        for choice in form.choices
    ]
    return _PlanForm(
        intro=message(locale, "plan_intro_auto" if form.auto_approve else "plan_intro", creditor=creditor),
        limits=message(
            locale, "plan_limits", count=form.max_instalments, latest=latest, percent=form.min_first_percent
        ),
        explained=message(locale, "plan_explained"),
        example=example,
        groups=groups,
        counts=list(range(2, max(2, form.max_instalments) + 1)),
        first_from=form.first_from.isoformat(),
        latest=form.latest.isoformat(),
    )


def _plain_page(locale: str, style_nonce: str, heading_key: str, body_key: str) -> str:
    locale = resolve_locale(locale)
    return _render(
        "plain_page.html",
        locale,
        style_nonce,
        heading=message(locale, heading_key),
        body=message(locale, body_key),
    )


def _translator(locale: str, **defaults: str) -> Callable[..., str]:
    """`t(key, **values)` for the templates; `defaults` fill the placeholders a message shares with most
    others (the business's name), so templates only pass what is particular to one message."""

    def translate(key: str, **values: object) -> str:
        return message(locale, key, **{**defaults, **values})

    return translate


def _render(template: str, locale: str, style_nonce: str, **context: Any) -> str:
    _check_nonce(style_nonce)
    return _environment().get_template(template).render(lang=locale, style_nonce=style_nonce, **context)


def _check_nonce(style_nonce: str) -> None:
    if not _NONCE.fullmatch(style_nonce):
        raise ValueError("a style nonce must be base64 or URL-safe base64 text")


@cache
def _environment() -> Environment:
    # Imported here, not at the top: only the functions that render a page pay Jinja's import, so a module
    # that just formats amounts (a reminder email, say) does not.
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        # The templates never change while a Lambda container lives: no file check on every render.
        auto_reload=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
