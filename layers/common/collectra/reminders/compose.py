"""What a reminder email says: the template's text filled with the debtor's invoices and their links."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from collectra import config
from collectra.debtors.records import Debtor
from collectra.debts.charges import charges_on
from collectra.debts.records import Debt, Invoice, outstanding
from collectra.interest import terms_of
from collectra.pages.formatting import format_date, format_money, resolve_locale
from collectra.reminders import charges
from collectra.reminders.templates import Email, render, source_of
from collectra.secrets import secret
from collectra.workspaces.records import Workspace


def opt_out_token(workspace_id: str, debtor_id: str) -> str:
    """The debtor's opt-out link token: it names them and is signed, so nothing needs to be stored."""
    key = secret(config.page_link_secret_name()).encode()
    mac = hmac.new(key, f"opt-out:{workspace_id}.{debtor_id}".encode(), hashlib.sha256).digest()
    return f"{workspace_id}.{debtor_id}.{base64.urlsafe_b64encode(mac[:24]).decode()}"


def read_opt_out_token(token: str) -> tuple[str, str] | None:
    parts = token.split(".")
    if len(parts) != 3 or len(token) > 128:
        return None
    workspace_id, debtor_id, _ = parts
    if not hmac.compare_digest(opt_out_token(workspace_id, debtor_id), token):
        return None
    return workspace_id, debtor_id


def address_of(workspace: Workspace) -> str:
    address = workspace.get("postal_address") or {}
    parts = [
        address.get("line1"),
        address.get("line2"),
        " ".join(filter(None, [address.get("postal_code"), address.get("city")])),
        address.get("country"),
    ]
    return ", ".join(part for part in parts if part)


def context(
    workspace: Workspace, debtor: Debtor, debts: list[Debt], *, page_token: str, locale: str, today: date
) -> dict[str, Any]:
    base = config.public_base_url()
    return values(
        workspace,
        debtor,
        debts,
        locale=locale,
        page_link=f"{base}/p/{page_token}",
        opt_out_link=f"{base}/u/{opt_out_token(workspace['id'], debtor['id'])}",
        today=today,
    )


def values(
    workspace: Workspace,
    debtor: Debtor,
    debts: Sequence[Invoice],
    *,
    locale: str,
    page_link: str,
    opt_out_link: str,
    today: date,
) -> dict[str, Any]:
    """What a template is given (`templates.VARIABLES`), from the records; pure, so a save can check samples.
    Late-payment charges are those of `today`, the business's date, under the workspace's terms for this debtor."""
    totals: dict[str, int] = {}
    for debt in debts:
        totals[debt["currency"]] = totals.get(debt["currency"], 0) + outstanding(debt)
    terms = terms_of(workspace, debtor)
    charged = [charges_on(debt, terms, today=today) for debt in debts]
    return {
        "debtor_name": debtor["name"],
        "creditor_name": workspace.get("legal_name") or workspace["name"],
        "creditor_address": address_of(workspace),
        "invoices": [
            {
                "number": debt["invoice_number"],
                "amount": format_money(debt["amount"], debt["currency"], locale),
                "paid": format_money(debt.get("amount_paid", 0), debt["currency"], locale),
                "outstanding": format_money(outstanding(debt), debt["currency"], locale),
                "due_date": format_date(date.fromisoformat(debt["due_on"]), locale),
                "principal_outstanding": format_money(outstanding(debt), debt["currency"], locale),
                **charges.invoice_values(owed, debt["currency"], locale),
            }
            for debt, owed in zip(debts, charged, strict=True)
        ],
        "total_outstanding": " + ".join(format_money(amount, currency, locale) for currency, amount in totals.items()),
        **charges.email_values(
            [(outstanding(debt), debt["currency"], owed) for debt, owed in zip(debts, charged, strict=True)], locale
        ),
        "pay_link": page_link,
        "contact_link": f"{page_link}#answer-heading",
        "opt_out_link": opt_out_link,
    }


def compose(
    workspace: Workspace,
    debtor: Debtor,
    debts: list[Debt],
    template: str,
    *,
    page_token: str,
    today: date,
    more: Callable[[Debt, str], dict[str, Any]] | None = None,
    about: Debt | None = None,
) -> Email:
    """The email in the debtor's language, with the late-payment charges of `today` (the business's date);
    `more(about, locale)` adds what one template alone is given (a broken promise's amount and date for "you
    promised")."""
    locale = resolve_locale(debtor.get("locale") or workspace.get("locale") or "en")
    subject, text = source_of(workspace, template, locale)
    given = context(workspace, debtor, debts, page_token=page_token, locale=locale, today=today)
    if more is not None and about is not None:
        given |= more(about, locale)
    return render(subject, text, given, locale)
