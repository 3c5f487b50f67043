"""A workspace's reminder policy: its steps, when they fall, and the hours and days it may send.

Pure rules, no I/O: every function takes "now" (or a date) as an argument, so tests move the clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from collectra.debts.states import FIRST_LOOK_DAYS_BEFORE_DUE

if TYPE_CHECKING:  # the shapes it reads; the records modules build keys, which pure rules do not
    from collectra.debts.records import Debt
    from collectra.workspaces.records import Workspace

TONES = ("friendly", "firm", "final")
MIN_OFFSET_DAYS = -FIRST_LOOK_DAYS_BEFORE_DUE  # a debt enters the planner's view this long before its due date
MAX_OFFSET_DAYS = 365


@dataclass(frozen=True)
class Step:
    offset_days: int  # from the due date; negative = before it
    tone: str  # friendly, firm or final
    template: str  # a built-in template ("friendly", "firm", "final") or one of the workspace's own


@dataclass(frozen=True)
class Policy:
    steps: tuple[Step, ...]
    repeat_every_days: int | None = None  # after the last step, again every N days ...
    repeat_times: int = 0  # ... this many times
    window_start_hour: int = 8  # in the debtor's local time, inclusive
    window_end_hour: int = 21  # exclusive: nothing at 21:00 or later; 24 = until midnight
    sending_days: frozenset[int] = field(default_factory=lambda: frozenset(range(5)))  # Monday = 0
    max_per_week: int = 3  # emails per debtor in any 7 days, across all their debts

    def step(self, index: int) -> Step:
        """The step at `index`, counting repeats of the last step after the steps themselves."""
        return self.steps[min(index, len(self.steps) - 1)]

    @property
    def length(self) -> int:
        return len(self.steps) + (self.repeat_times if self.repeat_every_days else 0)

    def day_of(self, index: int, due_on: date) -> date:
        if index < len(self.steps):
            return due_on + timedelta(days=self.steps[index].offset_days)
        extra = index - len(self.steps) + 1
        return due_on + timedelta(days=self.steps[-1].offset_days + extra * (self.repeat_every_days or 0))


DEFAULT = Policy(
    steps=(
        Step(-3, "friendly", "friendly"),
        Step(0, "friendly", "friendly"),
        Step(3, "firm", "firm"),
        Step(7, "firm", "firm"),
        Step(14, "final", "final"),
        Step(30, "final", "final"),
    )
)


def policy_of(workspace: Workspace, debt: Debt | None = None) -> Policy:
    """The policy for a debt: the workspace's (or the default), with the debt's own steps if it has them.

    A debt may follow other steps (`PUT /debts/{id}/reminder-steps`); the hours, sending days and weekly
    limit stay the workspace's, because they protect the debtor, whatever the debt.
    """
    stored = workspace.get("reminder_policy")
    base = DEFAULT
    if stored:
        base = Policy(
            steps=_steps(stored),
            repeat_every_days=stored.get("repeat_every_days"),
            repeat_times=int(stored.get("repeat_times") or 0),
            window_start_hour=int(stored.get("window_start_hour", 8)),
            window_end_hour=int(stored.get("window_end_hour", 21)),
            sending_days=frozenset(int(d) for d in stored.get("sending_days", range(5))),
            max_per_week=int(stored.get("max_per_week", 3)),
        )
    own = debt.get("reminder_steps") if debt else None
    if not own:
        return base
    return replace(
        base,
        steps=_steps(own),
        repeat_every_days=own.get("repeat_every_days"),
        repeat_times=int(own.get("repeat_times") or 0),
    )


def _steps(stored: dict[str, Any]) -> tuple[Step, ...]:
    return tuple(Step(int(s["offset_days"]), s["tone"], s["template"]) for s in stored["steps"])


def due_step(policy: Policy, due_on: date, last_sent: int, today: date) -> int | None:
    """The step to send today: the latest one whose day has come and that was not sent yet.

    After a missed run (an outage) several steps may have come meanwhile: only the latest goes out.
    """
    found = None
    for index in range(last_sent + 1, policy.length):
        if policy.day_of(index, due_on) <= today:
            found = index
        else:
            break
    return found


def next_step_day(policy: Policy, due_on: date, last_sent: int) -> date | None:
    """The day of the first step after `last_sent`, or None when the policy has nothing more to send."""
    index = last_sent + 1
    return policy.day_of(index, due_on) if index < policy.length else None


def opening(policy: Policy, zone: str, earliest: datetime) -> datetime:
    """The first moment at or after `earliest` (UTC) inside the sending window in the debtor's time zone."""
    local_zone = ZoneInfo(zone)
    local = earliest.astimezone(local_zone)
    for _ in range(15):  # two weeks cover any set of sending days
        start = _at_hour(local.date(), policy.window_start_hour, local_zone)
        end = _at_hour(local.date(), policy.window_end_hour, local_zone)
        if local.weekday() in policy.sending_days and local < end:
            return max(local, start).astimezone(UTC)
        local = datetime.combine(local.date() + timedelta(days=1), time(0), local_zone)
    raise ValueError("the policy has no sending day")


def _at_hour(day: date, hour: int, zone: ZoneInfo) -> datetime:
    """`hour` o'clock on `day`, local wall time; 24 is the midnight that ends the day (`time(24)` does not exist)."""
    return datetime.combine(day, time(0), zone) + timedelta(hours=hour)  # aware + timedelta: wall-clock arithmetic


def day_opening(policy: Policy, zone: str, day: date) -> datetime:
    """When a step falling on `day` may first go out: that day's window opening, or the next one."""
    return opening(policy, zone, datetime.combine(day, time(0), ZoneInfo(zone)).astimezone(UTC))


def rate_allows(policy: Policy, recent: list[str], now: datetime) -> datetime | None:
    """None if the debtor may get an email now; else when the oldest of the last week's emails ages out."""
    week_ago = now - timedelta(days=7)
    within = sorted(sent for sent in (datetime.fromisoformat(s) for s in recent) if sent > week_ago)
    if len(within) < policy.max_per_week:
        return None
    return within[-policy.max_per_week] + timedelta(days=7, seconds=1)
