"""Sending debts' next reminders now, by hand: the same claims, rules and digest as the planner.

The steps claimed for one debtor go out as one message, as the planner queues them, so the sender makes
one email of them: reminding several debts of one debtor at once sends that debtor one digest.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast
from zoneinfo import ZoneInfo

from collectra import store
from collectra.debtors.records import Debtor
from collectra.debts.records import Debt
from collectra.debts.service import debtors_of
from collectra.reminders import claims, queue
from collectra.reminders.eligibility import reason_not_to_remind
from collectra.reminders.models import RemindResult
from collectra.reminders.policy import opening, policy_of, rate_allows
from collectra.store import keys
from collectra.workspaces.records import Workspace


def remind_now(workspace: Workspace, debt: Debt, *, now: datetime) -> RemindResult:
    """Queue the debt's next step now, or say why the rules do not allow it (nothing changes then).

    One GetItem (the debtor), then the claim.
    """
    debtor = cast(Debtor | None, store.get(keys.debtor(workspace["id"], debt["debtor_id"])))
    [result] = _remind(workspace, [(debt["id"], debt)], {debt["debtor_id"]: debtor} if debtor else {}, now=now)
    return result


def remind_debts(workspace: Workspace, debt_ids: list[str], *, now: datetime) -> list[RemindResult]:
    """Each debt queued or refused with its reason, in the order asked (a repeated id once); one message (one
    email) per debtor. Two BatchGetItems (the debts, then their debtors), then the claims."""
    wanted = list(dict.fromkeys(debt_ids))
    debts = cast(list[Debt | None], store.batch_get([keys.debt(workspace["id"], debt_id) for debt_id in wanted]))
    debtors = cast(dict[str, Debtor], debtors_of(workspace["id"], [debt for debt in debts if debt]))
    return _remind(workspace, list(zip(wanted, debts, strict=True)), debtors, now=now)


def _remind(
    workspace: Workspace,
    debts: list[tuple[str, Debt | None]],
    debtors: dict[str, Debtor],
    *,
    now: datetime,
) -> list[RemindResult]:
    results = []
    by_debtor: dict[str, list[dict[str, Any]]] = {}
    for debt_id, debt in debts:
        if debt is None:
            results.append(RemindResult(debt_id=debt_id, queued=False, reason="not_found"))
            continue
        result = _claim_next(workspace, debt, debtors.get(debt["debtor_id"]), now)
        if result.queued:
            by_debtor.setdefault(debt["debtor_id"], []).append({"debt_id": debt["id"], "step": result.step})
        results.append(result)
    messages = [claims.message(workspace["id"], debtor_id, taken, now) for debtor_id, taken in by_debtor.items()]
    claims.queue(messages, queue.send)
    return results


def _claim_next(workspace: Workspace, debt: Debt, debtor: Debtor | None, now: datetime) -> RemindResult:
    policy = policy_of(workspace, debt)
    zone = (debtor.get("time_zone") if debtor else None) or workspace.get("time_zone") or "UTC"
    reason = reason_not_to_remind(debt, debtor, now.astimezone(ZoneInfo(zone)).date())
    step = int(debt.get("reminder_step", -1)) + 1
    if reason is None and step >= policy.length:
        reason = "policy_finished"
    if reason is None and opening(policy, zone, now) > now:
        reason = "outside_window"
    if (
        reason is None
        and rate_allows(policy, (debtor.get("recent_reminders") if debtor else None) or [], now) is not None
    ):
        reason = "weekly_limit"
    if reason is None and not claims.claim(workspace["id"], debt, step, now):
        reason = "already_claimed"
    if reason is not None:
        return RemindResult(debt_id=debt["id"], queued=False, reason=reason)
    return RemindResult(debt_id=debt["id"], queued=True, step=step)
