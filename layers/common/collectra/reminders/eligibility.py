"""Whether a debt may get a reminder at all, checked by the planner and again by the sender.

The sender checks too because a debt or its debtor can change between planning and sending: a payment,
a dispute, an opt-out or a bounce that lands meanwhile is honoured.
"""

from __future__ import annotations

from datetime import date

from collectra.debtors.records import Debtor
from collectra.debts.records import Debt
from collectra.debts.states import Status

# A debtor whose address may not be written to: by their choice, or because it does not work.
SUPPRESSED = ("opted_out", "hard_bounce", "complaint", "unsubscribed", "invalid_email")


def reason_not_to_remind(debt: Debt, debtor: Debtor | None, today: date) -> str | None:
    """None when the debt may be reminded of today; else why not, as a stable word for logs and metrics."""
    status = debt.get("status")
    if status not in (Status.OPEN, Status.PARTIALLY_PAID):
        return str(status)  # paid, cancelled, written_off, disputed
    if debt.get("reminders_paused"):
        until = debt.get("paused_until")
        if not until:
            return "paused"
        if date.fromisoformat(until) >= today:
            return "promised"  # a promise to pay by a date holds reminders until that date has passed
    if debt.get("promise"):
        return "promised"  # an open promise holds reminders until it is kept or broken (`collectra.promises`)
    if debt.get("payment_processing"):
        return "payment_processing"
    if debtor is None or debtor.get("erased"):
        return "no_debtor"
    if not debtor.get("email"):
        return "no_email"
    suppressed = debtor.get("email_suppressed")
    if suppressed:
        return str(suppressed) if suppressed in SUPPRESSED else "suppressed"
    return None
