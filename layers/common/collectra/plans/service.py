"""Making, deciding and ending payment plans; each change is one transaction with version checks.

The plan, its debts and the debtor's `open_plan` move together: a plan is created with the debtor's `open_plan`
set on the condition that it was not (one open plan per debtor: two tabs, a double click or a proposal racing an
offer, one wins and the other gets 409 `plan_exists`), and the plan is written on the version read, so of two
decisions (two approvals, an approval racing a decline) one wins and the other finds the plan decided (409
`invalid_transition`). Starting a plan writes each debt on its version: it carries `plan`, its promise is
withdrawn and its interest paused; ending it (completed, broken, cancelled) takes them back. A change meanwhile
on a debt (a payment) is read again and the change made on what is there now.

Progress is never stored: `paid_since` is what the plan's debts received since it was made (`paid_before`, the
sum of their `amount_paid` then), so a payment booked by any door counts once, and a refund counts against it.
A payment made while a proposal or an offer awaits its answer counts toward the first instalment.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Any, cast

from collectra import store
from collectra.clock import iso
from collectra.debts import service as debts
from collectra.debts.records import Actor, Debt
from collectra.debts.states import Status as DebtStatus
from collectra.debts.timeline import SYSTEM, actor_debtor, entry_op
from collectra.errors import Conflict, Contention, InvalidInput, NotFound
from collectra.ids import new_id
from collectra.inbox import items as inbox
from collectra.interest.charges import PLAN_PAUSE
from collectra.observability import logger, metrics
from collectra.plans import rules
from collectra.plans.records import ENDED, Instalment, Plan, Status, with_indexes
from collectra.store import contention, keys
from collectra.workspaces.payment_plans import PaymentPlans
from collectra.workspaces.records import Workspace

ATTEMPTS = (
    4  # re-reads after a debt or the plan changed meanwhile, before answering 409 (or leaving it to the next run)
)
PLAN, DEBTOR = "plan", "debtor"  # the names of the operations whose failed condition is told apart
_STALE = "This payment plan changed since you read it. Reload and try again."
_COLLECTIBLE = (DebtStatus.OPEN, DebtStatus.PARTIALLY_PAID)

# A schedule as callers give it: per instalment a date (or its ISO text), a (date, amount or None), or a mapping
# {"due_on", "amount"?}; amounts all given or none (the total then split equally, the last taking the rounding).
ScheduleInput = Sequence[date | str | tuple[date, int | None] | Mapping[str, Any]]


# ---------------------------------------------------------------- reading


def read(workspace_id: str, plan_id: str) -> Plan | None:
    """The plan as stored (a consistent read), or None."""
    [item] = store.batch_get([keys.plan(workspace_id, plan_id)], consistent=True)
    return cast(Plan | None, item)


def debts_of(plan: Plan) -> list[Debt]:
    """The plan's debts as they stand (one consistent BatchGetItem), in the plan's order; a debt gone is left out."""
    found = store.batch_get([keys.debt(plan["workspace_id"], debt_id) for debt_id in plan["debt_ids"]], consistent=True)
    return [cast(Debt, debt) for debt in found if debt is not None]


def read_debts(workspace_id: str, debt_ids: Sequence[str]) -> list[Debt]:
    """The debts named, as they stand (one consistent BatchGetItem); 404 when one is not there."""
    found = store.batch_get([keys.debt(workspace_id, debt_id) for debt_id in debt_ids], consistent=True)
    if any(debt is None for debt in found):
        raise NotFound("There is no such debt.", code="debt_not_found")
    return [cast(Debt, debt) for debt in found]


def debts_of_plans(plans: Sequence[Plan]) -> list[Debt]:
    """The debts of all of `plans` (one BatchGetItem per hundred), for a list of them."""
    wanted = [keys.debt(plan["workspace_id"], debt_id) for plan in plans for debt_id in plan["debt_ids"]]
    return [cast(Debt, debt) for debt in store.batch_get(wanted) if debt is not None]


def plans_of_debtor(workspace_id: str, debtor_id: str) -> list[Plan]:
    """Every plan of a debtor, newest first: one Query of their list (gsi3), then the plans by BatchGetItem."""
    listed = store.query_all("gsi3pk = :p", {":p": keys.plans_of_debtor(workspace_id, debtor_id)}, index="gsi3")
    return cast(list[Plan], list(reversed(store.whole(listed, index="gsi3"))))


def paid_since(plan: Plan, debts: Sequence[Mapping[str, Any]]) -> int:
    """What the plan's debts received since it was made (a refund counts against it): `rules.paid_since`."""
    return rules.paid_since(plan, debts)


