"""What needs attention today: the figures of the business's home screen, read in one request.

Every figure comes from a Query of one partition the key design already keeps (no Scan, nothing summed
from every debt's history): the debts of each status (gsi2: the collectible and disputed ones read, the
settled ones only counted), the workspace's communications (gsi1, by time), its ledger entries (gsi1, by
time) and what debtors wrote from their pages (gsi1, by time). The nine Queries are independent, so they
run at the same time: the request takes about one round trip after the caller's own read.

Money is never added up across currencies: each total is per ISO 4217 code.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextvars import copy_context
from datetime import datetime, timedelta
from typing import Any, Literal, cast

from pydantic import Field

from collectra import store
from collectra.clock import iso
from collectra.debts.records import outstanding
from collectra.debts.service import today_in
from collectra.debts.states import IN_PLAN, Status
from collectra.models import Model
from collectra.reminders import quota
from collectra.reminders.records import SendingDay
from collectra.reminders.status import waiting_reason
from collectra.store import keys
from collectra.workspaces.records import Workspace

RECENT_DAYS = 7
SHOWN = 5  # latest messages and disputes shown
READ = {Status.OPEN, Status.PARTIALLY_PAID, Status.DISPUTED}  # read whole: their figures need the items
COUNTED = (Status.PAID, Status.CANCELLED, Status.WRITTEN_OFF)  # only counted (they grow without end)
# What Brevo may tell us of a reminder that means it did not reach its debtor.
UNDELIVERED = frozenset({"hard_bounce", "invalid_email", "blocked", "error"})


class CurrencyTotal(Model):
    currency: str = Field(description="ISO 4217 code")
    amount: int = Field(description="Minor units of the currency")
    count: int = Field(description="How many debts (or payments) make it up")


class DebtsByStatus(Model):
    open: int
    partially_paid: int
    paid: int
    disputed: int
    cancelled: int
    written_off: int
    in_plan: int = Field(default=0, description="Open or partly paid debts an active payment plan holds")


class DebtorMessage(Model):
    at: str
    debt_id: str
    debtor_id: str
    invoice_number: str | None
    kind: Literal["dispute", "already_paid", "question", "promise"]
    message: str
    promise_date: str | None = None


class Dispute(Model):
    debt_id: str
    debtor_id: str
    invoice_number: str
    amount_outstanding: int
    currency: str
    since: str = Field(description="When the debt last changed (its dispute, unless edited since)")


class RecentPayments(Model):
    days: int = Field(description="The window, in days up to now")
    count: int
    totals: list[CurrencyTotal] = Field(description="Per currency, largest first; never summed across currencies")


class RecentReminders(Model):
    days: int
    sent: int = Field(description="Emails handed to Brevo in the window")
    failed: int = Field(description="Emails that could not be sent, or that Brevo says bounced or were blocked")
    failing_debts: int = Field(description="Open debts whose last reminder could not be sent (template failure)")
    next_at: str | None = Field(description="The soonest time a debt of the workspace is looked at for a reminder")
    engine_last_run_at: str | None
    waiting_reason: Literal["owner_not_verified", "daily_quota"] | None = None


class WorkspaceSummary(Model):
    as_of: str
    today: str = Field(description="The business's date (its time zone): what is overdue is due before it")
    currency: str = Field(description="The workspace's default currency")
    overdue: list[CurrencyTotal] = Field(description="Outstanding on overdue debts, per currency, largest first")
    debts_by_status: DebtsByStatus
    debts_total: int
    latest_debtor_messages: list[DebtorMessage] = Field(description="Newest first")
    latest_disputes: list[Dispute] = Field(description="Disputed debts, the most recently changed first")
    payments: RecentPayments
    reminders: RecentReminders
    stripe_connected: bool = Field(description="The connected Stripe account can take payments")


def extra_keys(workspace_id: str, now: datetime) -> list[dict[str, str]]:
    """What the summary reads beside the caller, in the caller's own BatchGetItem."""
    return [keys.reminder_engine(), quota.today_key(workspace_id, now)]


