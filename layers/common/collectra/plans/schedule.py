"""When the instalment scheduler looks at a plan next, and which of the debtor's emails are due: pure, no I/O.

A plan is looked at when something about it falls due (`next_look`), never by polling:
- a notice to the debtor (`Notice`): `instalment_upcoming` 3 days before an instalment's date, `instalment_missed`
  the day after it while unpaid (until the plan breaks), each at the workspace's sending hour on that day in its
  zone (its reminder window's start, or 09:00 when it has no reminder policy), and the notices that answer a change
  of the plan (started, offered, declined, completed, broken, a charge that failed) as soon as it is seen;
- an automatic charge (the first unpaid instalment's date, at the same hour), a retry's `next_try_at`, a lease on
  a charge in flight that ran out (`claimed_until`: the scheduler that held it died);
- the moment the first unpaid instalment breaks the plan (`break_time`: midnight starting the day after its date +
  the plan's grace days, in the workspace's zone).
Once nothing is left (an ended plan whose final notice went), there is no next look and the plan leaves the index.

"Sent" means recorded in the plan's `notices` map (`<kind>#<instalment number or 0>` -> when), whether it went or
was skipped for good (an unreachable debtor): a notice is decided once. While one is being sent its value is a
claim (`claimed:<when>`, `collectra.reminders.plan_notices`): a claim older than `LEASE` belongs to a scheduler
that died, and the notice is due again (sent under the same idempotency key, so Brevo takes it once).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

UPCOMING_DAYS_BEFORE = 3
MISSED_DAYS_AFTER = 1
DEFAULT_SENDING_HOUR = 9  # a workspace without a reminder policy of its own

# Notice kinds (the contract's debtor emails).
PLAN_STARTED = "plan_started"
PLAN_OFFERED = "plan_offered"
PLAN_DECLINED = "plan_declined"
PLAN_COMPLETED = "plan_completed"
PLAN_BROKEN = "plan_broken"
INSTALMENT_UPCOMING = "instalment_upcoming"
INSTALMENT_MISSED = "instalment_missed"
INSTALMENT_CHARGE_FAILED = "instalment_charge_failed"
KINDS = (
    PLAN_STARTED,
    PLAN_DECLINED,
    PLAN_OFFERED,
    INSTALMENT_UPCOMING,
    INSTALMENT_MISSED,
    PLAN_BROKEN,
    PLAN_COMPLETED,
    INSTALMENT_CHARGE_FAILED,
)
OPEN_STATUSES = ("proposed", "offered", "active")
CLAIMED = "claimed:"
LEASE = timedelta(minutes=2)
CHARGE_FAILED_STATES = ("failed", "action_required")


@dataclass(frozen=True)
class Notice:
    """One email to the debtor: due from `at` (UTC) until `until` (exclusive; None: no end)."""

    kind: str
    number: int  # the instalment's, 0 for a notice about the whole plan
    at: datetime
    until: datetime | None = None

    @property
    def key(self) -> str:
        return notice_key(self.kind, self.number)

    def due(self, now: datetime) -> bool:
        return self.at <= now and (self.until is None or now < self.until)


def notice_key(kind: str, number: int) -> str:
    return f"{kind}#{number}"


def claim_value(now: datetime) -> str:
    return f"{CLAIMED}{now.astimezone(UTC).isoformat()}"


def lease_end(value: str | None) -> datetime | None:
    """When a claim recorded as `value` may be taken over; None when the value is not a claim (decided)."""
    if not value or not value.startswith(CLAIMED):
        return None
    return datetime.fromisoformat(value.removeprefix(CLAIMED)) + LEASE


def _undecided(sent: Mapping[str, str], notice: Notice) -> datetime | None:
    """From when the notice may be sent (its own time, or its claim's lease end); None once it is decided."""
    if notice.key not in sent:
        return notice.at
    ends = lease_end(sent[notice.key])
    return None if ends is None else max(notice.at, ends)


def sending_hour_of(workspace: Mapping[str, Any]) -> int:
    """The hour (local) the workspace's emails may start going out: its reminder window's start, else 09:00."""
    policy = workspace.get("reminder_policy")
    if policy and policy.get("window_start_hour") is not None:
        return int(policy["window_start_hour"])
    return DEFAULT_SENDING_HOUR


def at_hour(day: date, hour: int, zone: str) -> datetime:
    """`hour` o'clock local wall time on `day` in `zone`, as UTC (a DST change moves the UTC instant, not the hour)."""
    return (datetime.combine(day, time(0), ZoneInfo(zone)) + timedelta(hours=hour)).astimezone(UTC)


def break_time(due_on: date, grace_days: int, zone: str) -> datetime:
    """When an instalment still unpaid breaks its plan: the midnight starting the day after due_on + grace days."""
    return datetime.combine(due_on + timedelta(days=grace_days + 1), time(0), ZoneInfo(zone)).astimezone(UTC)


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _when(value: Any) -> datetime | None:
    if not value:
        return None
    moment = datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _get(state: Any, name: str) -> Any:
    return state[name] if isinstance(state, Mapping) else getattr(state, name)


def first_unpaid(progress: Sequence[Any]) -> Any | None:
    """The first instalment not yet paid (what the plan asks for now), or None when all are paid."""
    return next((state for state in progress if _get(state, "status") != "paid"), None)


def notices_of(plan: Mapping[str, Any], progress: Sequence[Any], *, zone: str, sending_hour: int) -> list[Notice]:
    """Every notice the plan calls for as it stands (sent or not), each with its window."""
    status = plan["status"]
    found: list[Notice] = []
    created = _when(plan.get("created_at")) or datetime.min.replace(tzinfo=UTC)
    ended = _when(plan.get("ended_at")) or _when(plan.get("decided_at")) or created
    if status == "offered":
        found.append(Notice(PLAN_OFFERED, 0, created))
    elif status == "declined":
        found.append(Notice(PLAN_DECLINED, 0, ended))
    elif status == "completed":
        found.append(Notice(PLAN_COMPLETED, 0, ended))
    elif status == "broken":  # broken at midnight: the debtor hears of it when the day's sending opens
        local_day = ended.astimezone(ZoneInfo(zone)).date()
        found.append(Notice(PLAN_BROKEN, 0, max(ended, at_hour(local_day, sending_hour, zone))))
    if status != "active":
        return found
    started = _when(plan.get("started_at")) or created
    found.append(Notice(PLAN_STARTED, 0, started))
    grace = int(plan.get("grace_days", 0))
    charges = plan.get("charges") or {}
    for state in progress:
        if _get(state, "status") == "paid":
            continue
        number, due_on = int(_get(state, "number")), _day(_get(state, "due_on"))
        breaks = break_time(due_on, grace, zone)
        upcoming = at_hour(due_on - timedelta(days=UPCOMING_DAYS_BEFORE), sending_hour, zone)
        if started < upcoming:  # a plan started within those days told the debtor its dates just now
            found.append(Notice(INSTALMENT_UPCOMING, number, upcoming, min(at_hour(due_on, 24, zone), breaks)))
        missed = at_hour(due_on + timedelta(days=MISSED_DAYS_AFTER), sending_hour, zone)
        if missed < breaks:  # with no grace days the plan breaks first: the broken notice says it
            found.append(Notice(INSTALMENT_MISSED, number, missed, breaks))
        charge = charges.get(str(number))
        if charge and charge.get("state") in CHARGE_FAILED_STATES and not charge.get("next_try_at"):
            found.append(Notice(INSTALMENT_CHARGE_FAILED, number, started, breaks))
    return found


def due_notices(
    plan: Mapping[str, Any], progress: Sequence[Any], *, now: datetime, zone: str, sending_hour: int
) -> list[Notice]:
    """The notices due at `now` and not yet decided (sent or skipped for good), oldest first."""
    sent = plan.get("notices") or {}
    due = [
        notice
        for notice in notices_of(plan, progress, zone=zone, sending_hour=sending_hour)
        if (since := _undecided(sent, notice)) is not None and since <= now and notice.due(now)
    ]
    return sorted(due, key=lambda n: (n.at, n.number, n.kind))


def charge_times(plan: Mapping[str, Any], progress: Sequence[Any], *, zone: str, sending_hour: int) -> list[datetime]:
    """When automatic collection has something to do for the first unpaid instalment: its date at the sending hour
    (not charged yet), a failed charge's retry, or the end of the lease of a charge in flight."""
    collection = plan.get("collection") or {}
    if plan["status"] != "active" or collection.get("mode") != "automatic":
        return []
    state = first_unpaid(progress)
    if state is None:
        return []
    charge = (plan.get("charges") or {}).get(str(_get(state, "number")))
    if charge is None:
        if not collection.get("payment_method_id"):
            return []
        return [at_hour(_day(_get(state, "due_on")), sending_hour, zone)]
    moment = None
    if charge.get("state") == "failed":
        moment = _when(charge.get("next_try_at"))
    elif charge.get("state") == "charging":
        moment = _when(charge.get("claimed_until"))
    return [moment] if moment is not None else []


def plan_break_time(plan: Mapping[str, Any], progress: Sequence[Any], *, zone: str) -> datetime | None:
    """When the plan breaks if nothing more is paid: the first unpaid instalment's break time (active plans)."""
    state = first_unpaid(progress) if plan["status"] == "active" else None
    if state is None:
        return None
    return break_time(_day(_get(state, "due_on")), int(plan.get("grace_days", 0)), zone)


def next_look(
    plan: Mapping[str, Any], progress: Sequence[Any], *, now: datetime, zone: str, sending_hour: int
) -> datetime | None:
    """The earliest of: a notice still to send (its window open now or later), an automatic charge, a retry or an
    expired lease, the break time; None once nothing is left. Something still due (a notice that could not go yet, a
    charge not yet taken) makes it `now`: the next run looks again."""
    sent = plan.get("notices") or {}
    times = [
        since
        for n in notices_of(plan, progress, zone=zone, sending_hour=sending_hour)
        if (since := _undecided(sent, n)) is not None and (n.until is None or since < n.until)
    ]
    times += charge_times(plan, progress, zone=zone, sending_hour=sending_hour)
    breaking = plan_break_time(plan, progress, zone=zone)
    if breaking is not None:
        times.append(breaking)
    if plan["status"] == "active" and first_unpaid(progress) is None:
        times.append(now)  # everything is paid: settling completes it
    return max(min(times), now) if times else None