def all_paid(plan: Plan, debts: Sequence[Mapping[str, Any]]) -> bool:
    """Every debt of the plan is out of collection (paid): `rules.all_paid`."""
    return rules.all_paid(plan, debts)


# ---------------------------------------------------------------- making a plan


def propose(
    workspace: Workspace,
    debtor: Mapping[str, Any],
    debts_: Sequence[Debt],
    instalments: ScheduleInput,
    *,
    now: datetime,
) -> Plan:
    """The debtor proposes a plan from their page, within the workspace's rules (422 `plan_schedule_refused`
    naming the field; 409 `plans_not_enabled` when the workspace does not take proposals). With auto-approve it
    starts at once (active); otherwise it is `proposed` and waits in the inbox (`plan_proposed`)."""
    settings = PaymentPlans.of(workspace)
    if not settings.enabled:
        raise Conflict("This business does not take payment plans from its page.", code="plans_not_enabled")
    today = debts.today_in(workspace, now)
    total = _check_debts(workspace["id"], debtor, debts_)
    schedule = _schedule(instalments, total)
    try:
        rules.check_within_rules(schedule, total=total, today=today, settings=settings)
    except rules.ScheduleRefused as refused:
        raise _refused(refused) from None
    actor = actor_debtor(str(debtor["id"]))
    status = Status.ACTIVE if settings.auto_approve else Status.PROPOSED
    plan = _new_plan(
        workspace, debtor, debts_, schedule, status=status, by="debtor", actor=actor, settings=settings, now=now
    )
    operations = _creation_ops(workspace, plan, debts_, actor=actor, now=now, today=today)
    if status == Status.PROPOSED:
        operations.append(
            inbox.open_op(
                workspace["id"],
                kind="plan_proposed",
                source=plan["id"],
                debtor_id=plan["debtor_id"],
                now=now,
                detail=_detail(plan),
            )
        )
    _create(operations)
    metrics.add_metric(name="PlansProposed", unit="Count", value=1)
    if status == Status.ACTIVE:
        metrics.add_metric(name="PlansStarted", unit="Count", value=1)
    logger.info(
        "payment plan proposed", extra={"workspace_id": workspace["id"], "plan_id": plan["id"], "status": status}
    )
    return plan


def offer(
    workspace: Workspace,
    debtor: Mapping[str, Any],
    debts_: Sequence[Debt],
    instalments: ScheduleInput,
    *,
    actor: Actor,
    now: datetime,
    note: str | None = None,
) -> Plan:
    """The business offers a plan (the generic rules only: 422 `plan_schedule_refused` naming the field); the
    debtor accepts it on their page (`accept`)."""
    today = debts.today_in(workspace, now)
    total = _check_debts(workspace["id"], debtor, debts_)
    schedule = _schedule(instalments, total)
    try:
        rules.check_schedule(schedule, total=total, today=today)
    except rules.ScheduleRefused as refused:
        raise _refused(refused) from None
    settings = PaymentPlans.of(workspace)
    plan = _new_plan(
        workspace,
        debtor,
        debts_,
        schedule,
        status=Status.OFFERED,
        by="business",
        actor=actor,
        settings=settings,
        now=now,
    )
    if note:
        plan["note"] = note
    _create(_creation_ops(workspace, plan, debts_, actor=actor, now=now, today=today))
    logger.info("payment plan offered", extra={"workspace_id": workspace["id"], "plan_id": plan["id"]})
    return plan


