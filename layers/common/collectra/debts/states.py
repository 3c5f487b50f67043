"""The debt state machine: which change is allowed from which state. Anything else is a 409.

    open ──payment──▶ partially_paid ──payment──▶ paid
    open / partially_paid ──dispute──▶ disputed ──reopen──▶ open (or partially_paid, if money came in)
    open / partially_paid / disputed ──cancel──▶ cancelled
    open / partially_paid / disputed ──write_off──▶ written_off

Money arriving or coming back through Stripe (`status_after_money`) moves open, partially paid and paid
debts between those three: a refund or a lost card dispute reopens a paid debt. It never revives a
cancelled or written-off debt, and settles a disputed one only when it is paid in full.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from collectra.errors import Conflict

# A debt enters the reminder planner's view this long before its due date (`records.initial_reminder_at`); a
# policy's earliest step is bounded by it (`reminders.policy.MIN_OFFSET_DAYS`), so the first look is early enough
# for any policy in any time zone. Here, with the pure rules, so that the policy's rules can read it.
FIRST_LOOK_DAYS_BEFORE_DUE = 30


class Status(StrEnum):
    OPEN = "open"
    PARTIALLY_PAID = "partially_paid"
    PAID = "paid"
    DISPUTED = "disputed"
    CANCELLED = "cancelled"
    WRITTEN_OFF = "written_off"


class Action(StrEnum):
    PAYMENT = "payment"
    DISPUTE = "dispute"
    REOPEN = "reopen"
    CANCEL = "cancel"
    WRITE_OFF = "write_off"
    PAUSE = "pause"
    RESUME = "resume"
    EDIT = "edit"


# What the API shows for a collectible debt under an active payment plan (`plan` set): its stored `status` stays
# open or partially paid (money moves it as any debt's), and the lists by status file it under this one.
IN_PLAN = "in_plan"
SHOWN_STATUSES = (*(status.value for status in Status), IN_PLAN)


def shown_status(debt: Mapping[str, Any]) -> str:
    """The debt's status as the API shows it and lists it (gsi2): `in_plan` while an active plan holds it."""
    if debt.get("plan") and debt["status"] in (Status.OPEN, Status.PARTIALLY_PAID):
        return IN_PLAN
    return str(debt["status"])


def require_not_in_plan(debt: Mapping[str, Any], action: str) -> None:
    """409 `debt_in_plan` for what a payment plan's debt refuses (dispute, cancel, write-off, edit)."""
    if debt.get("plan"):
        raise Conflict(
            f"This debt is in an active payment plan: cancel the plan first to {action.replace('_', ' ')} it.",
            code="debt_in_plan",
            details={"plan_id": debt["plan"]["id"], "action": action},
        )


# Debts a debtor still owes, and that reminders (and the debtor's page) are about.
OPEN_STATES = frozenset({Status.OPEN, Status.PARTIALLY_PAID, Status.DISPUTED})
COLLECTIBLE = frozenset({Status.OPEN, Status.PARTIALLY_PAID})

ALLOWED: dict[Action, frozenset[Status]] = {
    Action.PAYMENT: COLLECTIBLE,
    Action.DISPUTE: COLLECTIBLE,
    Action.REOPEN: frozenset({Status.DISPUTED}),
    Action.CANCEL: OPEN_STATES,
    Action.WRITE_OFF: OPEN_STATES,
    Action.PAUSE: OPEN_STATES,
    Action.RESUME: OPEN_STATES,
    Action.EDIT: OPEN_STATES,
}


def require_allowed(action: Action, status: str) -> None:
    if Status(status) not in ALLOWED[action]:
        raise Conflict(
            f"A debt that is {status.replace('_', ' ')} cannot take '{action.value.replace('_', ' ')}'.",
            code="invalid_transition",
            details={"status": status, "action": action.value},
        )


def status_after_payment(amount: int, paid: int) -> Status:
    return Status.PAID if paid >= amount else Status.PARTIALLY_PAID if paid > 0 else Status.OPEN


def status_after(action: Action, status: str, *, amount: int, paid: int) -> Status:
    """The state `action` leads to from `status` (after `require_allowed`)."""
    require_allowed(action, status)
    if action is Action.PAYMENT or action is Action.REOPEN:
        return status_after_payment(amount, paid)
    if action is Action.DISPUTE:
        return Status.DISPUTED
    if action is Action.CANCEL:
        return Status.CANCELLED
    if action is Action.WRITE_OFF:
        return Status.WRITTEN_OFF
    return Status(status)


def status_after_money(status: str, *, amount: int, paid: int) -> Status:
    """The state a debt is in once `paid` (after a payment, refund or chargeback) is what it has received."""
    current = Status(status)
    if current in (Status.OPEN, Status.PARTIALLY_PAID, Status.PAID):
        return status_after_payment(amount, paid)
    if current is Status.DISPUTED and paid >= amount:
        return Status.PAID
    return current
