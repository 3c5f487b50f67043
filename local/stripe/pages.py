"""The hosted pages: Checkout as a debtor sees it, Connect onboarding as a business sees it.

Plain HTML forms, no scripts: every button is a form POST, so a browser, Selenium and a test's HTTP
client all press it the same way. Buttons have stable ids (`pay`, `decline`, `delayed`, `complete`).
Every value shown is escaped: names and descriptions come from whoever called the API. A button's
events are delivered before its redirect is answered, so whatever the browser sees next already knows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from local.stripe import payments, saved
from local.stripe.errors import StripeError
from local.stripe.objects import set_enabled
from local.stripe.state import EventRecord, State

Obj = dict[str, Any]


@dataclass
class PageReply:
    status: int
    html: str | None = None
    location: str | None = None


def checkout_view(state: State, session_id: str) -> tuple[PageReply, list[EventRecord]]:
    out: list[EventRecord] = []
    with state.lock:
        session = state.objects.get(session_id)
        if session is None or session["object"] != "checkout.session":
            return PageReply(404, not_found_page("No such checkout session.")), out
        state.expire_if_due(session, out)
        page = _checkout_html(state, session, None, None)
    return PageReply(200, page), out


def checkout_submit(state: State, session_id: str, form: Obj) -> tuple[PageReply, list[EventRecord]]:
    """A button on the checkout page: pay, decline, or pay by bank transfer."""
    out: list[EventRecord] = []
    outcome = form.get("outcome")
    with state.lock:
        session = state.objects.get(session_id)
        if session is None or session["object"] != "checkout.session":
            return PageReply(404, not_found_page("No such checkout session.")), out
        state.expire_if_due(session, out)
        if session["mode"] == "setup":
            return _setup_submit(state, session, form, out), out
        if session["status"] != "open" or outcome not in ("pay", "decline", "delayed"):
            return PageReply(
                409 if session["status"] != "open" else 400, _checkout_html(state, session, None, None)
            ), out
        email = session.get("customer_email") or (form.get("email") if isinstance(form.get("email"), str) else None)
        intent = payments.intent_for(state, session)
        account = state.owner[session_id]
        if outcome == "decline":
            payments.fail(
                intent, "card_error", "card_declined", "Your card was declined.", decline_code="generic_decline"
            )
            state.emit("payment_intent.payment_failed", intent, account, out)
            return PageReply(402, _checkout_html(state, session, email, "Your card was declined.")), out
        details: Obj = {
            "address": None,
            "email": email or None,
            "name": None,
            "phone": None,
            "tax_exempt": "none",
            "tax_ids": [],
        }
        session.update(status="complete", url=None, customer_details=details)
        if outcome == "pay":
            payments.succeed(state, intent, "card")
            session["payment_status"] = "paid"
        else:
            intent.update(status="processing", last_payment_error=None, payment_method_types=["sepa_debit"])
            intent["processing"] = {"type": "sepa_debit"}
        state.emit("checkout.session.completed", session, account, out)
        location = session["success_url"].replace("{CHECKOUT_SESSION_ID}", session_id)
    return PageReply(303, location=location), out


def _setup_submit(state: State, session: Obj, form: Obj, out: list[EventRecord]) -> PageReply:
    """A button on a setup-mode page: save that test card or IBAN."""
    if session["status"] != "open":
        return PageReply(409, _checkout_html(state, session, None, None))
    method = form.get("method")
    email = session.get("customer_email") or (form.get("email") if isinstance(form.get("email"), str) else None)
    if not isinstance(method, str) or method not in saved.TEST_METHODS:
        return PageReply(400, _checkout_html(state, session, email, "Pick one of the test cards or accounts."))
    try:
        saved.complete_setup(state, session, method, email or None, out)
    except StripeError as refused:
        return PageReply(400, _checkout_html(state, session, email, refused.message))
    return PageReply(303, location=session["success_url"].replace("{CHECKOUT_SESSION_ID}", session["id"]))


def onboarding_view(state: State, link_id: str, complete: bool) -> tuple[PageReply, list[EventRecord]]:
    """The onboarding page, or (complete) its button. A used or stale link sends to refresh_url, as Stripe's do."""
    out: list[EventRecord] = []
    with state.lock:
        link = state.links.get(link_id)
        if link is None or link["account"] in state.revoked:
            return PageReply(404, not_found_page("No such account link.")), out
        if link["used"] or state.now() > link["expires_at"]:
            return PageReply(303, location=link["refresh_url"]), out
        account = state.accounts[link["account"]]
        if not complete:
            return PageReply(200, _onboarding_page(account, link_id, link["return_url"])), out
        link["used"] = True
        previous = set_enabled(account, {"details_submitted": True, "charges_enabled": True, "payouts_enabled": True})
        account["tos_acceptance"] = {"date": state.now(), "ip": "127.0.0.1", "user_agent": "Stripe stand-in"}
        state.emit("account.updated", account, account["id"], out, previous=previous)
    return PageReply(303, location=link["return_url"]), out