def _refused(refused: rules.ScheduleRefused) -> InvalidInput:
    return InvalidInput(
        refused.message,
        code="plan_schedule_refused",
        details=[{"field": refused.field, "message": refused.message, "type": "plan_schedule_refused"}],
    )


def _check_debts(workspace_id: str, debtor: Mapping[str, Any], debts_: Sequence[Debt]) -> int:
    """The debts' principal outstanding, once they can go into one plan of `debtor`: 1 to 15 of theirs, one
    currency, each collectible (open or partially paid, no payment on its way) and in no plan (409 otherwise)."""
    if debtor.get("erased"):
        raise NotFound("There is no such debtor.", code="debtor_not_found")
    if not 1 <= len(debts_) <= rules.MAX_PLAN_DEBTS:
        raise InvalidInput(
            f"A plan covers 1 to {rules.MAX_PLAN_DEBTS} debts.",
            code="plan_schedule_refused",
            details=[{"field": "body.debt_ids", "type": "plan_schedule_refused"}],
        )
    if len({debt["id"] for debt in debts_}) != len(debts_):
        raise InvalidInput("A debt is named twice.", code="plan_schedule_refused", details=[{"field": "body.debt_ids"}])
    for debt in debts_:
        if debt["workspace_id"] != workspace_id or debt["debtor_id"] != debtor["id"]:
            raise NotFound("There is no such debt.", code="debt_not_found")
    if len({debt["currency"] for debt in debts_}) != 1:
        raise InvalidInput(
            "A plan's debts are all in one currency.",
            code="plan_schedule_refused",
            details=[{"field": "body.debt_ids", "type": "plan_schedule_refused"}],
        )
    for debt in debts_:
        if debt.get("plan"):
            raise Conflict(
                "This debt is already in a payment plan.", code="debt_in_plan", details={"debt_id": debt["id"]}
            )
        if (
            debt["status"] not in _COLLECTIBLE
            or debt.get("payment_processing")
            or rules.principal_outstanding(debt) <= 0
        ):
            raise Conflict(
                "Only debts being collected, with nothing on its way, go into a payment plan.",
                code="debt_not_collectible",
                details={"debt_id": debt["id"], "status": debt["status"]},
            )
    return sum(rules.principal_outstanding(debt) for debt in debts_)


def _schedule(instalments: ScheduleInput, total: int) -> list[tuple[date, int]]:
    """Dates and amounts: the amounts given (all of them), or `total` split equally (none given)."""
    dates: list[date] = []
    amounts: list[int | None] = []
    for entry in instalments:
        if isinstance(entry, date | str):
            dates.append(entry if isinstance(entry, date) else date.fromisoformat(entry))
            amounts.append(None)
        elif isinstance(entry, Mapping):
            due_on = entry["due_on"]
            dates.append(due_on if isinstance(due_on, date) else date.fromisoformat(str(due_on)))
            amounts.append(None if entry.get("amount") is None else int(entry["amount"]))
        else:
            dates.append(entry[0])
            amounts.append(entry[1])
    given = [amount for amount in amounts if amount is not None]
    if given and len(given) != len(amounts):
        raise InvalidInput(
            "Give every instalment's amount, or none (the total is then split equally).",
            code="plan_schedule_refused",
            details=[{"field": "body.instalments", "type": "plan_schedule_refused"}],
        )
    if given:
        return list(zip(dates, given, strict=True))
    if not rules.MIN_INSTALMENTS <= len(dates) <= rules.MAX_INSTALMENTS or total < len(dates):
        rules_message = f"A plan has {rules.MIN_INSTALMENTS} to {rules.MAX_INSTALMENTS} instalments, each more than 0."
        raise _refused(rules.ScheduleRefused(rules_message, "body.instalments"))
    return list(zip(dates, rules.split(total, len(dates)), strict=True))


