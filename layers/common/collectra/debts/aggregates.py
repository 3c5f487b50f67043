"""What a debt's write changes in its workspace's figures: one delta from the debt before and after, in one place.

Every write of a debt goes through `service._saved` (callers' own transactions: `service.saved_ops`), which
adds `delta_op`: an ADD of `delta(before, after)` to one of `SHARDS` items of the quarter of an hour it is
recorded in (`keys.analytics_deltas`), chosen by a hash of the debt's id, in the same transaction as the debt.
So the figures move exactly when the debt does (a transaction that fails adds nothing, a retried one adds
once), and concurrent writers of different debts rarely share an item. The quarter, not the day, because
which day a change belongs to depends on the workspace's time zone, which the readers apply
(`analytics.figures`): every time zone's midnight falls on a quarter of an hour.

Figures are booked by when the change was recorded, never by a date the change names (a payment received last
month and booked today moves today's figures), so a past day's figures never change once it is over.

A delta's counters are per currency, named `<currency>:<measure>[:<argument>]`:
- stocks, kept by date: `ra:<due date>`/`rn:<due date>` receivable (outstanding on open, partially paid and disputed
  debts) amount and count by due date; `pa:<date>` what open promises still cover, by the promised date; `ea:<date>`
  the rest of what collectible debts owe, by the date they are expected to be paid (`expected_on`: the due date
  moved by the debtor's usual lateness stamped on the debt), except the debts of an active payment plan, whose money
  is `pl:<date>`, planned by its instalments' dates, booked by the plan itself (`plans.forecast`);
- flows: `inv` invoiced (a new debt's amount, an edit's change of it, minus what a cancellation leaves unpaid), `cp`
  collected through Collectra's page (Stripe), `cm` booked by hand, `rf` refunded or charged back (all three of
  principal only), `ch` late-payment interest and compensation received less what of them went back, `wo` written
  off, `dp` newly disputed (what was outstanding), `pn` debts that became paid and `ps` the sum of their start days
  (`date.toordinal` of issued_on, else of created_at's date: a reader subtracts it from the day they were paid),
  `sent:<step>` reminders sent at that step, `p7:<step>` debts paid within 7 days of the last step sent to them.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import Any, cast

from collectra import store
from collectra.analytics.formulas import expected_pay_date
from collectra.debts.records import Debt, outstanding
from collectra.debts.states import COLLECTIBLE, OPEN_STATES, Status
from collectra.store import keys

SHARDS = 16  # items per quarter of an hour: few enough for a reader, enough that concurrent payments rarely meet
PAID_WITHIN = timedelta(days=7)
QUARTER_MINUTES = 15


def quarter_of(now: datetime) -> str:
    """The start of the quarter of an hour `now` falls in, as the analytics keys write instants."""
    start = now.replace(minute=now.minute - now.minute % QUARTER_MINUTES, second=0, microsecond=0)
    return instant(start)


def instant(at: datetime) -> str:
    """An instant as the analytics keys write it (UTC, to the minute: fixed width, so it sorts by time)."""
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")


def shard_of(debt_id: str) -> int:
    return int(hashlib.sha256(debt_id.encode()).hexdigest()[:8], 16) % SHARDS


def expected_on(debt: Debt) -> str:
    """When a collectible debt is expected to be paid: its due date moved by its debtor's usual lateness, as stamped
    on the debt (`expected_late_days`, kept current by `debts.lateness`; absent, the due date itself). On the debt,
    so a new lateness moves the forecast through the debt's own versioned write and its delta, exactly once."""
    return expected_pay_date(date.fromisoformat(debt["due_on"]), debt.get("expected_late_days", 0)).isoformat()


def _receivable(debt: Debt | None) -> int:
    return outstanding(debt) if debt and debt["status"] in OPEN_STATES else 0


def _promise(debt: Debt) -> dict[str, Any]:
    """The debt's promise to pay (`promise`, written by the promises feature), or an empty one."""
    return cast(dict[str, Any], debt).get("promise") or {}


