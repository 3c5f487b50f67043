"""The planner: what is due now, still eligible and inside the debtor's window, claimed and queued.

A run is one `Slice` per shard of the "next reminder due" index (`collectra.reminders.shards`), each planned by
its own invocation. A slice reads its shard up to now (its reads grow with what is due), then the debtors and
workspaces of what it found (one BatchGetItem per 100), and decides per debt:
- not eligible (paid, disputed, paused, opted out, ...): it leaves the index;
- no step due yet, outside the window or over the weekly limit: its next look moves to when it can be;
- a workspace none of whose owners has verified their address sends nothing: its debts keep their step
  and are looked at again an hour later (`collectra.workspaces.sending_rights`);
- a workspace whose daily sending quota is used up: its debts are looked at again when the next day opens
  (the sender still counts each email against the quota: this only keeps one tenant's surplus off the queue);
- a step due: the step is claimed with a conditional write (a second planner, or a retry, finds the claim
  and skips it) and the debt's next look moves past the time its email needs to go out.
A debt's shard is its debtor's, so the claims of one debtor go out as one SQS message: several debts due
together make one email.

One tenant never stops another: messages are queued as the slice goes (every 10), not at its end, and a
debtor whose planning fails (a corrupt record, a bug one workspace's data triggers) is logged by ids and
error type only, counted (`failed`, the `PlannerDebtorFailed` metric and its alarm) and skipped. A slice stops
planning while its invocation still has `RESERVE` left, queues what it claimed, and hands the rest of its shard
on (`SliceSummary.onward`): nothing it claimed waits for a later run. A claim whose message never reached the
queue (the invocation died in between) is queued by a later run (see `claims`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from collectra import store
from collectra.clock import iso
from collectra.debtors.records import Debtor
from collectra.debts import records as debt_records
from collectra.debts.records import Debt
from collectra.errors import Conflict
from collectra.observability import logger
from collectra.promises import service as promises
from collectra.promises.rule import deadline
from collectra.reminders import claims, quota
from collectra.reminders.eligibility import reason_not_to_remind
from collectra.reminders.policy import day_opening, due_step, next_step_day, opening, policy_of, rate_allows
from collectra.reminders.records import reminder_run
from collectra.reminders.shards import Slice
from collectra.store import keys
from collectra.workspaces import sending_rights
from collectra.workspaces.lifecycle import is_closed
from collectra.workspaces.records import Workspace

PAGE = 500  # index items per Query
# Due debts one slice reads before planning them: bounded so its items fit in memory and its time, and large, so
# that a debtor's debts due together are rarely split across slices (two emails).
SLICE = 5_000
MAX_PER_RUN = 160_000  # due debts read per run, a 16th of it per shard: beyond this, the next run continues
RESERVE = timedelta(seconds=60)  # time a slice keeps to queue what it claimed and hand its shard on
QUEUED_TOGETHER = 10  # messages per SQS SendMessageBatch: the slice queues as it goes

TimeLeft = Callable[[], timedelta]


@dataclass
class RunSummary:
    due: int = 0
    claimed: int = 0
    messages: int = 0
    rescheduled: int = 0
    failed: int = 0  # debtors whose planning raised: skipped, and looked at again by the next run
    skipped: Counter[str] = field(default_factory=Counter)
    workspaces: set[str] = field(default_factory=set)
    onward: Slice | None = None  # the rest of the shard, for a next invocation

    def as_dict(self) -> dict[str, Any]:
        return {
            "due": self.due,
            "claimed": self.claimed,
            "messages": self.messages,
            "rescheduled": self.rescheduled,
            "failed": self.failed,
            "skipped": dict(self.skipped),
            "continued": self.onward is not None,
        }


def share_of_run() -> int:
    return MAX_PER_RUN // keys.REMINDER_SHARDS


def due_in_shard(shard: int, now: datetime, start: dict[str, Any] | None, limit: int) -> tuple[list[Debt], Any]:
    """Up to `limit` debts of the shard whose next look is due, oldest first, from `start`; and where to go on
    from (None: the shard's due debts are all read)."""
    found: list[Debt] = []
    upper = f"{iso(now)}#\uffff"
    while len(found) < limit:
        page = store.query(
            "gsi5pk = :p AND gsi5sk <= :upper",
            {":p": keys.reminders_due(shard), ":upper": upper},
            index="gsi5",
            limit=min(PAGE, limit - len(found)),
            start_key=start,
        )
        found += cast(list[Debt], page.items)
        start = page.last_key
        if start is None:
            break
    return found, start


def _batched(wanted: list[dict[str, str]]) -> dict[tuple[str, str], dict[str, Any]]:
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for start in range(0, len(wanted), 100):
        for item in store.batch_get(wanted[start : start + 100]):
            if item is not None:
                found[(item["pk"], item["sk"])] = item
    return found


def plan_slice(piece: Slice, send: claims.Send, time_left: TimeLeft) -> RunSummary:
    """Plan one slice of a shard at its `now`; `send` puts a batch of messages (at most 10) on the queue.

    Stops planning once `time_left()` falls to `RESERVE` (after one debtor at least, so every slice gets on);
    `onward` is then the slice that plans the rest. What this one planned has left the range it reads (claimed,
    moved on, or out of the index), so the rest is read again from where this slice began.
    """
    summary = RunSummary()
    now = piece.now
    room = share_of_run() - piece.read
    due, last_key = due_in_shard(piece.shard, now, piece.start, min(SLICE, room)) if room > 0 else ([], None)
    summary.due = len(due)
    by_debtor: dict[tuple[str, str], list[Debt]] = {}
    for debt in due:
        by_debtor.setdefault((debt["workspace_id"], debt["debtor_id"]), []).append(debt)
    wanted = {tuple(keys.workspace(ws).values()): keys.workspace(ws) for ws, _ in by_debtor}
    wanted |= {tuple(keys.debtor(ws, d).values()): keys.debtor(ws, d) for ws, d in by_debtor}
    found = _batched(list(wanted.values()))
    messages: list[dict[str, Any]] = []
    vouched: dict[str, bool] = {}  # workspace id -> it has a verified owner (read once per slice)
    sendable: dict[str, int] = {}  # workspace id -> emails its daily quota still allows (read once per slice)
    for planned, ((workspace_id, debtor_id), debts) in enumerate(by_debtor.items()):
        if planned and time_left() <= RESERVE:
            summary.onward = piece.onward(piece.start, sum(len(d) for d in list(by_debtor.values())[:planned]))
            break
        workspace = cast(Workspace | None, found.get(tuple(keys.workspace(workspace_id).values())))  # type: ignore[arg-type]
        debtor = cast(Debtor | None, found.get(tuple(keys.debtor(workspace_id, debtor_id).values())))  # type: ignore[arg-type]
        if workspace is None or is_closed(workspace):
            continue  # a workspace being deleted gets no reminder; its erasure takes its debts out of the index
        summary.workspaces.add(workspace_id)
        if workspace_id not in vouched:
            vouched[workspace_id] = sending_rights.has_verified_owner(workspace, now=now)
        if not vouched[workspace_id]:
            _wait_for_verified_owner(workspace_id, debts, now, summary)
            continue
        if workspace_id not in sendable:
            sendable[workspace_id] = quota.left_today(workspace, now)
        try:
            taken = _plan_debtor(workspace, debtor, debts, now, summary, quota_left=sendable[workspace_id])
        except Exception as error:  # one debtor's data must not stop every other tenant's reminders
            _planning_failed(workspace_id, debtor_id, error, summary)
            continue
        if taken:
            sendable[workspace_id] -= 1  # one email per debtor's message
            messages.append(claims.message(workspace_id, debtor_id, taken, now))
        if len(messages) >= QUEUED_TOGETHER:
            summary.messages += _queue(messages, send)
    else:
        if last_key is not None and piece.read + len(due) < share_of_run():
            summary.onward = piece.onward(last_key, len(due))
    summary.messages += _queue(messages, send)
    _record_runs(summary, now)
    return summary


def _wait_for_verified_owner(workspace_id: str, debts: list[Debt], now: datetime, summary: RunSummary) -> None:
    """Nobody has vouched for this workspace's sending yet: its debts keep their steps and are looked at again
    later (not every run: an unverified workspace must not cost every run its reads)."""
    summary.skipped[sending_rights.OWNER_NOT_VERIFIED] += len(debts)
    for debt in debts:
        _look_again(workspace_id, debt, now + sending_rights.LOOK_AGAIN, summary)


def _queue(messages: list[dict[str, Any]], send: claims.Send) -> int:
    """Queue what is planned so far; the list is emptied, so a later failure loses nothing already planned."""
    count = len(messages)
    claims.queue(messages, send)
    messages.clear()
    return count


def _planning_failed(workspace_id: str, debtor_id: str, error: Exception, summary: RunSummary) -> None:
    """Ids and where it broke, never the message: an exception's text can quote a debtor's data."""
    frame = error.__traceback__
    while frame is not None and frame.tb_next is not None:
        frame = frame.tb_next
    where = f"{frame.tb_frame.f_code.co_filename.rsplit('/', 1)[-1]}:{frame.tb_lineno}" if frame else "?"
    logger.warning(
        "planning a debtor failed",
        extra={"workspace_id": workspace_id, "debtor_id": debtor_id, "error_type": type(error).__name__, "at": where},
    )
    summary.failed += 1


def _plan_debtor(
    workspace: Workspace,
    debtor: Debtor | None,
    debts: list[Debt],
    now: datetime,
    summary: RunSummary,
    *,
    quota_left: int,
) -> list[dict[str, Any]]:
    policy = policy_of(workspace)
    zone = (debtor.get("time_zone") if debtor else None) or workspace.get("time_zone") or "UTC"
    debts = [current for debt in debts if (current := _promise_decided(workspace["id"], debt, now, summary))]
    ready = [(debt, step) for debt in debts if (step := _step_due(workspace, debtor, debt, now, summary)) is not None]
    if not ready:
        return []
    window = opening(policy, zone, now)
    if window > now:  # outside the debtor's hours or sending days: wait for the next opening
        summary.skipped["outside_window"] += len(ready)
        for debt, _ in ready:
            _look_again(workspace["id"], debt, window, summary)
        return []
    limit_until = rate_allows(policy, (debtor.get("recent_reminders") if debtor else None) or [], now)
    if limit_until is not None:
        summary.skipped["weekly_limit"] += len(ready)
        later = opening(policy, zone, limit_until)
        for debt, _ in ready:
            _look_again(workspace["id"], debt, later, summary)
        return []
    if quota_left <= 0:  # the sender would give them back anyway: they wait for the next day's quota
        summary.skipped["daily_quota"] += len(ready)
        tomorrow = opening(policy, zone, quota.next_day(now))
        for debt, _ in ready:
            _look_again(workspace["id"], debt, tomorrow, summary)
        return []
    taken = []
    for debt, step in ready:
        if claims.claim(workspace["id"], debt, step, now):
            taken.append({"debt_id": debt["id"], "step": step})
            summary.claimed += 1
        else:
            summary.skipped["already_claimed"] += 1
    return taken


def _promise_decided(workspace_id: str, debt: Debt, now: datetime, summary: RunSummary) -> Debt | None:
    """The debt once its promise is decided, if its grace day is over (broken: its "you promised" step is due now);
    None while the promise is open (its next look is the promise's deadline) or when the debt is gone."""
    if not debt.get("promise"):
        return debt
    current = promises.decide(workspace_id, debt, now)
    if current is None:
        return None
    promise = current.get("promise")
    if promise:
        summary.skipped["promised"] += 1
        _look_again(workspace_id, current, deadline(promise), summary)
        return None
    return current


def _step_due(
    workspace: Workspace, debtor: Debtor | None, debt: Debt, now: datetime, summary: RunSummary
) -> int | None:
    """The step due for this debt now; None after leaving the index or moving its next look."""
    policy = policy_of(workspace, debt)
    zone = (debtor.get("time_zone") if debtor else None) or workspace.get("time_zone") or "UTC"
    today = now.astimezone(ZoneInfo(zone)).date()
    reason = reason_not_to_remind(debt, debtor, today)
    if reason:
        summary.skipped[reason] += 1
        _leave_index(workspace["id"], debt)
        return None
    broken = debt.get("broken_promise")
    if broken:
        return int(broken["step"])
    last = int(debt.get("reminder_step", -1))
    step = due_step(policy, _due_on(debt), last, today)
    if step is None:
        day = next_step_day(policy, _due_on(debt), last)
        if day is None:
            summary.skipped["policy_finished"] += 1
            _leave_index(workspace["id"], debt)
        else:
            _look_again(workspace["id"], debt, day_opening(policy, zone, day), summary)
    return step


def _due_on(debt: Debt) -> date:
    return date.fromisoformat(debt["due_on"])


def _look_again(workspace_id: str, debt: Debt, at: datetime, summary: RunSummary) -> None:
    """Move the debt's next look to `at`, unless the debt changed meanwhile (its new state decides then)."""
    values = debt_records.next_look_values(workspace_id, debt, iso(at))
    if values is None:
        return
    try:
        store.update(
            keys.debt(workspace_id, debt["id"]),
            debt_records.NEXT_LOOK,
            values={**values, ":v": debt["version"]},
            condition="version = :v",
        )
    except Conflict:
        return
    summary.rescheduled += 1


def _leave_index(workspace_id: str, debt: Debt) -> None:
    with suppress(Conflict):  # it changed meanwhile; its new state put it where it belongs
        store.update(
            keys.debt(workspace_id, debt["id"]),
            "REMOVE gsi5pk, gsi5sk",
            values={":v": debt["version"]},
            condition="version = :v",
        )


def _record_runs(summary: RunSummary, now: datetime) -> None:
    """Each workspace seen remembers when reminders last ran for it (GET /workspace/reminders/status)."""
    for workspace_id in summary.workspaces:
        store.put(reminder_run(keys.reminder_run(workspace_id), iso(now)))


def record_run(now: datetime, shards: int) -> None:
    """The engine remembers when a run last started (GET /workspace/reminders/status)."""
    store.put(reminder_run(keys.reminder_engine(), iso(now), {"shards": shards}))