def _new_plan(
    workspace: Workspace,
    debtor: Mapping[str, Any],
    debts_: Sequence[Debt],
    schedule: list[tuple[date, int]],
    *,
    status: str,
    by: str,
    actor: Actor,
    settings: PaymentPlans,
    now: datetime,
) -> Plan:
    plan_id = new_id("plan")
    key = keys.plan(workspace["id"], plan_id)
    at = iso(now)
    ordered = rules.in_plan_order(debts_)
    instalments: list[Instalment] = [
        {"number": number, "due_on": on.isoformat(), "amount": amount}
        for number, (on, amount) in enumerate(schedule, start=1)
    ]
    plan: Plan = {
        "pk": key["pk"],
        "sk": key["sk"],
        "id": plan_id,
        "workspace_id": workspace["id"],
        "debtor_id": str(debtor["id"]),
        "currency": str(debts_[0]["currency"]),
        "debt_ids": [str(debt["id"]) for debt in ordered],
        "total": sum(amount for _, amount in schedule),
        "instalments": instalments,
        "status": status,
        "proposed_by": by,
        "created_by": actor,
        "created_at": at,
        "updated_at": at,
        "version": 1,
        "grace_days": settings.grace_days,
        "collection": {"mode": "manual"},
        "paid_before": sum(int(debt["amount_paid"]) for debt in debts_),
        "next_look_at": at,
    }
    if status == Status.ACTIVE:
        plan |= {"started_at": at, "decided_at": at, "decided_by": SYSTEM}
    return with_indexes(plan)


def _creation_ops(
    workspace: Workspace, plan: Plan, debts_: Sequence[Debt], *, actor: Actor, now: datetime, today: date
) -> list[store.Operation]:
    """The plan (new), the debtor's `open_plan` (on the condition it has none), and the debts: started at once
    (an auto-approved proposal), or checked unchanged since read, with an entry on each timeline."""
    operations = [
        store.put_op(plan, "attribute_not_exists(pk)", name=PLAN),
        store.update_op(
            keys.debtor(workspace["id"], plan["debtor_id"]),
            "SET open_plan = :plan",
            {":plan": plan["id"], ":yes": True},
            condition="attribute_exists(pk) AND attribute_not_exists(open_plan) "
            "AND (attribute_not_exists(erased) OR erased <> :yes)",
            name=DEBTOR,
        ),
    ]
    if plan["status"] == Status.ACTIVE:
        return operations + _start_debt_ops(workspace["id"], plan, debts_, actor=actor, now=now, today=today)
    kind = "plan_proposed" if plan["status"] == Status.PROPOSED else "plan_offered"
    for debt in debts_:
        operations.append(_unchanged(workspace["id"], debt))
        operations.append(_entry(workspace["id"], debt["id"], kind, actor, now, plan))
    return operations


def _unchanged(workspace_id: str, debt: Debt) -> store.Operation:
    """The transaction holds only while the debt is as read (the plan's total was worked out from it)."""
    body = {
        "Key": keys.debt(workspace_id, debt["id"]),
        "ConditionExpression": "version = :seen",
        "ExpressionAttributeValues": {":seen": debt["version"]},
    }
    return store.Operation("ConditionCheck", body, debts.DEBT)


def _create(operations: list[store.Operation]) -> None:
    try:
        store.transact(operations)
    except store.ConditionsFailed as failed:
        if DEBTOR in failed.failed:
            raise Conflict(
                "This debtor already has a payment plan proposed, offered or under way.", code="plan_exists"
            ) from failed
        raise Conflict(
            "A debt changed since you read it (a payment, an edit). Reload and try again.", code="version_conflict"
        ) from failed


def _detail(plan: Plan) -> dict[str, Any]:
    return {
        "plan_id": plan["id"],
        "total": plan["total"],
        "currency": plan["currency"],
        "instalments": len(plan["instalments"]),
    }


def _entry(  # noqa: PLR0917  (one timeline entry's facts, each named at every call)
    workspace_id: str,
    debt_id: str,
    kind: str,
    actor: Actor,
    now: datetime,
    plan: Plan,
    more: dict[str, Any] | None = None,
) -> store.Operation:
    return entry_op(workspace_id, debt_id, kind, actor=actor, now=now, data={**_detail(plan), **(more or {})})


# ---------------------------------------------------------------- starting and ending


