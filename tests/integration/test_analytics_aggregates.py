"""The figures kept by every debt write equal a recomputation from the ledger and the debts' history, exactly.

A random workload (creations, manual and Stripe payments, refunds, write-offs, disputes, reopenings, cancellations,
edits of amount and due date, reminders sent, promises, the debtor's lateness stamped on their debts by the lateness
queue's consumer, concurrent payments, the clock moving across days and
months, reads as of past days between the writes, which write closing states) runs through the debts' own write
functions against the emulator. The recomputation reads nothing the aggregates wrote: the figures as of a day are
worked out from each debt's versions recorded before the day's end and from the ledger's entries.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from contextvars import copy_context
from datetime import UTC, date, datetime, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collectra import store
from collectra.analytics.closings import figures_as_of, midnight
from collectra.analytics.figures import CurrencyFigures, Figures, last_day, month_of, next_month
from collectra.analytics.summary import summarise
from collectra.debts import service as debts
from collectra.debts.charging import Charging, charging_of, money_back, money_in
from collectra.debts.records import Actor, Debt, outstanding
from collectra.debts.restamp import restamp
from collectra.debts.states import COLLECTIBLE, OPEN_STATES, Action, Status
from collectra.errors import CollectraError
from collectra.store import keys

USER: Actor = {"kind": "user", "id": "usr_test"}
STRIPE: Actor = {"kind": "stripe", "id": "stripe"}
ZONE = "America/St_Johns"  # UTC-3:30 (-2:30 in summer): its midnights fall on a half hour
START = datetime(2026, 9, 28, 20, 0, tzinfo=UTC)


def _add(target: dict[str, int], key: str, amount: int) -> None:
    if amount:
        target[key] = target.get(key, 0) + amount


class Workload:
    """A workspace of its own, its debts as the write functions return them, and every version with its time."""

    def __init__(self) -> None:
        self.workspace_id = f"ws_{uuid.uuid4().hex[:12]}"
        self.zone = ZoneInfo(ZONE)
        self.now = START
        self.debts: list[Debt] = []
        self.versions: list[tuple[datetime, Debt]] = []
        self.lock = threading.Lock()
        # It claims late-payment charges in the statutory order: payments pay interest and compensation first, booked
        # as their own ledger lines and their own flow (`ch`), apart from principal.
        self.workspace = {
            **keys.workspace(self.workspace_id),
            "id": self.workspace_id,
            "time_zone": ZONE,
            "late_payment": {"enabled": True, "jurisdiction": "EU", "allocation": "statutory"},
        }
        store.put(self.workspace)
        self.debtor_id = "dbt_1"
        # One debt paid 9 days late before the workload: the consumer has a lateness to stamp from the start.
        debtor = {"id": self.debtor_id, "open_debts": 0, "paid_debts": 1, "days_to_pay_total": 30, "days_late_total": 9}
        store.put({**keys.debtor(self.workspace_id, self.debtor_id), **debtor})

    def record(self, debt: Debt, at: datetime) -> None:
        with self.lock:
            self.versions.append((at, debt))
            self.debts = [debt if d["id"] == debt["id"] else d for d in self.debts]

    def fresh(self, index: int) -> Debt | None:
        return self.debts[index % len(self.debts)] if self.debts else None

    def create(self, amount: int, due_days: int, currency: str) -> None:
        fields = {
            "debtor_id": self.debtor_id,
            "invoice_number": f"INV-{uuid.uuid4().hex[:8]}",
            "amount": amount,
            "currency": currency,
            "issued_on": (self.now.date() - timedelta(days=3)).isoformat() if amount % 2 else None,
            "due_on": (self.now.date() + timedelta(days=due_days)).isoformat(),
        }
        debt = debts.create_debt(self.workspace_id, fields, actor=USER, now=self.now)
        self.debts.append(debt)
        self.versions.append((self.now, debt))

    def attempt(self, change: Callable[[], Debt], at: datetime) -> None:
        with suppress(CollectraError):  # refused by the rules (state, amounts): nothing written
            self.record(change(), at)

    def pay_by_hand(self, debt: Debt, share: int, at: datetime) -> None:
        amount = max(1, outstanding(debt) * share // 4)
        received_on = at.date() - timedelta(days=20)  # received weeks ago, booked now: it moves now's figures
        payment = {"amount": amount, "method": "bank_transfer", "received_on": received_on.isoformat()}
        self.attempt(
            lambda: debts.record_payment(
                self.workspace_id, debt, payment, charging=self.charging(at), actor=USER, now=at
            ),
            at,
        )

    def charging(self, at: datetime) -> Charging:
        return charging_of(self.workspace, None, at)

    def money(self, debt: Debt, amount: int, kind: str) -> None:
        def change() -> Debt:
            ledger = {"kind": kind, "method": "card", "reference": "pi_test", "attempt_id": "pay_test"}
            charging = self.charging(self.now)
            lines = (
                money_in(debt, amount, charging, on=charging.today, designation="all")
                if amount > 0
                else money_back(debt, -amount, charging, designation="all")
            )
            updated, operations, count = debts.money_ops(
                self.workspace_id,
                debt,
                amount,
                lines=lines,
                day=charging.today,
                ledger=ledger,
                actor=STRIPE,
                now=self.now,
            )
            if count:
                operations.append(debts.debtor_count_op(self.workspace_id, debt["debtor_id"], count))
            store.transact(operations)
            return updated

        self.attempt(change, self.now)

    def step(self, kind: str, index: int, value: int) -> None:
        debt = self.fresh(index)
        if kind == "create" or debt is None:
            self.create(1_000 + value * 37, value % 90 - 30, ("EUR", "USD")[value % 2])
            return
        if kind == "wait":
            self.now += timedelta(minutes=45 + value * 437)  # any minute: quarters and midnights on the half hour
        elif kind == "pay_by_hand":
            self.pay_by_hand(debt, 1 + value % 4, self.now)
        elif kind == "pay_by_page" and debt["status"] in COLLECTIBLE:
            self.money(debt, max(1, outstanding(debt) * (1 + value % 4) // 4), "payment")
        elif kind == "refund" and debt["amount_paid"] > 0:
            self.money(debt, -max(1, debt["amount_paid"] * (1 + value % 2) // 2), ("refund", "chargeback")[value % 2])
        else:
            self.change(kind, debt, value)

    def change(self, kind: str, debt: Debt, value: int) -> None:
        if kind in ("dispute", "reopen", "cancel", "write_off"):
            action = Action(kind)
            self.attempt(
                lambda: debts.change_status(
                    self.workspace_id, debt, action, actor=USER, now=self.now, today=self.now.date()
                ),
                self.now,
            )
        elif kind == "edit":
            changes: dict[str, Any] = (
                {"amount": max(debt["amount_paid"], 1) + value * 11}
                if value % 2
                else {"due_on": (date.fromisoformat(debt["due_on"]) + timedelta(days=value - 20)).isoformat()}
            )
            self.attempt(
                lambda: debts.update_debt(
                    self.workspace_id, debt, changes, version=debt["version"], actor=USER, now=self.now
                ),
                self.now,
            )
        elif kind == "remind" and debt["status"] in COLLECTIBLE:
            self.rewrite(debt, {"reminder_step": debt["reminder_step"] + 1, "last_reminded_at": self.now.isoformat()})
        elif kind == "promise" and debt["status"] in COLLECTIBLE:
            on = (self.now.date() + timedelta(days=value % 20)).isoformat()
            promise = {
                "amount": max(1, outstanding(debt) // 2),
                "on": on,
                "made_at": self.now.isoformat(),
                "by": USER,
                "paid_before": debt["amount_paid"],
                "decide_at": f"{on}T23:59:59Z",
            }
            self.rewrite(debt, {"promise": promise if value % 3 else None})

    def rewrite(self, debt: Debt, fields: dict[str, Any]) -> None:
        """A write of the debt by another feature (the reminder sender, promises), through `saved_ops`."""
        updated = cast(Debt, {**debt, **fields, "updated_at": self.now.isoformat(), "version": debt["version"] + 1})

        def write() -> Debt:
            store.transact(debts.saved_ops(self.workspace_id, debt, updated, now=self.now))
            return updated

        self.attempt(write, self.now)

    def restamp(self) -> None:
        """What the lateness queue's consumer does for the debtor: their debts whose lateness moved, written again."""
        restamp(self.workspace_id, self.debtor_id, now=self.now)
        for debt in list(self.debts):
            found = cast(Debt, store.get(keys.debt(self.workspace_id, debt["id"]), consistent=True))
            if found["version"] != debt["version"]:
                self.record(found, self.now)

    def concurrent_payments(self, value: int) -> None:
        """Several people booking payments on different debts at the same moment."""
        chosen = {d["id"]: d for d in self.debts[-4:] if d["status"] in COLLECTIBLE}.values()
        at = self.now
        with ThreadPoolExecutor(max_workers=4) as pool:
            for debt in chosen:
                pool.submit(copy_context().run, self.pay_by_hand, debt, 1 + value % 4, at)

    # ---------------------------------------------------------------- the recomputation

    def ledger(self) -> list[dict[str, Any]]:
        return store.query_all("gsi1pk = :p", {":p": keys.ledger_of_workspace(self.workspace_id)}, index="gsi1")

    def recomputed(self, day: date) -> Figures:
        end = midnight(day + timedelta(days=1), self.zone)
        figures = Figures()

        def currency(code: str) -> CurrencyFigures:
            return figures.currencies.setdefault(code, CurrencyFigures())

        def flows(code: str, at: datetime) -> dict[str, int]:
            return currency(code).months.setdefault(month_of(at.astimezone(self.zone).date()), {})

        before: dict[str, Debt] = {}
        for at, debt in sorted((v for v in self.versions if v[0] < end), key=lambda v: (v[0], v[1]["version"])):
            previous = before.get(debt["id"])
            booked = flows(debt["currency"], at)
            self._transition(booked, previous, debt, at)
            before[debt["id"]] = debt
        for entry in self.ledger():
            at = datetime.fromisoformat(entry["recorded_at"])
            if at < end:
                if "charge" in entry:  # interest and compensation: their own flow, net of what went back
                    sign = 1 if entry["kind"] == "payment" else -1
                    _add(flows(entry["currency"], at), "ch", sign * int(entry["amount"]))
                    continue
                kind = "rf" if entry["kind"] != "payment" else "cp" if entry.get("method") == "card" else "cm"
                _add(flows(entry["currency"], at), kind, int(entry["amount"]))
        for debt in before.values():
            self._stock(currency(debt["currency"]), debt)
        first = min((v[0] for v in self.versions), default=end)
        month = month_of(first.astimezone(self.zone).date())
        while month < month_of(day):
            close = midnight(last_day(month) + timedelta(days=1), self.zone)
            for code in figures.currencies:
                mine = [d for d in self._states_before(close) if d["currency"] == code]
                totals = CurrencyFigures()
                for debt in mine:
                    self._stock(totals, debt)
                currency(code).ends[month] = [totals.receivable(), totals.not_due(last_day(month))]
            month = next_month(month)
        return figures

    def _transition(self, booked: dict[str, int], previous: Debt | None, debt: Debt, at: datetime) -> None:
        """What one version of a debt, recorded at `at`, did to the flows of its month, by the flows' definitions."""
        was = previous["status"] if previous else None
        _add(booked, "inv", debt["amount"] - (previous["amount"] if previous else 0))
        if previous and debt["status"] != was:
            if debt["status"] == Status.CANCELLED:
                _add(booked, "inv", -outstanding(previous))
            if debt["status"] == Status.WRITTEN_OFF:
                _add(booked, "wo", outstanding(previous))
            if debt["status"] == Status.DISPUTED:
                _add(booked, "dp", outstanding(previous))
        if debt["status"] == Status.PAID and was != Status.PAID:
            start = date.fromisoformat(debt.get("issued_on") or debt["created_at"][:10])
            _add(booked, "pn", 1)
            _add(booked, "pd", (at.astimezone(self.zone).date() - start).days)
            reminded = debt.get("last_reminded_at")
            if reminded and at - datetime.fromisoformat(reminded) <= timedelta(days=7):
                _add(booked, f"p7:{debt['reminder_step']}", 1)
        reminded_at = debt.get("last_reminded_at")
        if reminded_at and reminded_at != (previous.get("last_reminded_at") if previous else None):
            _add(booked, f"sent:{debt['reminder_step']}", 1)

    def _states_before(self, instant: datetime) -> list[Debt]:
        latest: dict[str, Debt] = {}
        for _, debt in sorted((v for v in self.versions if v[0] < instant), key=lambda v: (v[0], v[1]["version"])):
            latest[debt["id"]] = debt
        return list(latest.values())

    @staticmethod
    def _stock(figures: CurrencyFigures, debt: Debt) -> None:
        if debt["status"] not in OPEN_STATES or not outstanding(debt):
            return
        owed = outstanding(debt)
        stocks = figures.stocks
        stocks["ra"][debt["due_on"]] = stocks["ra"].get(debt["due_on"], 0) + owed
        stocks["rn"][debt["due_on"]] = stocks["rn"].get(debt["due_on"], 0) + 1
        if debt["status"] not in COLLECTIBLE:
            return
        promise = cast(dict[str, Any] | None, debt.get("promise"))
        promised = 0
        if promise:
            promised = max(0, min(promise["amount"] - (debt["amount_paid"] - promise["paid_before"]), owed))
            if promised:
                stocks["pa"][promise["on"]] = stocks["pa"].get(promise["on"], 0) + promised
        if owed - promised:  # expected the debtor's lateness, as stamped on the debt, after its due date
            expected = str(date.fromisoformat(debt["due_on"]) + timedelta(days=debt.get("expected_late_days", 0)))
            stocks["ea"][expected] = stocks["ea"].get(expected, 0) + owed - promised

    def check(self, day: date) -> None:
        today = self.now.astimezone(self.zone).date()
        kept = figures_as_of(self.workspace_id, self.zone, day, now=self.now)
        assert summarise(kept, day, today) == summarise(self.recomputed(day), day, today)


