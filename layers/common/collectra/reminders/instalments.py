"""The instalment scheduler: every plan whose next look has come, looked at once per run.

Started by the reminders' EventBridge schedule (`functions/plans/instalments.py`), at the event's `time` (so
`make remind NOW=...` moves its clock as the reminders'). It reads the `plans_due` shards of gsi5 up to now (a
Query each, a page at a time), batch-gets the plans and their workspaces, and per plan:
1. `service.settle`: payments since the last look may have completed it;
2. `payments.collection.charge_due` when its collection is automatic (stripe's, idempotent per instalment; the
   handler gives it, as reminders may not import payments);
3. `service.break_plan` once its first unpaid instalment is past the plan's grace days (not while a charge of it
   is in flight: a SEPA debit takes days to settle);
4. `notices.send_notices`: the debtor's emails now due, each once;
5. its next look (`schedule.next_look`): a version-checked write of `next_look_at` and its gsi5 sort key, or out of
   the index when nothing is left. A plan changed meanwhile keeps what its change set (core sets
   `next_look_at = now` on every change, so the next run looks at it).

Every step is safe to repeat: a redelivered event, two schedulers at once, or a run retried after a crash settle,
charge, break and email nothing twice (settle and break are version-checked transactions, charges carry an
idempotency key per instalment, notices are claimed on the plan).

One plan never stops another: any exception while looking at a plan is logged with ids and the error's type only
(an exception's text can quote a debtor's data), counted (`PlanLookFailed`, alarmed) and the run goes on; the plan
keeps its next look, so the next run tries again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from collectra import store
from collectra.clock import iso
from collectra.errors import Conflict
from collectra.observability import logger
from collectra.plans import forecast, schedule, service
from collectra.reminders import plan_notices as notices
from collectra.store import keys
from collectra.workspaces.lifecycle import is_closed
from collectra.workspaces.records import Workspace

PAGE = 100  # index entries per Query: one BatchGetItem of plans
RESERVE = timedelta(seconds=20)  # time a run keeps to finish the plan in hand; the rest waits for the next run
ON_ITS_WAY = frozenset({"charging", "processing", "succeeded"})  # as payments.collection's: never broken meanwhile
IN_FLIGHT_AGAIN = timedelta(hours=6)  # a charge still processing (SEPA): look again then, the plan cannot break

TimeLeft = Callable[[], timedelta]
# Stripe's automatic charge of what a plan asks for now (`payments.collection.charge_due`), given by the handler:
# payments is reminders' sibling, which it may not import. None: no automatic collection in this run.
Charge = Callable[[Workspace, Any, datetime], object]


@dataclass
class RunSummary:
    due: int = 0
    looked: int = 0
    failed: int = 0
    settled: int = 0
    broken: int = 0
    charged: int = 0
    notices: int = 0
    stopped_early: bool = False
    by_workspace: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "due": self.due,
            "looked": self.looked,
            "failed": self.failed,
            "settled": self.settled,
            "broken": self.broken,
            "charged": self.charged,
            "notices": self.notices,
            "stopped_early": self.stopped_early,
        }


def due_in_shard(shard: int, now: datetime) -> Iterator[list[dict[str, Any]]]:
    """The index entries of the shard's plans due at `now`, a page at a time, oldest first."""
    upper = f"{iso(now)}#\uffff"
    start: dict[str, Any] | None = None
    while True:
        page = store.query(
            "gsi5pk = :p AND gsi5sk <= :upper",
            {":p": keys.plans_due(shard), ":upper": upper},
            index="gsi5",
            limit=PAGE,
            start_key=start,
        )
        if page.items:
            yield list(page.items)
        start = page.last_key
        if start is None:
            return


def run(now: datetime, time_left: TimeLeft, charge: Charge | None = None) -> RunSummary:
    """Look at every plan due at `now`, shard after shard, while time is left."""
    summary = RunSummary()
    workspaces: dict[str, Workspace | None] = {}
    for shard in range(keys.REMINDER_SHARDS):
        for entries in due_in_shard(shard, now):
            summary.due += len(entries)
            plans = [
                item
                for item in store.batch_get([{"pk": e["pk"], "sk": e["sk"]} for e in entries], consistent=True)
                if item is not None
            ]
            wanted = [keys.workspace(ws) for ws in {str(p["workspace_id"]) for p in plans} if ws not in workspaces]
            for key, found in zip(wanted, store.batch_get(wanted) if wanted else [], strict=True):
                workspaces[key["pk"].removeprefix("WS#")] = cast(Workspace | None, found)
            for plan in plans:
                if time_left() <= RESERVE:
                    summary.stopped_early = True
                    return summary
                look_safely(workspaces.get(str(plan["workspace_id"])), plan, now, summary, charge)
    return summary


def look_safely(
    workspace: Workspace | None, plan: dict[str, Any], now: datetime, summary: RunSummary, charge: Charge | None = None
) -> None:
    """`look`, with one plan's failure logged, counted and contained."""
    try:
        look(workspace, plan, now, summary, charge)
    except Exception as error:  # one plan's data, or one workspace's, must not stop every other tenant's plans
        frame = error.__traceback__
        while frame is not None and frame.tb_next is not None:
            frame = frame.tb_next
        where = f"{frame.tb_frame.f_code.co_filename.rsplit('/', 1)[-1]}:{frame.tb_lineno}" if frame else "?"
        logger.warning(
            "looking at a plan failed",
            extra={
                "workspace_id": plan.get("workspace_id"),
                "plan_id": plan.get("id"),
                "error_type": type(error).__name__,
                "at": where,
            },
        )
        summary.failed += 1
    else:
        summary.looked += 1