def _start_debt_ops(
    workspace_id: str, plan: Plan, debts_: Sequence[Debt], *, actor: Actor, now: datetime, today: date
) -> list[store.Operation]:
    """Each debt into the plan, on its version: `plan` set, its promise withdrawn, its interest paused from today.
    A debt paid meanwhile stays as it is (its money counts); one no longer collectible otherwise is a 409."""
    operations: list[store.Operation] = []
    for debt in debts_:
        if debt["status"] == DebtStatus.PAID:
            continue
        if debt["status"] not in _COLLECTIBLE:
            raise Conflict(
                "A debt of this plan is no longer being collected (disputed, cancelled or written off).",
                code="debt_not_collectible",
                details={"debt_id": debt["id"], "status": debt["status"]},
            )
        if debt.get("plan") and debt not in held_by(plan, [debt]):
            raise Conflict("A debt of this plan is in another payment plan.", code="debt_in_plan")
        updated = cast(
            Debt,
            {
                **debt,
                "plan": {"id": plan["id"], "started_at": iso(now)},
                "interest_pauses": debts.pauses_after(
                    debt.get("interest_pauses", []), today, opens=True, why=PLAN_PAUSE
                ),
                "updated_at": iso(now),
                "version": debt["version"] + 1,
            },
        )
        if debt.get("promise"):
            updated["promise"] = None
            promise = debt["promise"]
            operations.append(
                entry_op(
                    workspace_id,
                    debt["id"],
                    "promise_withdrawn",
                    actor=SYSTEM,
                    now=now,
                    data={
                        "amount": promise["amount"],  # type: ignore[index]
                        "currency": debt["currency"],
                        "on": promise["on"],  # type: ignore[index]
                        "plan_id": plan["id"],
                    },
                )
            )
        operations += debts.saved_ops(workspace_id, debt, updated, now=now)
        operations.append(_entry(workspace_id, debt["id"], "plan_started", actor, now, plan))
    return operations


def _end_debt_ops(
    workspace_id: str,
    plan: Plan,
    debts_: Sequence[Debt],
    kind: str,
    *,
    actor: Actor,
    now: datetime,
    today: date,
    broken: bool,
) -> list[store.Operation]:
    """Each debt out of the plan, on its version: `plan` gone, its interest's pause closed today, reminders looking
    at it at once; a broken plan's debts due after today become due today ("what remains is due at once")."""
    operations: list[store.Operation] = []
    for debt in debts_:
        held = debt.get("plan")
        if not held or held["id"] != plan["id"]:
            continue
        updated = cast(
            Debt,
            {
                **debt,
                "plan": None,
                "interest_pauses": debts.pauses_after(
                    debt.get("interest_pauses", []), today, opens=False, why=PLAN_PAUSE
                ),
                "updated_at": iso(now),
                "version": debt["version"] + 1,
            },
        )
        more: dict[str, Any] = {}
        if debt["status"] in _COLLECTIBLE:
            updated["next_reminder_at"] = iso(now)
        if broken and debt["status"] in _COLLECTIBLE and date.fromisoformat(debt["due_on"]) > today:
            updated["due_on"] = today.isoformat()
            more["due_on"] = {"from": debt["due_on"], "to": today.isoformat()}
        operations += debts.saved_ops(workspace_id, debt, updated, now=now)
        operations.append(_entry(workspace_id, debt["id"], kind, actor, now, plan, more))
    return operations


def held_by(plan: Plan, debts_: Sequence[Debt]) -> list[Debt]:
    """The debts the plan holds now (those carrying it)."""
    return [debt for debt in debts_ if (held := debt.get("plan")) and held["id"] == plan["id"]]


Decision = Callable[[Plan, list[Debt]], tuple[Plan, list[store.Operation]] | None]


