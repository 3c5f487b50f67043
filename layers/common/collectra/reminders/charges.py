"""What a reminder says of late-payment charges, in the debtor's language: each invoice's interest (with its rate
and days), fixed compensation and total due, and the sums over the email's invoices.

Every variable is empty text when nothing is claimed on the invoice (the workspace claims nothing, the debtor is
a consumer the law spares, the debt is still in its grace days...), so a template can test it with `{% if %}`
and a template that names it unconditionally shows nothing rather than "None".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from collectra.interest import Charges
from collectra.pages.formatting import format_money, format_rate

# What each part is called, as each law's own language names it (docs/late-payment.md).
_WORDS = {
    "en": {
        "interest": "interest {amount} ({rate} a year over {days} days)",
        "compensation": "fixed compensation for recovery costs {amount}",
        "total": "total due {amount}",
        "interest_total": "interest of {amount}",
        "compensation_total": "the fixed compensation for recovery costs of {amount}",
        "and": " and ",
        "then": "; ",
    },
    "fr": {
        "interest": "intérêts de retard {amount} ({rate} par an sur {days} jours)",
        "compensation": "indemnité forfaitaire pour frais de recouvrement {amount}",
        "total": "total dû {amount}",
        "interest_total": "des intérêts de retard de {amount}",
        "compensation_total": "l\u2019indemnité forfaitaire pour frais de recouvrement de {amount}",
        "and": " et ",
        "then": "\u00a0; ",
    },
    "de": {
        "interest": "Verzugszinsen {amount} ({rate} pro Jahr für {days} Tage)",
        "compensation": "Verzugspauschale {amount}",
        "total": "insgesamt fällig {amount}",
        "interest_total": "Verzugszinsen von {amount}",
        "compensation_total": "die Verzugspauschale von {amount}",
        "and": " und ",
        "then": "; ",
    },
}
NAMES = frozenset({"late_charges", "interest_total", "compensation_total", "total_due"})
INVOICE_NAMES = ("interest", "interest_rate", "interest_days", "compensation", "total_due", "charges")


def claimed(charges: Charges | None) -> bool:
    """Whether the invoice carries anything beyond its principal to tell the debtor about."""
    return charges is not None and (charges.interest_due > 0 or charges.compensation_due > 0)


def invoice_values(charges: Charges | None, currency: str, locale: str) -> dict[str, Any]:
    """One invoice's charge variables (`INVOICE_NAMES`), formatted; empty text when nothing is claimed on it."""
    if charges is None or not claimed(charges):
        return dict.fromkeys(INVOICE_NAMES, "")
    words = _WORDS[locale]
    interest = format_money(charges.interest_due, currency, locale) if charges.interest_due else ""
    rates = list(dict.fromkeys(period.rate for period in charges.periods))
    rate = " / ".join(format_rate(value, locale) for value in rates) if interest else ""
    days = sum(period.days for period in charges.periods) if interest else ""
    compensation = format_money(charges.compensation_due, currency, locale) if charges.compensation_due else ""
    total = format_money(charges.total_due, currency, locale)
    parts = [words["interest"].format(amount=interest, rate=rate, days=days)] if interest else []
    parts += [words["compensation"].format(amount=compensation)] if compensation else []
    return {
        "interest": interest,
        "interest_rate": rate,
        "interest_days": days,
        "compensation": compensation,
        "total_due": total,
        "charges": words["then"].join([*parts, words["total"].format(amount=total)]),
    }


def email_values(invoices: Sequence[tuple[int, str, Charges | None]], locale: str) -> dict[str, str]:
    """The sums over an email's invoices (`NAMES`), each (principal outstanding, currency, charges): empty text
    unless one of them carries a charge. Currencies are summed apart and joined, as `total_outstanding` is."""
    if not any(claimed(charges) for _, _, charges in invoices):
        return dict.fromkeys(NAMES, "")
    interest: dict[str, int] = {}
    compensation: dict[str, int] = {}
    total: dict[str, int] = {}
    for outstanding, currency, charges in invoices:
        due = (charges.interest_due, charges.compensation_due) if charges is not None else (0, 0)
        interest[currency] = interest.get(currency, 0) + due[0]
        compensation[currency] = compensation.get(currency, 0) + due[1]
        total[currency] = total.get(currency, 0) + outstanding + sum(due)
    words = _WORDS[locale]
    interest_total = _joined(interest, locale)
    compensation_total = _joined(compensation, locale)
    parts = [words["interest_total"].format(amount=interest_total)] if interest_total else []
    parts += [words["compensation_total"].format(amount=compensation_total)] if compensation_total else []
    return {
        "late_charges": words["and"].join(parts),
        "interest_total": interest_total,
        "compensation_total": compensation_total,
        "total_due": _joined(total, locale),
    }


def _joined(sums: dict[str, int], locale: str) -> str:
    return " + ".join(format_money(amount, currency, locale) for currency, amount in sums.items() if amount)
