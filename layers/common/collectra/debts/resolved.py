"""What a debt's change resolves in the inbox: the items it closes, once the change is written.

A move out of `disputed` (reopened, cancelled, written off) resolves the debt's dispute; reopening also answers an
"already paid" claim (the business looked, and the debt is owed); a payment booked resolves the claim and a
failed payment; a member's note on a status change answers the debt's question. Closing happens after the
change commits (it reads the open items first): a failure in between leaves an item open for a person, never a
debt change undone.
"""

from __future__ import annotations

from datetime import datetime

from collectra.debts.records import Actor, Debt
from collectra.debts.states import Status
from collectra.inbox import items as inbox

ANSWERED_BY_NOTE = "answered_by_note"
PAID = "payment_recorded"


def after_status_change(
    workspace_id: str, before: Debt, after: Debt, *, actor: Actor, note: str | None, now: datetime
) -> None:
    kinds: list[str] = []
    reopened = after["status"] in (Status.OPEN, Status.PARTIALLY_PAID)
    reason = "debt_reopened" if reopened else f"debt_{after['status']}"
    if before["status"] == Status.DISPUTED and after["status"] != Status.DISPUTED:
        kinds.append("dispute")
    if reopened and before["status"] != after["status"]:
        kinds.append("already_paid")
    if kinds:
        inbox.close_matching(
            workspace_id, kinds=kinds, debt_id=after["id"], debtor_id=after["debtor_id"], reason=reason, now=now
        )
    if note and actor["kind"] == "user":
        inbox.close_matching(
            workspace_id,
            kinds=["question"],
            debt_id=after["id"],
            debtor_id=after["debtor_id"],
            reason=ANSWERED_BY_NOTE,
            now=now,
        )


def after_payment(workspace_id: str, debt: Debt, *, now: datetime) -> None:
    inbox.close_matching(
        workspace_id,
        kinds=["already_paid", "payment_failed"],
        debt_id=debt["id"],
        debtor_id=debt["debtor_id"],
        reason=PAID,
        now=now,
    )