def _decide(workspace_id: str, plan_id: str, decide: Decision, *, first: Plan | None = None) -> tuple[Plan, bool]:
    """Read the plan and its debts, let `decide` say what to write (None: nothing), write it on the versions read;
    when something changed meanwhile, read again and decide again. Returns the plan as it now is, and whether this
    call changed it."""
    current = first
    for _ in range(ATTEMPTS):
        if current is None:
            current = read(workspace_id, plan_id)
            if current is None:
                raise NotFound("There is no such payment plan.", code="plan_not_found")
        found = debts_of(current)
        decided = decide(current, found)
        if decided is None:
            return current, False
        updated, operations = decided
        updated = with_indexes(updated)
        plan_write = store.put_op(updated, "version = :seen", {":seen": current["version"]}, name=PLAN)
        try:
            store.transact([plan_write, *operations])
        except (store.ConditionsFailed, Contention):
            current = None  # a payment, an edit or another decision meanwhile: decide on what is there now
            continue
        return updated, True
    raise Contention(
        "This payment plan and its debts were changing at that moment. Please try again.",
        retry_after=contention.RETRY_AFTER_S,
    )


def _changed(plan: Plan, status: str, now: datetime, **fields: Any) -> Plan:
    return cast(
        Plan,
        {
            **plan,
            **fields,
            "status": status,
            "updated_at": iso(now),
            "version": plan["version"] + 1,
            "next_look_at": iso(now),  # the scheduler looks at once and sends what the change calls for
        },
    )


def _release_debtor(workspace_id: str, plan: Plan) -> store.Operation:
    """The debtor's `open_plan` taken off, if it is still this plan's."""
    return store.update_op(
        keys.debtor(workspace_id, plan["debtor_id"]),
        "REMOVE open_plan",
        {":plan": plan["id"]},
        condition="attribute_exists(pk) AND (attribute_not_exists(open_plan) OR open_plan = :plan)",
    )


def _expect(plan: Plan, allowed: Sequence[str], action: str, version: int | None) -> None:
    if version is not None and version != plan["version"]:
        raise Conflict(_STALE, code="version_conflict")
    if plan["status"] not in allowed:
        raise Conflict(
            f"A payment plan that is {plan['status']} cannot be {action}.",
            code="invalid_transition",
            details={"status": plan["status"], "action": action},
        )


def _require_fresh(plan: Plan, today: date) -> None:
    if date.fromisoformat(plan["instalments"][0]["due_on"]) < today:
        raise Conflict(
            "This plan's first instalment date has passed: decline it and make a new one.", code="plan_stale"
        )


def _start(
    workspace: Workspace, plan: Plan, *, allowed: str, action: str, actor: Actor, now: datetime, version: int | None
) -> Plan:
    today = debts.today_in(workspace, now)
    checked_version = [version]

    def decide(current: Plan, found: list[Debt]) -> tuple[Plan, list[store.Operation]] | None:
        if _started_by(current, actor, allowed):
            return None  # a double click, or a second tab: it is started already, by the same person
        _expect(current, [allowed], action, checked_version[0])
        checked_version[0] = None  # a re-read after a debt changed meanwhile is not the client's stale copy
        _require_fresh(current, today)
        at = iso(now)
        updated = _changed(current, Status.ACTIVE, now, started_at=at, decided_at=at, decided_by=actor)
        return updated, _start_debt_ops(workspace["id"], updated, found, actor=actor, now=now, today=today)

    started, changed = _decide(workspace["id"], plan["id"], decide, first=plan)
    if changed:
        metrics.add_metric(name="PlansStarted", unit="Count", value=1)
        logger.info("payment plan started", extra={"workspace_id": workspace["id"], "plan_id": plan["id"]})
    if allowed == Status.PROPOSED:
        _close_proposal(workspace["id"], started, "plan_approved", now)
    return started


def _started_by(plan: Plan, actor: Actor, allowed: str) -> bool:
    """The plan was started from `allowed` (proposed or offered) by `actor`, and still runs."""
    made_by = "debtor" if allowed == Status.PROPOSED else "business"
    return plan["status"] == Status.ACTIVE and plan["proposed_by"] == made_by and plan.get("decided_by") == actor


