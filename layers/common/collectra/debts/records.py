"""A debt and the items of its history as stored, and the one place that says where a debt sits in the indexes.

The table's key and five overloaded indexes serve every list of debts: by due date (gsi1), of one status by
due date (gsi2), of one debtor by due date (gsi3), by amount outstanding (gsi4), and the sharded "next reminder
due" index the planner reads (gsi5). `with_indexes` writes all five from the debt's own fields, so a debt saved
in any state is listed where that state belongs; their partitions' strings come from `store.keys`.

The reminder index holds a debt that may still get reminders, under one of `keys.REMINDER_SHARDS` partitions
(by a hash of its id, so no partition is hot), sorted by `next_reminder_at`: the planner reads each shard up to
"now", so its reads grow with what is due, not with the ledger. A debt that is paid, cancelled, written off,
disputed, paused without a date or has a payment on its way is simply not in it; saving it in a collectible
state again puts it back.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, NotRequired, TypedDict, cast

from collectra.debts.states import FIRST_LOOK_DAYS_BEFORE_DUE, Status, shown_status
from collectra.store import keys

_OUTSTANDING_DIGITS = 15


class Actor(TypedDict):
    """Who made a change: a user, the debtor (from their page), Stripe or Collectra itself."""

    kind: str
    id: str


class Promise(TypedDict):
    """A debt's open promise to pay (its `promise` field, `collectra.promises`); withdrawn, replaced, kept or
    broken, it leaves the debt. Analytics and the digest read amount, on and made_at."""

    amount: int  # minor units of the debt's currency
    on: str  # the date, YYYY-MM-DD, in the business's calendar
    made_at: str
    by: Actor
    paid_before: int  # the debt's amount_paid when it was made
    decide_at: str  # UTC: when it is broken unless kept (the end of its grace day in the business's time zone)


class BrokenPromise(TypedDict):
    """A broken promise whose "you promised" reminder is still to go (the debt's `broken_promise` field)."""

    amount: int
    on: str
    step: int  # the reminder step that carries it (`collectra.promises.rule.reminder_step_of`)


class DebtPlan(TypedDict):
    """The active payment plan that holds a debt (its `plan` field, `collectra.plans`); it leaves with the plan."""

    id: str
    started_at: str


class LineItem(TypedDict):
    description: str
    quantity: NotRequired[int]  # one when not given
    unit_amount: int


class Invoice(TypedDict):
    """What is owed on a debt, as a reminder's email shows it (every `Debt` is one; a template's samples are
    only this)."""

    invoice_number: str
    amount: int  # minor units of `currency`
    amount_paid: int
    currency: str
    due_on: str


class Debt(TypedDict):
    pk: str
    sk: str
    id: str
    workspace_id: str
    debtor_id: str
    invoice_number: str
    description: str | None
    amount: int  # minor units of `currency`
    currency: str
    issued_on: str | None
    due_on: str
    line_items: list[LineItem] | None
    amount_paid: int
    status: str  # a `debts.states.Status`
    reminders_paused: bool
    reminder_step: int  # the last step of the reminder policy sent for this debt (-1: none yet)
    next_reminder_at: str | None  # when the planner looks at it next; None: never again
    source: str  # "api" or "import"
    created_at: str
    updated_at: str
    version: int
    paused_until: NotRequired[str | None]  # a pause's end date (promises before `promise` was kept as one)
    promise: NotRequired[Promise | None]  # reminders hold until it is kept or broken
    broken_promise: NotRequired[BrokenPromise | None]
    reminder_steps: NotRequired[dict[str, Any] | None]  # its own steps instead of its workspace's
    last_paid_at: NotRequired[str]
    paid_on: NotRequired[str]  # the day (UTC) it became paid, while it is: its days to pay count from it
    expected_late_days: NotRequired[int]  # its debtor's usual lateness, stamped by `debts.lateness` (absent: 0)
    last_reminded_at: NotRequired[str]
    reminder_failure: NotRequired[str]  # why the last reminder could not be sent
    overpayment_refunded: NotRequired[int]
    payment_processing: NotRequired[str | None]  # the attempt whose delayed payment is on its way
    # Late-payment charges (`collectra.interest`, `debts.charging`); absent: none. `amount_paid` stays principal only.
    principal_moves: NotRequired[list[list[Any]]]  # ["YYYY-MM-DD", signed minor units]: each change of amount_paid
    interest_paid: NotRequired[int]
    compensation_paid: NotRequired[int]
    charges_waived: NotRequired[dict[str, dict[str, Any]]]  # "interest" / "compensation": {"at", "by", "note"}
    interest_pauses: NotRequired[
        list[list[str | None]]
    ]  # [from, to): a dispute or a plan held interest (to None: still)
    plan: NotRequired[DebtPlan | None]  # the active payment plan it is in: shown `in_plan`, reminded by the plan
    gsi1pk: NotRequired[str]
    gsi1sk: NotRequired[str]
    gsi2pk: NotRequired[str]
    gsi2sk: NotRequired[str]
    gsi3pk: NotRequired[str]
    gsi3sk: NotRequired[str]
    gsi4pk: NotRequired[str]
    gsi4sk: NotRequired[str]
    gsi5pk: NotRequired[str]
    gsi5sk: NotRequired[str]


class InvoiceNumberClaim(TypedDict):
    """An invoice number taken within a workspace, pointing at its debt (written with the condition that
    makes the number unique)."""

    pk: str
    sk: str
    debt_id: str


class LedgerEntry(TypedDict):
    """Money in or out of a debt, in its history partition; listed by time in its workspace's ledger (gsi1)."""

    pk: str
    sk: str
    gsi1pk: str
    gsi1sk: str
    id: str
    kind: str  # "payment", "refund", "overpayment_refunded" or "chargeback"
    amount: int  # always positive: `kind` says which way
    currency: str
    method: NotRequired[str]
    reference: NotRequired[str | None]
    attempt_id: NotRequired[str]
    charge: NotRequired[str]  # "interest" or "compensation": a charge's line, not principal
    received_on: str
    recorded_at: str
    recorded_by: Actor


class TimelineEntry(TypedDict):
    """One thing that happened to a debt, in its history partition; a debtor's message is also listed by time
    in its workspace's (gsi1)."""

    pk: str
    sk: str
    id: str
    at: str
    type: str
    actor: Actor
    data: dict[str, Any]
    gsi1pk: NotRequired[str]
    gsi1sk: NotRequired[str]
    debt_id: NotRequired[str]  # a debtor's message names what the home summary shows of it
    debtor_id: NotRequired[str]
    invoice_number: NotRequired[str]


def outstanding(debt: Invoice) -> int:
    return max(0, int(debt["amount"]) - int(debt.get("amount_paid", 0)))


def initial_reminder_at(due_on: str) -> str:
    """Early enough for any policy's first step in any time zone; the planner then sets the exact time."""
    return f"{date.fromisoformat(due_on) - timedelta(days=FIRST_LOOK_DAYS_BEFORE_DUE + 1)}T00:00:00Z"


def reminder_index(workspace_id: str, debt: Debt) -> dict[str, str]:
    """The debt's place in the reminder index (gsi5), or nothing when no reminder can be due for it (a debt in a
    payment plan is reminded by the plan's scheduler instead)."""
    if debt.get("plan"):
        return {}
    promise = debt.get("promise")
    at = debt.get("next_reminder_at") or (promise["decide_at"] if promise else None)
    if not at or debt.get("status") not in (Status.OPEN, Status.PARTIALLY_PAID):
        return {}
    if debt.get("payment_processing"):
        return {}
    if debt.get("reminders_paused"):
        until = debt.get("paused_until")
        if not until:
            return {}
        # A promise holds reminders until its date has passed unpaid.
        at = max(at, f"{date.fromisoformat(until) + timedelta(days=1)}T00:00:00Z")
    if promise:  # the planner decides it then: kept, or broken and reminded of at once
        at = max(at, promise["decide_at"])
    return {
        # By debtor: a debtor's debts due together are planned by one slice, and make one email.
        "gsi5pk": keys.reminders_due(keys.reminder_shard(debt["debtor_id"])),
        "gsi5sk": f"{at}#{debt['id']}",
    }


def by_due_date(due_on: str, debt_id: str = "") -> str:
    """A debt's sort key in the lists by due date (or, without an id, the bound of a range of due dates): the
    date, then the id for a stable order. Nothing else: these indexes hold debts only, so no prefix is needed,
    and the key is written three times on every debt (its size is the debt's write price)."""
    return f"{due_on}#{debt_id}" if debt_id else due_on


def index_fields(workspace_id: str, debt: Debt) -> dict[str, str]:
    """Every index field of the debt as its fields stand."""
    due = by_due_date(debt["due_on"], debt["id"])
    return {
        "gsi1pk": keys.debts_by_due_date(workspace_id),
        "gsi1sk": due,
        "gsi2pk": keys.debts_by_status(workspace_id, shown_status(debt)),
        "gsi2sk": due,
        "gsi3pk": keys.debts_of_debtor(workspace_id, debt["debtor_id"]),
        "gsi3sk": due,
        "gsi4pk": keys.debts_by_outstanding(workspace_id),
        "gsi4sk": f"{outstanding(debt):0{_OUTSTANDING_DIGITS}d}#{debt['id']}",
        **reminder_index(workspace_id, debt),
    }


def with_indexes(workspace_id: str, debt: Debt) -> Debt:
    """The debt ready to write whole: its index fields all recomputed (it leaves gsi5 by being saved without)."""
    kept = {name: value for name, value in debt.items() if not name.startswith("gsi5")}
    return cast(Debt, {**kept, **index_fields(workspace_id, debt)})


# Moving a debt's next look without rewriting the debt (the planner and the sender, between saves).
NEXT_LOOK = "SET next_reminder_at = :at, gsi5sk = :sk"


def next_look_values(workspace_id: str, debt: Debt, at: str) -> dict[str, str] | None:
    """The values of NEXT_LOOK that move `debt` to `at`; None when it would not be in the index then."""
    index = reminder_index(workspace_id, cast(Debt, {**debt, "next_reminder_at": at}))
    return {":at": at, ":sk": index["gsi5sk"]} if index else None


class Listed(TypedDict):
    """An item's place in a gsi1 list: the list's partition, and its sort key there."""

    gsi1pk: str
    gsi1sk: str


def ledger_index(workspace_id: str, recorded_at: str, entry_id: str) -> Listed:
    """A ledger entry's place in its workspace's list of money moves, newest last (the home summary reads it)."""
    return {"gsi1pk": keys.ledger_of_workspace(workspace_id), "gsi1sk": f"{recorded_at}#{entry_id}"}


def debtor_message_index(workspace_id: str, entry: TimelineEntry) -> dict[str, str]:
    """A debtor's message's place in its workspace's list of them, by time (the home summary reads it)."""
    return {"gsi1pk": keys.debtor_messages_of_workspace(workspace_id), "gsi1sk": f"{entry['at']}#{entry['id']}"}


def invoice_number_claim(workspace_id: str, number: str, debt_id: str) -> InvoiceNumberClaim:
    key = keys.invoice_number(workspace_id, number)
    return {"pk": key["pk"], "sk": key["sk"], "debt_id": debt_id}
