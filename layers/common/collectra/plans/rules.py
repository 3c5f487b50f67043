"""A payment plan's rules: pure, no I/O; "today" (the business's date) and "now" are always arguments.

A schedule is 2 to 12 instalments, dates strictly increasing and at least `MIN_GAP_DAYS` apart, the first on or
after today, amounts positive and summing to the plan's total (`check_schedule`); a debtor's proposal is also
within the workspace's rules (`check_within_rules`). Equal amounts by default, the last taking the rounding
(`split`: 100.00 in 3 is 33.33, 33.33, 33.34).

Progress is derived, never counted: given `paid_since` (what the plan's debts received since it started; a
refund counts against it), instalment k with cumulative amount C_k is paid once paid_since >= C_k; otherwise it is
`upcoming` before its date, `due` on it, `overdue` for the plan's grace days after it, then `missed` (the plan
breaks, at `break_at`). A plan whose debts are all paid, or paid_since >= total, is completed.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, Literal, TypedDict
from zoneinfo import ZoneInfo

if TYPE_CHECKING:  # the shapes it reads
    from collectra.plans.records import Plan
    from collectra.workspaces.payment_plans import PaymentPlans

MAX_PLAN_DEBTS = 15  # as a Checkout Session's basket (`payments.checkout.MAX_DEBTS`)
MIN_INSTALMENTS = 2
MAX_INSTALMENTS = 12
MIN_GAP_DAYS = 7
EVERY = ("week", "two_weeks", "month")

Every = Literal["week", "two_weeks", "month"]
Outcome = Literal["completed", "broken"]
InstalmentStatus = Literal["paid", "upcoming", "due", "overdue", "missed"]


class ScheduleRefused(ValueError):
    """A schedule the rules refuse; `field` names what to change (`body.instalments[2].due_on` style)."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InstalmentState(TypedDict):
    number: int
    due_on: str
    amount: int
    paid: int  # how much of this instalment what was paid since the start covers
    status: str  # an `InstalmentStatus`


def split(total: int, count: int) -> list[int]:
    """`total` in `count` equal parts, the last taking the rounding; ValueError when a part would not be positive."""
    if count < 1 or total < count:
        raise ValueError(f"{total} cannot be split into {count} positive parts")
    part = total // count
    return [part] * (count - 1) + [total - part * (count - 1)]


def every_dates(first: date, count: int, every: str) -> list[date]:
    """`count` dates from `first`: a week or two apart, or monthly on the same day (clamped to the month's end:
    31 January, then 28 or 29 February, then 31 March)."""
    if every == "week":
        return [first + timedelta(days=7 * k) for k in range(count)]
    if every == "two_weeks":
        return [first + timedelta(days=14 * k) for k in range(count)]
    if every == "month":
        dates = []
        for k in range(count):
            year, month = divmod(first.month - 1 + k, 12)
            year, month = first.year + year, month + 1
            dates.append(date(year, month, min(first.day, calendar.monthrange(year, month)[1])))
        return dates
    raise ValueError(f"every must be one of {EVERY}, not {every!r}")


def _field(index: int, name: str) -> str:
    return f"body.instalments[{index}].{name}"


def check_schedule(instalments: Sequence[tuple[date, int]], *, total: int, today: date) -> None:
    """The rules every plan follows, whoever makes it; ScheduleRefused names the first thing refused."""
    count = len(instalments)
    if not MIN_INSTALMENTS <= count <= MAX_INSTALMENTS:
        raise ScheduleRefused(
            f"A plan has {MIN_INSTALMENTS} to {MAX_INSTALMENTS} instalments, not {count}.", "body.instalments"
        )
    if total <= 0:
        raise ScheduleRefused("There is nothing outstanding to pay in instalments.", "body.instalments")
    first_on = instalments[0][0]
    if first_on < today:
        raise ScheduleRefused(f"The first instalment is due on {today.isoformat()} or later.", _field(0, "due_on"))
    for index in range(1, count):
        earliest = instalments[index - 1][0] + timedelta(days=MIN_GAP_DAYS)
        if instalments[index][0] < earliest:
            raise ScheduleRefused(
                f"Instalments are at least {MIN_GAP_DAYS} days apart: this one is due on {earliest.isoformat()} "
                "or later.",
                _field(index, "due_on"),
            )
    for index, (_, amount) in enumerate(instalments):
        if amount <= 0:
            raise ScheduleRefused("Every instalment is more than 0.", _field(index, "amount"))
    paid = sum(amount for _, amount in instalments)
    if paid != total:
        raise ScheduleRefused(
            f"The instalments add up to {paid}, not to the {total} outstanding on the plan's debts.",
            "body.instalments",
        )