def approve(workspace: Workspace, plan: Plan, *, actor: Actor, now: datetime, version: int | None = None) -> Plan:
    """The business approves a debtor's proposal: it starts (409 `invalid_transition` unless proposed,
    `plan_stale` once its first date has passed, `version_conflict` when it changed since `version`). Approving
    again what the same person approved (a double click) answers the plan as it is, started once."""
    return _start(workspace, plan, allowed=Status.PROPOSED, action="approved", actor=actor, now=now, version=version)


def accept(workspace: Workspace, plan: Plan, *, now: datetime) -> Plan:
    """The debtor accepts the business's offer on their page: it starts (409 as `approve`)."""
    actor = actor_debtor(plan["debtor_id"])
    return _start(workspace, plan, allowed=Status.OFFERED, action="accepted", actor=actor, now=now, version=None)


def decline(
    workspace: Workspace,
    plan: Plan,
    *,
    actor: Actor,
    reason: str | None,
    now: datetime,
    version: int | None = None,
) -> Plan:
    """The business declines a debtor's proposal (409 `invalid_transition` unless proposed)."""
    checked_version = [version]

    def decide(current: Plan, found: list[Debt]) -> tuple[Plan, list[store.Operation]]:
        _expect(current, [Status.PROPOSED], "declined", checked_version[0])
        checked_version[0] = None
        at = iso(now)
        updated = _changed(
            current,
            Status.DECLINED,
            now,
            decided_at=at,
            decided_by=actor,
            reason=reason,
            ended_at=at,
            end_reason="declined",
        )
        operations = [_release_debtor(workspace["id"], current)]
        operations += [
            _entry(workspace["id"], debt_id, "plan_declined", actor, now, current) for debt_id in current["debt_ids"]
        ]
        return updated, operations

    declined, _ = _decide(workspace["id"], plan["id"], decide, first=plan)
    metrics.add_metric(name="PlansDeclined", unit="Count", value=1)
    _close_proposal(workspace["id"], declined, "plan_declined", now)
    return declined


def cancel(
    workspace: Workspace,
    plan: Plan,
    *,
    actor: Actor,
    reason: str | None,
    now: datetime,
    version: int | None = None,
) -> Plan:
    """The business withdraws its offer (offered → withdrawn) or cancels a plan under way (active → cancelled:
    its debts leave it and reminders resume); 409 `invalid_transition` from any other state."""
    today = debts.today_in(workspace, now)
    checked_version = [version]

    def decide(current: Plan, found: list[Debt]) -> tuple[Plan, list[store.Operation]]:
        _expect(current, [Status.OFFERED, Status.ACTIVE], "cancelled", checked_version[0])
        checked_version[0] = None
        at = iso(now)
        withdrawn = current["status"] == Status.OFFERED
        status = Status.WITHDRAWN if withdrawn else Status.CANCELLED
        updated = _changed(current, status, now, reason=reason, ended_at=at, end_reason=status)
        if withdrawn:  # an active plan keeps who approved or accepted it, and when
            updated |= {"decided_at": at, "decided_by": actor}
        operations = [_release_debtor(workspace["id"], current)]
        kind = f"plan_{status}"
        if not withdrawn:
            operations += _end_debt_ops(
                workspace["id"], updated, found, kind, actor=actor, now=now, today=today, broken=False
            )
        else:
            operations += [
                _entry(workspace["id"], debt_id, kind, actor, now, current) for debt_id in current["debt_ids"]
            ]
        return updated, operations

    ended, _ = _decide(workspace["id"], plan["id"], decide, first=plan)
    if ended["status"] == Status.CANCELLED:
        metrics.add_metric(name="PlansCancelled", unit="Count", value=1)
    logger.info(
        "payment plan ended", extra={"workspace_id": workspace["id"], "plan_id": plan["id"], "status": ended["status"]}
    )
    return ended