def _promised(debt: Debt) -> int:
    """What an open promise still covers: its amount less what was paid since it was made, within what is owed."""
    promise = _promise(debt)
    if not promise or debt["status"] not in COLLECTIBLE:
        return 0
    paid_since = int(debt["amount_paid"]) - int(promise.get("paid_before", 0))
    return max(0, min(int(promise["amount"]) - paid_since, outstanding(debt)))


def _stocks(debt: Debt | None, sign: int) -> Counter[str]:
    found: Counter[str] = Counter()
    receivable = _receivable(debt)
    if debt is None or not receivable:
        return found
    currency = debt["currency"]
    found[f"{currency}:ra:{debt['due_on']}"] += sign * receivable
    found[f"{currency}:rn:{debt['due_on']}"] += sign
    if debt["status"] in COLLECTIBLE and not debt.get("plan"):  # a plan's debts are planned money (`plans.forecast`)
        promised = _promised(debt)
        if promised:
            found[f"{currency}:pa:{_promise(debt)['on']}"] += sign * promised
        if receivable - promised:
            found[f"{currency}:ea:{expected_on(debt)}"] += sign * (receivable - promised)
    return found


def _start_day(debt: Debt) -> int:
    start = debt.get("issued_on") or debt["created_at"][:10]
    return date.fromisoformat(start).toordinal()


def _charges_paid(debt: Debt | None) -> int:
    return int(debt.get("interest_paid", 0)) + int(debt.get("compensation_paid", 0)) if debt else 0


def _flows(before: Debt | None, after: Debt, now: datetime, by_page: bool) -> Counter[str]:
    found: Counter[str] = Counter()
    currency = after["currency"]

    def add(measure: str, amount: int) -> None:
        found[f"{currency}:{measure}"] += amount

    was = before["status"] if before else None
    status = after["status"]
    add("inv", after["amount"] - (before["amount"] if before else 0))
    if status == Status.CANCELLED and was != Status.CANCELLED and before:
        add("inv", -outstanding(before))  # a cancellation is a credit note for what was still owed
    money = after["amount_paid"] - (before["amount_paid"] if before else 0)
    if money > 0:
        add("cp" if by_page else "cm", money)
    elif money < 0:
        add("rf", -money)
    charges = _charges_paid(after) - _charges_paid(before)
    if charges:
        add("ch", charges)
    if before and status != was:
        if status == Status.WRITTEN_OFF:
            add("wo", outstanding(before))
        elif status == Status.DISPUTED:
            add("dp", outstanding(before))
    if status == Status.PAID and was != Status.PAID:
        add("pn", 1)
        add("ps", _start_day(after))
        reminded = after.get("last_reminded_at")
        if reminded and after["reminder_step"] >= 0 and now - datetime.fromisoformat(reminded) <= PAID_WITHIN:
            add(f"p7:{after['reminder_step']}", 1)
    reminded_now = after.get("last_reminded_at")
    if reminded_now and reminded_now != (before.get("last_reminded_at") if before else None):
        add(f"sent:{after['reminder_step']}", 1)
    return found


def delta(before: Debt | None, after: Debt, *, now: datetime, by_page: bool = False) -> dict[str, int]:
    """What writing `after` over `before` (None: a new debt) recorded at `now` changes, without the zeros.

    `by_page`: money it received came through Collectra's page (Stripe), not booked by hand.
    """
    found = _stocks(after, 1)
    found.update(_stocks(before, -1))
    found.update(_flows(before, after, now, by_page))
    return {name: amount for name, amount in found.items() if amount}


def delta_op(
    workspace_id: str, before: Debt | None, after: Debt, *, now: datetime, by_page: bool = False
) -> list[store.Operation]:
    """The ADD of `delta` to the debt's shard of `now`'s quarter, for the debt's own transaction; none when the
    write changes no figure (a reminder's next look, a pause)."""
    counters = delta(before, after, now=now, by_page=by_page)
    if not counters:
        return []
    return [store.counters_op(keys.analytics_deltas(workspace_id, quarter_of(now), shard_of(after["id"])), counters)]