def summarise(
    workspace: Workspace, engine: dict[str, Any] | None, sending_day: dict[str, Any] | None, *, now: datetime
) -> WorkspaceSummary:
    workspace_id = str(workspace["id"])
    since = iso(now - timedelta(days=RECENT_DAYS))
    by_status = _by_status(workspace_id)
    reads: dict[str, Callable[[], Any]] = {
        **{status.value: by_status(status) for status in READ},
        **{status.value: _count(workspace_id, status) for status in COUNTED},
        IN_PLAN: lambda: store.count("gsi2pk = :p", {":p": keys.debts_by_status(workspace_id, IN_PLAN)}, index="gsi2"),
        "communications": lambda: _since(keys.communications_of_workspace(workspace_id), since),
        "ledger": lambda: _since(keys.ledger_of_workspace(workspace_id), since),
        "messages": lambda: _latest(keys.debtor_messages_of_workspace(workspace_id), SHOWN),
    }
    with ThreadPoolExecutor(max_workers=len(reads)) as pool:
        # Each read runs in a copy of this invocation's context: its configuration, and whatever observes it.
        running = {name: pool.submit(copy_context().run, read) for name, read in reads.items()}
        found = {name: future.result() for name, future in running.items()}

    today = today_in(workspace, now)
    collectible = found[Status.OPEN.value] + found[Status.PARTIALLY_PAID.value]
    overdue = [debt for debt in collectible if debt["due_on"] < today.isoformat()]
    counts = {status.value: len(found[status.value]) for status in READ} | {
        status.value: int(found[status.value]) for status in COUNTED
    }
    counts[IN_PLAN] = int(found[IN_PLAN])
    # Principal received: interest and compensation are their own lines (`charge`), kept apart from it.
    payments = [entry for entry in found["ledger"] if entry.get("kind") == "payment" and "charge" not in entry]
    day = (
        quota.day_of(cast(SendingDay, sending_day)) if sending_day else None
    )  # `quota.peek`, read in the caller's batch
    scheduled = sorted(str(debt["next_reminder_at"]) for debt in collectible if debt.get("gsi5pk"))
    return WorkspaceSummary(
        as_of=iso(now),
        today=today.isoformat(),
        currency=str(workspace.get("default_currency") or "EUR"),
        overdue=_totals((str(d["currency"]), outstanding(d)) for d in overdue),
        debts_by_status=DebtsByStatus(**counts),
        debts_total=sum(counts.values()),
        latest_debtor_messages=[_message(entry) for entry in found["messages"]],
        latest_disputes=[
            Dispute(
                debt_id=debt["id"],
                debtor_id=debt["debtor_id"],
                invoice_number=debt["invoice_number"],
                amount_outstanding=outstanding(debt),
                currency=debt["currency"],
                since=debt["updated_at"],
            )
            for debt in sorted(found[Status.DISPUTED.value], key=lambda d: d["updated_at"], reverse=True)[:SHOWN]
        ],
        payments=RecentPayments(
            days=RECENT_DAYS,
            count=len(payments),
            totals=_totals((str(entry["currency"]), int(entry["amount"])) for entry in payments),
        ),
        reminders=RecentReminders(
            days=RECENT_DAYS,
            sent=sum(1 for comm in found["communications"] if comm.get("status") in ("sent", "uncertain")),
            failed=sum(1 for comm in found["communications"] if _undelivered(comm)),
            failing_debts=sum(1 for debt in collectible if debt.get("reminder_failure")),
            next_at=scheduled[0] if scheduled else None,
            engine_last_run_at=(engine or {}).get("ran_at"),
            waiting_reason=waiting_reason(workspace, day, now=now),
        ),
        stripe_connected=bool(workspace.get("stripe_charges_enabled")),
    )


def _by_status(workspace_id: str) -> Callable[[Status], Callable[[], list[dict[str, Any]]]]:
    def reader(status: Status) -> Callable[[], list[dict[str, Any]]]:
        return lambda: store.query_all(
            "gsi2pk = :p", {":p": keys.debts_by_status(workspace_id, status.value)}, index="gsi2"
        )

    return reader


def _count(workspace_id: str, status: Status) -> Callable[[], int]:
    return lambda: store.count("gsi2pk = :p", {":p": keys.debts_by_status(workspace_id, status.value)}, index="gsi2")


def _since(partition: str, since: str) -> list[dict[str, Any]]:
    return store.query_all("gsi1pk = :p AND gsi1sk >= :since", {":p": partition, ":since": since}, index="gsi1")


def _latest(partition: str, limit: int) -> list[dict[str, Any]]:
    return store.query("gsi1pk = :p", {":p": partition}, index="gsi1", limit=limit, forward=False).items


def _totals(amounts: Any) -> list[CurrencyTotal]:
    sums: defaultdict[str, int] = defaultdict(int)
    counts: Counter[str] = Counter()
    for currency, amount in amounts:
        sums[currency] += amount
        counts[currency] += 1
    return [
        CurrencyTotal(currency=currency, amount=sums[currency], count=counts[currency])
        for currency in sorted(sums, key=lambda c: (-sums[c], c))
    ]


def _undelivered(communication: dict[str, Any]) -> bool:
    return communication.get("status") == "failed" or bool(UNDELIVERED & set(communication.get("events") or {}))


def _message(entry: dict[str, Any]) -> DebtorMessage:
    data = entry.get("data") or {}
    return DebtorMessage(
        at=entry["at"],
        debt_id=entry["debt_id"],
        debtor_id=entry["debtor_id"],
        invoice_number=entry.get("invoice_number"),
        kind=data.get("kind", "question"),
        message=data.get("message", ""),
        promise_date=data.get("promise_date"),
    )
