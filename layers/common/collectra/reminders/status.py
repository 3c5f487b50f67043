"""What a business can see of the reminder engine: when it last ran, and what it will look at next."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from collectra import store
from collectra.debts.states import Status
from collectra.reminders import quota
from collectra.reminders.models import FailedReminder, QueuedReminder, RemindersStatus, SendingToday
from collectra.store import keys
from collectra.workspaces import sending_rights
from collectra.workspaces.records import Workspace

SHOWN = 10
LOOKED_AT = 200  # collectible debts read per status, soonest due first


def extra_keys(workspace_id: str) -> list[dict[str, str]]:
    """What `status_of` reads besides the workspace, in the caller's own read: this workspace's last run and the
    engine's."""
    return [keys.reminder_run(workspace_id), keys.reminder_engine()]


def status_of(
    workspace: Workspace, run: dict[str, Any] | None, engine: dict[str, Any] | None, *, now: datetime
) -> RemindersStatus:
    workspace_id = str(workspace["id"])
    candidates: list[dict[str, Any]] = []
    for status in (Status.OPEN, Status.PARTIALLY_PAID):
        candidates += store.query(
            "gsi2pk = :p", {":p": keys.debts_by_status(workspace_id, status.value)}, index="gsi2", limit=LOOKED_AT
        ).items
    candidates = store.whole(candidates, index="gsi2")  # the index does not project the reminder step
    failed = sorted(
        (debt for debt in candidates if debt.get("reminder_failure")),
        key=lambda debt: debt["reminder_failure"]["failed_at"],
        reverse=True,
    )
    scheduled = sorted((debt for debt in candidates if debt.get("gsi5pk")), key=lambda debt: debt["next_reminder_at"])
    day = quota.peek(workspace, now)
    return RemindersStatus(
        waiting_reason=waiting_reason(workspace, day, now=now),
        sending_today=SendingToday(day=day.day, quota=day.quota, sent=day.sent) if day else None,
        engine_last_run_at=(engine or {}).get("ran_at"),
        workspace_last_run_at=(run or {}).get("ran_at"),
        next=[
            QueuedReminder(
                debt_id=debt["id"],
                invoice_number=debt["invoice_number"],
                debtor_id=debt["debtor_id"],
                next_reminder_at=debt["next_reminder_at"],
                next_step=int(debt.get("reminder_step", -1)) + 1,
            )
            for debt in scheduled[:SHOWN]
        ],
        failed=[
            FailedReminder(
                debt_id=debt["id"],
                invoice_number=debt["invoice_number"],
                debtor_id=debt["debtor_id"],
                step=int(debt["reminder_failure"]["step"]),
                reason=debt["reminder_failure"]["reason"],
                failed_at=debt["reminder_failure"]["failed_at"],
            )
            for debt in failed[:SHOWN]
        ],
    )


def waiting_reason(
    workspace: Workspace, day: quota.Day | None, *, now: datetime
) -> Literal["owner_not_verified", "daily_quota"] | None:
    """Why reminders due now would wait rather than go: the planner's and the sender's own rules, read now (and
    only read: this answers GETs)."""
    if not sending_rights.has_verified_owner(workspace, now=now, remember=False):
        return "owner_not_verified"
    if day is not None and day.used_up:
        return "daily_quota"
    return None
