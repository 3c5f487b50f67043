"""The emails a member gets about a workspace: the daily digest and the dispute alert.

Collectra's own emails (the account emails' path, `collectra.email`), not the workspace's: they do not count
against its sending quota for debtors. In English, like the other account emails. The subject is Collectra's
own words only (a workspace's name is whatever someone typed); the sender is "<workspace> via Collectra".
Each carries its unsubscribe link in the text and, for one-click, in RFC 8058's headers. Links open the web
app at /app/ on the API's own origin.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from html import escape
from typing import Any

from collectra import config
from collectra.digest.content import Digest
from collectra.digest.unsubscribe import headers
from collectra.email import brevo
from collectra.email.display_name import via_collectra
from collectra.pages.formatting import format_date, format_money

LISTED = 10  # payments and items shown one by one; the rest are counted
LOCALE = "en"
DIGEST_SUBJECT = "Your Collectra digest: yesterday's payments and what needs you"
DISPUTE_SUBJECT = "A debtor disputed a debt in Collectra"


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str | None
    workspace_name: str
    unsubscribe_link: str


def app_link(path: str = "") -> str:
    return f"{config.public_base_url()}/app/{path}"


@dataclass(frozen=True)
class _Line:
    text: str
    link: str | None = None


def _message(to: Recipient, subject: str, lines: list[_Line], why: str, *, tag: str) -> brevo.Message:
    greeting = f"Hello {to.name}," if to.name else "Hello,"
    footer = f"{why} To stop these emails: {to.unsubscribe_link}"
    text = "\n\n".join([greeting, *(f"{line.text}: {line.link}" if line.link else line.text for line in lines), footer])
    body = "".join(
        f'<p><a href="{escape(line.link)}">{escape(line.text)}</a></p>' if line.link else f"<p>{escape(line.text)}</p>"
        for line in lines
    )
    html = (
        '<!doctype html><html><body style="font-family:sans-serif;line-height:1.5">'
        f"<p>{escape(greeting)}</p>{body}"
        f'<p style="color:#555;font-size:smaller">{escape(why)} '
        f'<a href="{escape(to.unsubscribe_link)}">Stop these emails</a></p></body></html>'
    )
    return brevo.Message(
        to_email=to.email,
        to_name=to.name,
        subject=subject,
        html=html,
        text=text,
        sender_email=config.email_sender_address(),
        sender_name=via_collectra(to.workspace_name),
        headers=headers(to.unsubscribe_link),
        tags=(tag,),
    )


def _totals(payments: list[dict[str, Any]]) -> str:
    sums: defaultdict[str, int] = defaultdict(int)
    for entry in payments:
        sums[str(entry["currency"])] += int(entry["amount"])
    return ", ".join(format_money(sums[c], c, LOCALE) for c in sorted(sums, key=lambda c: (-sums[c], c)))


def _item_line(item: dict[str, Any]) -> _Line:
    what = str(item.get("kind", "item")).replace("_", " ")
    invoice = item.get("invoice_number")
    text = f"{what.capitalize()}{f' on invoice {invoice}' if invoice else ''}"
    if item.get("debt_id"):
        return _Line(text, app_link(f"debts/{item['debt_id']}"))
    if item.get("debtor_id"):
        return _Line(text, app_link(f"debtors/{item['debtor_id']}"))
    return _Line(text, app_link("inbox"))


def _payment_line(entry: dict[str, Any]) -> _Line:
    amount = format_money(int(entry["amount"]), str(entry["currency"]), LOCALE)
    return _Line(amount, app_link(f"debts/{entry['debt_id']}"))


def _more(shown: int, total: int) -> list[_Line]:
    return [_Line(f"... and {total - shown} more")] if total > shown else []


def digest(to: Recipient, found: Digest) -> brevo.Message:
    day = format_date(found.day, LOCALE)
    lines = [_Line(f"Here is {day} in {to.workspace_name}.")]
    if found.payments:
        count = len(found.payments)
        lines.append(_Line(f"{count} payment{'s' if count > 1 else ''} received: {_totals(found.payments)}"))
        lines += [_payment_line(entry) for entry in found.payments[:LISTED]]
        lines += _more(LISTED, count)
    if found.broken_promises:
        lines.append(_Line(f"{len(found.broken_promises)} promise(s) to pay were broken"))
        lines += [_item_line(item) for item in found.broken_promises[:LISTED]]
        lines += _more(LISTED, len(found.broken_promises))
    if found.new_items:
        lines.append(_Line(f"{len(found.new_items)} new item(s) in the inbox", app_link("inbox")))
        lines += [_item_line(item) for item in found.new_items[:LISTED]]
        lines += _more(LISTED, len(found.new_items))
    lines.append(_Line("Open Collectra", app_link()))
    why = f"You get this digest because you turned it on for {to.workspace_name}."
    return _message(to, DIGEST_SUBJECT, lines, why, tag="digest")


def dispute(to: Recipient, debt: dict[str, Any]) -> brevo.Message:
    owed = max(0, int(debt["amount"]) - int(debt.get("amount_paid", 0)))
    lines = [
        _Line(
            f"A debtor disputed invoice {debt['invoice_number']} ({format_money(owed, str(debt['currency']), LOCALE)} "
            f"outstanding) in {to.workspace_name}. Reminders for it have stopped."
        ),
        _Line("See the debt and what they wrote", app_link(f"debts/{debt['id']}")),
    ]
    why = f"You get this email because you asked to hear about new disputes in {to.workspace_name} at once."
    return _message(to, DISPUTE_SUBJECT, lines, why, tag="dispute-alert")