def _business(state: State, session_id: str) -> str:
    account_id = state.owner.get(session_id)
    account = state.platform if account_id is None else state.accounts[account_id]
    profile = account["business_profile"]
    return str(profile.get("name") or account.get("email") or account["id"])


def _checkout_html(state: State, session: Obj, email: str | None, message: str | None) -> str:
    business = _business(state, session["id"])
    if session["status"] != "open":
        return _closed_checkout_page(session, business)
    shown = email or session.get("customer_email") or "jenny.rosen@example.com"
    if session["mode"] == "setup":
        return _setup_page(session, business, email=shown, message=message)
    return _checkout_page(session, state.line_items[session["id"]], business, email=shown, message=message)


# The HTML.
_STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 0; background: #f6f9fc; color: #1a1f36; }
main { max-width: 28rem; margin: 2.5rem auto; background: #fff; border-radius: 8px; padding: 1.5rem 2rem;
       box-shadow: 0 2px 8px rgba(50, 50, 93, .12); }
.test { display: inline-block; background: #ffde92; color: #a04e00; font-size: 12px; font-weight: 600;
        padding: 0 .4rem; border-radius: 4px; }
h1 { font-size: 1.1rem; margin: .75rem 0 0; color: #697386; font-weight: 500; }
.total { font-size: 2rem; font-weight: 600; margin: .25rem 0 1.25rem; }
table { width: 100%; border-collapse: collapse; margin-bottom: 1.25rem; }
td { padding: .4rem 0; border-bottom: 1px solid #e3e8ee; } td.amount { text-align: right; }
label { display: block; color: #697386; font-size: 13px; margin-bottom: .25rem; }
input { width: 100%; box-sizing: border-box; padding: .5rem; border: 1px solid #cfd7df; border-radius: 4px; }
button { display: block; width: 100%; margin-top: .75rem; padding: .7rem; border: 0; border-radius: 6px;
         font-size: 1rem; cursor: pointer; }
#pay, #complete { background: #635bff; color: #fff; } #decline { background: #fde2e1; color: #a41c1c; }
#delayed, .method { background: #e3e8ee; color: #1a1f36; }
.message { padding: .75rem; border-radius: 6px; background: #fde2e1; color: #a41c1c; margin: 1rem 0; }
.notice { padding: .75rem; border-radius: 6px; background: #e3e8ee; margin: 1rem 0; }
a { color: #635bff; }
"""

# Currencies without a minor unit: their amounts are already whole units.
_ZERO_DECIMAL = frozenset(
    {"bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf"}
)
_SYMBOLS = {"eur": "€", "usd": "$", "gbp": "£", "jpy": "¥", "chf": "CHF "}


def _format_amount(amount: int, currency: str) -> str:
    """`amount` in minor units as a person reads it: €12.34, $5.00, ¥500, 12.00 SEK."""
    whole = currency in _ZERO_DECIMAL
    number = f"{amount:,}" if whole else f"{amount / 100:,.2f}"
    symbol = _SYMBOLS.get(currency)
    return f"{symbol}{number}" if symbol else f"{number} {currency.upper()}"


def _page(title: str, body: str) -> str:
    return (
        "<!doctype html>\n<html lang=en><head><meta charset=utf-8>"
        "<meta name=viewport content='width=device-width'>"
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body><main>"
        f"<span class=test>TEST MODE · Stripe stand-in</span>\n{body}\n</main></body></html>\n"
    )


def _lines(line_items: Sequence[Mapping[str, Any]]) -> str:
    rows = []
    for item in line_items:
        quantity = f" &times; {item['quantity']}" if item["quantity"] != 1 else ""
        rows.append(
            f"<tr><td>{escape(item['description'])}{quantity}</td>"
            f"<td class=amount>{_format_amount(item['amount_total'], item['currency'])}</td></tr>"
        )
    return f"<table>{''.join(rows)}</table>"


def _checkout_page(
    session: Mapping[str, Any],
    line_items: Sequence[Mapping[str, Any]],
    business: str,
    *,
    email: str,
    message: str | None = None,
) -> str:
    """An open session: what is bought, the total, and the three ways the payment can go."""
    total = _format_amount(session["amount_total"], session["currency"])
    notice = f"<p class=message id=message role=alert>{escape(message)}</p>" if message else ""
    # A session created with customer_email shows it fixed, as Stripe does.
    readonly = " readonly" if session.get("customer_email") else ""
    back = ""
    if session.get("cancel_url"):
        back = (
            f"<p><a id=cancel href='{escape(session['cancel_url'], quote=True)}'>← Back to {escape(business)}</a></p>"
        )
    body = f"""{back}<h1>Pay {escape(business)}</h1>
<p class=total id=total>{total}</p>
{_lines(line_items)}{notice}
<form method=post action='/checkout/{escape(session["id"], quote=True)}'>
<label for=email>Email</label><input id=email name=email type=email value='{escape(email, quote=True)}'{readonly}>
<button id=pay name=outcome value=pay type=submit>Pay {total}</button>
<button id=decline name=outcome value=decline type=submit>Decline (card declined)</button>
<button id=delayed name=outcome value=delayed type=submit>Pay by bank transfer (delayed)</button>
</form>"""
    return _page(f"Pay {business}", body)


def _setup_page(session: Mapping[str, Any], business: str, *, email: str, message: str | None = None) -> str:
    """An open setup-mode session: one button per test card or IBAN it can save, each saying how payments go."""
    notice = f"<p class=message id=message role=alert>{escape(message)}</p>" if message else ""
    readonly = " readonly" if session.get("customer_email") else ""
    back = ""
    if session.get("cancel_url"):
        back = (
            f"<p><a id=cancel href='{escape(session['cancel_url'], quote=True)}'>← Back to {escape(business)}</a></p>"
        )
    buttons = "\n".join(
        f"<button id='{kind}-{number[-4:]}' class=method name=method value='{number}' type=submit>"
        f"{escape(test.label)}</button>"
        for number, test in saved.TEST_METHODS.items()
        for kind in [test.kind]
        if kind in session["payment_method_types"]
    )
    body = f"""{back}<h1>Save a payment method for {escape(business)}</h1>
<p class=notice>{escape(business)} will charge it on the agreed dates.</p>{notice}
<form method=post action='/checkout/{escape(session["id"], quote=True)}'>
<label for=email>Email</label><input id=email name=email type=email value='{escape(email, quote=True)}'{readonly}>
{buttons}
</form>"""
    return _page(f"Save a payment method for {business}", body)


def _closed_checkout_page(session: Mapping[str, Any], business: str) -> str:
    """A session that cannot be paid any more: expired, paid, or waiting for a bank transfer."""
    if session["mode"] == "setup":
        total = ""
        heading, text = (
            ("This checkout session has expired", "Nothing was saved.")
            if session["status"] == "expired"
            else ("Payment method saved", f"{business} will charge it on the agreed dates.")
        )
        body = f"<h1>{escape(business)}</h1><p class=notice id=status data-status='{escape(session['status'])}'>"
        return _page(heading, body + f"<strong>{escape(heading)}</strong><br>{escape(text)}</p>")
    total = _format_amount(session["amount_total"], session["currency"])
    if session["status"] == "expired":
        heading, text = "This checkout session has expired", "Nothing was charged. Ask for a new payment link."
    elif session["payment_status"] == "paid":
        heading, text = "Payment received", f"{total} paid to {business}. Thank you."
    else:
        heading, text = "Payment processing", f"Your bank transfer of {total} to {business} is on its way."
    body = f"<h1>{escape(business)}</h1><p class=notice id=status data-status='{escape(session['status'])}'>"
    body += f"<strong>{escape(heading)}</strong><br>{escape(text)}</p>"
    return _page(heading, body)


def _onboarding_page(account: Mapping[str, Any], link_id: str, return_url: str) -> str:
    """Connect onboarding in one step: the business either completes it or leaves."""
    profile = account.get("business_profile") or {}
    name = profile.get("name") or account.get("email") or account["id"]
    body = f"""<h1>Set up payments for {escape(name)}</h1>
<p>Stripe would ask for the business's details, identity and bank account here. Account
<code>{escape(account["id"])}</code> ({escape(account["type"])}, {escape(account["country"])}).</p>
<form method=post action='/connect/onboarding/{escape(link_id, quote=True)}'>
<button id=complete type=submit>Complete onboarding</button>
</form>
<p><a id=leave href='{escape(return_url, quote=True)}'>Leave without finishing</a></p>"""
    return _page("Stripe onboarding", body)


def not_found_page(what: str) -> str:
    return _page("Not found", f"<h1>Not found</h1><p class=notice>{escape(what)}</p>")