STEPS = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "create",
                "create",
                "wait",
                "wait",
                "pay_by_hand",
                "pay_by_page",
                "refund",
                "dispute",
                "reopen",
                "cancel",
                "write_off",
                "edit",
                "remind",
                "promise",
                "restamp",
                "restamp",
                "concurrently",
                "read",
            ]
        ),
        st.integers(0, 50),
        st.integers(0, 40),
    ),
    min_size=5,
    max_size=40,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
def test_the_kept_figures_equal_a_recomputation_from_the_ledger_and_the_debts_history(
    emulator: object, steps: list[tuple[str, int, int]]
) -> None:
    workload = Workload()
    for kind, index, value in steps:
        if kind == "concurrently":
            workload.concurrent_payments(value)
        elif kind == "restamp":
            workload.restamp()
        elif kind == "read":  # a report as of a past day, between the writes: it may write that day's closing
            today = workload.now.astimezone(workload.zone).date()
            workload.check(today - timedelta(days=value % 10))
        else:
            workload.step(kind, index, value)
    workload.restamp()  # the queue's consumer catches up with the debtor's last payments
    today = workload.now.astimezone(workload.zone).date()
    for back in (0, 1, 3, 17, 40):
        workload.check(today - timedelta(days=back))
    workload.now += timedelta(days=2)  # the days are over: their closings are written, and read again
    for back in (0, 2, 3, 5, 19):
        workload.check(today - timedelta(days=back))
