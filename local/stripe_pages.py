"""The Stripe stand-in's pages: hosted Checkout and Connect onboarding, as a debtor or a business sees them.

Plain HTML forms, no scripts: every button is a form POST, so a browser, Selenium and a test's HTTP
client all press it the same way. Buttons have stable ids (`pay`, `decline`, `delayed`, `complete`).
Every value shown is escaped: names and descriptions come from whoever called the API.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

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
#delayed { background: #e3e8ee; color: #1a1f36; }
.message { padding: .75rem; border-radius: 6px; background: #fde2e1; color: #a41c1c; margin: 1rem 0; }
.notice { padding: .75rem; border-radius: 6px; background: #e3e8ee; margin: 1rem 0; }
a { color: #635bff; }
"""

# Currencies without a minor unit: their amounts are already whole units.
_ZERO_DECIMAL = frozenset(
    {"bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf"}
)
_SYMBOLS = {"eur": "€", "usd": "$", "gbp": "£", "jpy": "¥", "chf": "CHF "}


def format_amount(amount: int, currency: str) -> str:
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
            f"<td class=amount>{format_amount(item['amount_total'], item['currency'])}</td></tr>"
        )
    return f"<table>{''.join(rows)}</table>"


def checkout_page(
    session: Mapping[str, Any],
    line_items: Sequence[Mapping[str, Any]],
    business: str,
    *,
    email: str,
    message: str | None = None,
) -> str:
    """An open session: what is bought, the total, and the three ways the payment can go."""
    total = format_amount(session["amount_total"], session["currency"])
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


def closed_checkout_page(session: Mapping[str, Any], business: str) -> str:
    """A session that cannot be paid any more: expired, paid, or waiting for a bank transfer."""
    total = format_amount(session["amount_total"], session["currency"])
    if session["status"] == "expired":
        heading, text = "This checkout session has expired", "Nothing was charged. Ask for a new payment link."
    elif session["payment_status"] == "paid":
        heading, text = "Payment received", f"{total} paid to {business}. Thank you."
    else:
        heading, text = "Payment processing", f"Your bank transfer of {total} to {business} is on its way."
    body = f"<h1>{escape(business)}</h1><p class=notice id=status data-status='{escape(session['status'])}'>"
    body += f"<strong>{escape(heading)}</strong><br>{escape(text)}</p>"
    return _page(heading, body)


def onboarding_page(account: Mapping[str, Any], link_id: str, return_url: str) -> str:
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
