"""Sending a debt's next reminder now, by hand: the same claim and queue as the planner, the same rules."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from collectra.clock import iso
from collectra.reminders import queue
from collectra.reminders.eligibility import reason_not_to_remind
from collectra.reminders.models import RemindResult
from collectra.reminders.planner import claim
from collectra.reminders.policy import opening, policy_of, rate_allows


def remind_now(
    workspace: dict[str, Any], debt: dict[str, Any] | None, debtor: dict[str, Any] | None, *, now: datetime
) -> RemindResult:
    """Queue the debt's next step now, or say why the rules do not allow it (nothing changes then)."""
    if debt is None:
        return RemindResult(debt_id="", queued=False, reason="not_found")
    policy = policy_of(workspace, debt)
    zone = (debtor or {}).get("time_zone") or workspace.get("time_zone") or "UTC"
    reason = reason_not_to_remind(debt, debtor, now.astimezone(ZoneInfo(zone)).date())
    step = int(debt.get("reminder_step", -1)) + 1
    if reason is None and step >= policy.length:
        reason = "policy_finished"
    if reason is None and opening(policy, zone, now) > now:
        reason = "outside_window"
    if reason is None and rate_allows(policy, (debtor or {}).get("recent_reminders") or [], now) is not None:
        reason = "weekly_limit"
    if reason is None and not claim(workspace["id"], debt, step, now):
        reason = "already_claimed"
    if reason is not None:
        return RemindResult(debt_id=debt["id"], queued=False, reason=reason)
    queue.send(
        [
            {
                "workspace_id": workspace["id"],
                "debtor_id": debt["debtor_id"],
                "claims": [{"debt_id": debt["id"], "step": step}],
                "planned_at": iso(now),
            }
        ]
    )
    return RemindResult(debt_id=debt["id"], queued=True, step=step)