def check_within_rules(
    instalments: Sequence[tuple[date, int]], *, total: int, today: date, settings: PaymentPlans
) -> None:
    """`check_schedule`, then the workspace's rules for what a debtor proposes: how many instalments, how far the
    last one may be, how large the first one must be."""
    check_schedule(instalments, total=total, today=today)
    if len(instalments) > settings.max_instalments:
        raise ScheduleRefused(f"A plan has at most {settings.max_instalments} instalments.", "body.instalments")
    latest = today + timedelta(days=settings.max_days)
    last = len(instalments) - 1
    if instalments[last][0] > latest:
        raise ScheduleRefused(
            f"The last instalment is due on {latest.isoformat()} at the latest.", _field(last, "due_on")
        )
    first_amount = instalments[0][1]
    if first_amount * 100 < settings.min_first_percent * total:
        raise ScheduleRefused(
            f"The first instalment is at least {settings.min_first_percent}% of the total.", _field(0, "amount")
        )


def cumulative(plan: Plan) -> list[int]:
    """C_k: what is paid once instalments 1..k are."""
    running, sums = 0, []
    for instalment in plan["instalments"]:
        running += int(instalment["amount"])
        sums.append(running)
    return sums


def _status(due_on: date, grace_days: int, today: date) -> InstalmentStatus:
    if today < due_on:
        return "upcoming"
    if today == due_on:
        return "due"
    if today <= due_on + timedelta(days=grace_days):
        return "overdue"
    return "missed"


def progress(plan: Plan, paid_since: int, today: date) -> list[InstalmentState]:
    """Each instalment as it stands on `today`: how much of it is covered, and its status."""
    states: list[InstalmentState] = []
    before = 0
    for instalment, reached in zip(plan["instalments"], cumulative(plan), strict=True):
        amount = int(instalment["amount"])
        covered = max(0, min(amount, paid_since - before))
        due_on = date.fromisoformat(instalment["due_on"])
        status = "paid" if paid_since >= reached else _status(due_on, int(plan["grace_days"]), today)
        states.append(
            {
                "number": int(instalment["number"]),
                "due_on": instalment["due_on"],
                "amount": amount,
                "paid": covered,
                "status": status,
            }
        )
        before = reached
    return states


def asked_now(plan: Plan, paid_since: int) -> tuple[int, int] | None:
    """The first instalment not yet paid and what it still asks for (the rest of a partly paid one); None when
    every instalment is paid."""
    for instalment, reached in zip(plan["instalments"], cumulative(plan), strict=True):
        if paid_since < reached:
            return int(instalment["number"]), reached - paid_since
    return None


def outcome(plan: Plan, paid_since: int, today: date, all_paid: bool) -> Outcome | None:
    """Completed once everything is paid (every debt, or `total` since it started); broken once an instalment is
    missed past the grace days; else None (it goes on)."""
    if all_paid or paid_since >= int(plan["total"]):
        return "completed"
    if any(state["status"] == "missed" for state in progress(plan, paid_since, today)):
        return "broken"
    return None


def break_at(plan: Plan, zone: str, number: int | None = None, *, paid_since: int = 0) -> datetime:
    """When instalment `number` is missed unless paid: the midnight that starts the day after its date plus the
    plan's grace days, in the business's time zone `zone` (UTC returned). Without `number`: the first instalment
    that `paid_since` does not cover (the last one when it covers all)."""
    if number is None:
        asked = asked_now(plan, paid_since)
        number = asked[0] if asked else len(plan["instalments"])
    instalment = plan["instalments"][number - 1]
    last_day = date.fromisoformat(instalment["due_on"]) + timedelta(days=int(plan["grace_days"]))
    return datetime.combine(last_day + timedelta(days=1), time(0), ZoneInfo(zone)).astimezone(UTC)


def paid_since(plan: Plan, debts: Sequence[Mapping[str, Any]]) -> int:
    """What the plan's debts received since it was made (the sum of their `amount_paid` now minus `paid_before`;
    a refund counts against it)."""
    mine = set(plan["debt_ids"])
    received = sum(int(debt.get("amount_paid", 0)) for debt in debts if debt["id"] in mine)
    return received - int(plan.get("paid_before", 0))


def all_paid(plan: Plan, debts: Sequence[Mapping[str, Any]]) -> bool:
    """Every debt of the plan is paid (its principal) or otherwise out of collection."""
    mine = [debt for debt in debts if debt["id"] in set(plan["debt_ids"])]
    return bool(mine) and all(debt["status"] not in _COLLECTIBLE for debt in mine)


_COLLECTIBLE = ("open", "partially_paid")


def in_plan_order(debts: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """A plan's debts in its order: by due date, then id."""
    return sorted(debts, key=lambda debt: (str(debt["due_on"]), str(debt["id"])))


def principal_outstanding(debt: Mapping[str, Any]) -> int:
    return max(0, int(debt["amount"]) - int(debt.get("amount_paid", 0)))


def allocate(amount: int, debts: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    """`amount` over `debts` in the plan's order, each up to its principal outstanding (debts that take nothing
    are left out). What exceeds everything outstanding is not allocated: the sum may be less than `amount`."""
    allocation: dict[str, int] = {}
    left = max(0, amount)
    for debt in in_plan_order(debts):
        share = min(left, principal_outstanding(debt))
        if share > 0:
            allocation[str(debt["id"])] = share
            left -= share
    return allocation