def settle(workspace_id: str, plan_id: str, *, now: datetime) -> Plan | None:
    """Complete the plan if everything is paid (every debt, or its total since it was made); idempotent, and one
    read of the plan and one of its debts when nothing changed. None when there is no such plan."""
    plan = read(workspace_id, plan_id)
    if plan is None:
        return None
    if plan["status"] != Status.ACTIVE:
        return plan

    def decide(current: Plan, found: list[Debt]) -> tuple[Plan, list[store.Operation]] | None:
        if current["status"] != Status.ACTIVE:
            return None
        if not (all_paid(current, found) or paid_since(current, found) >= int(current["total"])):
            return None
        return _ended(workspace_id, current, found, Status.COMPLETED, now=now, today=_today_of(workspace_id, now))

    ended, changed = _decide(workspace_id, plan_id, decide, first=plan)
    if changed:
        metrics.add_metric(name="PlansCompleted", unit="Count", value=1)
        logger.info("payment plan completed", extra={"workspace_id": workspace_id, "plan_id": plan_id})
    return ended


def break_plan(workspace_id: str, plan: Plan, *, now: datetime) -> Plan:
    """The scheduler breaks a plan whose instalment was missed past the grace days: its debts leave it, those due
    later become due today, reminders resume at once, and the inbox says so (`plan_broken`). Decided on the plan
    and debts as they are now: one paid in full meanwhile is completed instead, one no longer missed (a payment
    came in) goes on unchanged."""
    workspace = _workspace(workspace_id)
    today = debts.today_in(workspace, now)

    def decide(current: Plan, found: list[Debt]) -> tuple[Plan, list[store.Operation]] | None:
        if current["status"] != Status.ACTIVE:
            return None
        result = rules.outcome(current, paid_since(current, found), today, all_paid(current, found))
        if result is None:
            return None
        return _ended(workspace_id, current, found, result, now=now, today=today)

    ended, changed = _decide(workspace_id, plan["id"], decide, first=plan)
    if changed:
        name = "PlansBroken" if ended["status"] == Status.BROKEN else "PlansCompleted"
        metrics.add_metric(name=name, unit="Count", value=1)
        logger.info(
            "payment plan ended", extra={"workspace_id": workspace_id, "plan_id": plan["id"], "status": ended["status"]}
        )
    return ended


def _ended(
    workspace_id: str, plan: Plan, found: list[Debt], status: str, *, now: datetime, today: date
) -> tuple[Plan, list[store.Operation]]:
    """A plan completed or broken by the system, with its debts' and its debtor's writes."""
    broken = status == Status.BROKEN
    updated = _changed(plan, status, now, ended_at=iso(now), end_reason=status)
    operations = [_release_debtor(workspace_id, plan)]
    operations += _end_debt_ops(
        workspace_id, updated, found, f"plan_{status}", actor=SYSTEM, now=now, today=today, broken=broken
    )
    if broken:
        since = paid_since(plan, found)
        missed = next((state for state in rules.progress(plan, since, today) if state["status"] == "missed"), None)
        if missed:
            operations += [
                _entry(workspace_id, debt["id"], "instalment_missed", SYSTEM, now, plan, _missed(missed))
                for debt in held_by(plan, found)
            ]
        operations.append(
            inbox.open_op(
                workspace_id,
                kind="plan_broken",
                source=plan["id"],
                debtor_id=plan["debtor_id"],
                now=now,
                detail={**_detail(plan), "paid": max(0, since)},
            )
        )
    return updated, operations


def _missed(state: rules.InstalmentState) -> dict[str, Any]:
    return {"number": state["number"], "due_on": state["due_on"], "amount": state["amount"] - state["paid"]}


def _today_of(workspace_id: str, now: datetime) -> date:
    return debts.today_in(_workspace(workspace_id), now)


def _workspace(workspace_id: str) -> Workspace:
    [item] = store.batch_get([keys.workspace(workspace_id)])
    if item is None:
        raise NotFound("There is no such workspace.", code="workspace_not_found")
    return cast(Workspace, item)


def _close_proposal(workspace_id: str, plan: Plan, reason: str, now: datetime) -> None:
    """The inbox item of the proposal closed (after the decision committed; closing twice changes nothing)."""
    inbox.change(
        workspace_id,
        inbox.item_id("plan_proposed", plan["id"]),
        lambda item: inbox.closed(item, reason=reason, now=now),
    )


def is_ended(plan: Plan) -> bool:
    return plan["status"] in ENDED