def look(
    workspace: Workspace | None, plan: dict[str, Any], now: datetime, summary: RunSummary, charge: Charge | None = None
) -> None:
    """Settle, charge, break, email, and set the next look of one plan (see the module's docstring)."""
    workspace_id, plan_id = str(plan["workspace_id"]), str(plan["id"])
    if workspace is None or is_closed(workspace):
        _leave_index(plan)  # a workspace being deleted: its erasure removes its plans
        return
    zone = workspace.get("time_zone") or "UTC"
    if plan["status"] == "active":
        settled = service.settle(workspace_id, plan_id, now=now)
        if settled is not None and settled["status"] != plan["status"]:
            summary.settled += 1
        plan = cast(dict[str, Any], settled or plan)
    if charge is not None and plan["status"] == "active" and (plan.get("collection") or {}).get("mode") == "automatic":
        progress, _ = notices.progress_of(workspace, plan, now=now)
        hour = schedule.sending_hour_of(workspace)
        if any(at <= now for at in schedule.charge_times(plan, progress, zone=zone, sending_hour=hour)):
            charge(workspace, plan, now)
            summary.charged += 1
            plan = cast(dict[str, Any], service.read(workspace_id, plan_id) or plan)
    if plan["status"] == "active":
        progress, _ = notices.progress_of(workspace, plan, now=now)
        breaks = schedule.plan_break_time(plan, progress, zone=zone)
        if breaks is not None and breaks <= now and not _charge_in_flight(plan, progress):
            try:
                plan = cast(dict[str, Any], service.break_plan(workspace_id, plan, now=now))  # type: ignore[arg-type]
                summary.broken += 1
            except Conflict:  # another scheduler, or a payment, changed it first: read what it is now
                plan = cast(dict[str, Any], service.read(workspace_id, plan_id) or plan)
    current = cast(dict[str, Any] | None, service.read(workspace_id, plan_id))
    if current is None:
        return
    progress, paid_since = notices.progress_of(workspace, current, now=now)
    sent = notices.send_notices(workspace, current, progress, paid_since, now=now)
    summary.notices += len(sent.sent)
    _set_next_look(workspace, current, progress, now, again_at=sent.again_at)


def _charge_in_flight(plan: dict[str, Any], progress: list[Any]) -> bool:
    """A charge of the first unpaid instalment whose money is on its way: taken, a SEPA debit processing, or
    succeeded and not booked yet (its webhook books it)."""
    first = schedule.first_unpaid(progress)
    if first is None:
        return False
    number = first["number"] if isinstance(first, dict) else first.number
    charge = (plan.get("charges") or {}).get(str(number)) or {}
    return charge.get("state") in ON_ITS_WAY


def next_look_of(workspace: Workspace, plan: dict[str, Any], progress: list[Any], now: datetime) -> datetime | None:
    zone = workspace.get("time_zone") or "UTC"
    found = schedule.next_look(plan, progress, now=now, zone=zone, sending_hour=schedule.sending_hour_of(workspace))
    if plan["status"] == "active" and _charge_in_flight(plan, progress):
        again = now + IN_FLIGHT_AGAIN
        found = again if found is None else min(max(found, now + timedelta(minutes=1)), again)
    return found


def _set_next_look(
    workspace: Workspace, plan: dict[str, Any], progress: list[Any], now: datetime, *, again_at: datetime | None
) -> None:
    """The plan's next look, version-checked: a plan changed meanwhile keeps the look its change set."""
    found = next_look_of(workspace, plan, progress, now)
    if again_at is not None:
        found = again_at if found is None else max(min(found, again_at), now + timedelta(minutes=1))
    elif found is not None and found <= now:
        found = now + timedelta(minutes=1)  # still due (a notice that could not go): the next run, not this one
    wanted = forecast.planned(plan, progress)
    booking, booked_values, counters = forecast.ops(plan, wanted, now=now)
    also = f", {booking}" if booking else ""
    key = keys.plan(str(plan["workspace_id"]), str(plan["id"]))
    if found is None:
        expression = f"SET next_look_at = :none, version = version + :one{also} REMOVE gsi5pk, gsi5sk"
        values: dict[str, Any] = {":none": None}
    else:
        at = iso(found)
        expression = f"SET next_look_at = :at, gsi5pk = :pk, gsi5sk = :sk, version = version + :one{also}"
        values = {
            ":at": at,
            ":pk": keys.plans_due(keys.reminder_shard(str(plan["debtor_id"]))),
            ":sk": f"{at}#{plan['workspace_id']}#{plan['id']}",
        }
    values |= {":one": 1, ":v": plan["version"], **booked_values}
    try:
        store.transact([store.update_op(key, expression, values, "version = :v", name="plan"), *counters])
    except Conflict:
        return  # changed meanwhile: its change set its next look (and its forecast is booked then)


def _leave_index(plan: dict[str, Any]) -> None:
    try:
        store.update(
            keys.plan(str(plan["workspace_id"]), str(plan["id"])),
            "REMOVE gsi5pk, gsi5sk",
            values={":v": plan["version"]},
            condition="version = :v",
        )
    except Conflict:
        return
