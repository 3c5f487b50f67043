"""Making, withdrawing and deciding promises to pay; each is one transaction with the debt's version check.

One open promise per debt: a new one replaces it (the timeline says so). Deciding is exactly once: the debt
is written conditioned on the version read and the promise still being the one decided, so two planners, a
redelivered run or a payment racing the planner decide it once between them (the loser reads the debt again
and finds the promise gone). Kept and broken count on the debtor (`promises_kept`, `promises_broken`);
withdrawn and replaced promises count as neither.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, cast

from collectra import store
from collectra.clock import iso
from collectra.debts import service as debts
from collectra.debts.charging import Charging
from collectra.debts.records import Actor, Debt, Promise, outstanding
from collectra.debts.states import Status, require_not_in_plan
from collectra.debts.timeline import SYSTEM, entry_op
from collectra.errors import Conflict, Contention, InvalidInput, NotFound
from collectra.inbox import items as inbox
from collectra.promises import rule
from collectra.store import keys
from collectra.workspaces.promises import latest_promise, promise_allowed
from collectra.workspaces.records import Workspace

_STALE = "This debt changed since you read it. Reload and try again."
DECIDE_ATTEMPTS = 4  # a debt changing this often while its promise is decided is looked at again by the next run


def make(
    workspace: Workspace,
    debt: Debt,
    *,
    amount: int | None,
    on: date,
    actor: Actor,
    now: datetime,
    version: int | None = None,
    also: list[store.Operation] | None = None,
) -> Debt:
    """Record a promise to pay `amount` (None: all that is outstanding) by `on`, replacing an open one.

    422 (naming `body.amount` or `body.on`) for an amount outside (0, outstanding] or a date outside today to the
    workspace's horizon; 409 when the debt is not being collected, or changed since `version` (or since it was
    read: of two clicks or tabs, one wins). `also`: more operations for the same transaction (the page's message).
    """
    if version is not None and version != debt["version"]:
        raise Conflict(_STALE, code="version_conflict")
    if debt["status"] not in (Status.OPEN, Status.PARTIALLY_PAID):
        raise Conflict(f"A {debt['status']} debt takes no promise to pay.", code="promise_not_allowed")
    require_not_in_plan(debt, "promise")  # its plan's instalments are what it promises
    today = debts.today_in(workspace, now)
    if not promise_allowed(on, workspace, today):
        raise InvalidInput(
            f"A promise names a date from {today.isoformat()} to {latest_promise(workspace, today).isoformat()}.",
            code="promise_date_refused",
            details=[{"field": "body.on"}],
        )
    try:
        promised = rule.promised_amount(amount, outstanding(debt))
    except rule.AmountRefused as refused:
        raise InvalidInput(str(refused), code="promise_amount_refused", details=[{"field": "body.amount"}]) from None
    promise = rule.new_promise(
        promised, on, zone=workspace["time_zone"], by=actor, amount_paid=int(debt["amount_paid"]), now=now
    )
    updated = cast(Debt, {**debt, "promise": promise, "updated_at": iso(now), "version": debt["version"] + 1})
    updated.pop("broken_promise", None)  # a new promise stands in for the "you promised" email still to go
    entries = []
    if debt.get("promise"):
        entries.append(_entry(workspace["id"], debt, "promise_replaced", actor, now, cast(Promise, debt["promise"])))
    entries.append(_entry(workspace["id"], debt, "promise_made", actor, now, promise))
    _commit([*debts.saved_ops(workspace["id"], debt, updated, now=now), *entries, *(also or [])])
    return updated


def withdraw(workspace: Workspace, debt: Debt, *, actor: Actor, now: datetime, version: int | None = None) -> Debt:
    """Withdraw the debt's open promise (404 when it has none; 409 when it changed since `version`): reminders
    go on from where the policy is, and the promise counts as neither kept nor broken."""
    if version is not None and version != debt["version"]:
        raise Conflict(_STALE, code="version_conflict")
    promise = debt.get("promise")
    if not promise:
        raise NotFound("This debt has no open promise to pay.", code="promise_not_found")
    updated = cast(Debt, {**debt, "promise": None, "updated_at": iso(now), "version": debt["version"] + 1})
    _commit(
        [
            *debts.saved_ops(workspace["id"], debt, updated, now=now),
            _entry(workspace["id"], debt, "promise_withdrawn", actor, now, promise),
        ]
    )
    return updated


def record_payment(
    workspace_id: str, debt: Debt, payment: dict[str, Any], *, charging: Charging, actor: Actor, now: datetime
) -> Debt:
    """`debts.service.record_payment`, then the debt's promise kept at once if the payment reaches it."""
    paid = debts.record_payment(workspace_id, debt, payment, charging=charging, actor=actor, now=now)
    if not paid.get("promise"):
        return paid
    return decide(workspace_id, paid, now) or paid


def decide(workspace_id: str, debt: Debt, now: datetime) -> Debt | None:
    """Decide the debt's promise if it is kept (paid enough since) or broken (its grace day is over).

    Returns the debt as it now stands (decided here, by someone else meanwhile, or still open: its `promise`
    says), or None when the debt is gone. A kept promise leaves the debt; a broken one leaves a `broken_promise`
    for the "you promised" email and brings the debt's next look to now, so reminders resume at once.
    """
    current: Debt | None = debt
    opened = debt.get("promise")
    made_at = opened["made_at"] if opened else None
    for _ in range(DECIDE_ATTEMPTS):
        if current is None:
            return None
        promise = current.get("promise")
        if not promise or promise["made_at"] != made_at or current["status"] not in _DECIDABLE:
            return current
        # A debt paid in full keeps it, even one whose amount was edited below what was promised.
        result = "kept" if current["status"] == Status.PAID else rule.outcome(promise, int(current["amount_paid"]), now)
        if result is None:
            return current
        updated, operations = _decided(workspace_id, current, promise, result, now)
        try:
            store.transact(operations)
        except (Conflict, Contention):
            # A payment, an edit or another planner meanwhile: decide on the debt as it is now, read with
            # BatchGetItem, the one read every caller (route, planner, webhook) is already granted.
            [found] = store.batch_get([keys.debt(workspace_id, current["id"])], consistent=True)
            current = cast(Debt | None, found)
            continue
        return updated
    return current


# A debt disputed, cancelled or written off is not collected: its promise waits (a reopened debt is decided then).
_DECIDABLE = (Status.OPEN, Status.PARTIALLY_PAID, Status.PAID)


def _decided(
    workspace_id: str, debt: Debt, promise: Promise, result: rule.Outcome, now: datetime
) -> tuple[Debt, list[store.Operation]]:
    updated = cast(Debt, {**debt, "promise": None, "updated_at": iso(now), "version": debt["version"] + 1})
    if result == "broken":
        updated["broken_promise"] = {
            "amount": promise["amount"],
            "on": promise["on"],
            "step": rule.reminder_step_of(promise),
        }
        updated["next_reminder_at"] = iso(now)
    counter = "promises_kept" if result == "kept" else "promises_broken"
    data = {"paid_since": rule.paid_since(promise, int(debt["amount_paid"]))}
    operations = [
        *debts.saved_ops(workspace_id, debt, updated, now=now),
        _entry(workspace_id, debt, f"promise_{result}", SYSTEM, now, promise, data),
        store.update_op(
            keys.debtor(workspace_id, debt["debtor_id"]),
            f"ADD {counter} :one",
            {":one": 1},
            condition="attribute_exists(pk)",
        ),
    ]
    if result == "broken":  # a person should call: the debtor did not do what they said they would
        operations.append(
            inbox.open_op(
                workspace_id,
                kind="broken_promise",
                source=f"{debt['id']}/{promise['made_at']}",  # one promise, decided once (the debt's version)
                debtor_id=debt["debtor_id"],
                debt_id=debt["id"],
                now=now,
                detail={"amount": promise["amount"], "currency": debt["currency"], "on": promise["on"]},
            )
        )
    return updated, operations


def _entry(  # noqa: PLR0917  (one timeline entry's facts, each named at every call)
    workspace_id: str,
    debt: Debt,
    kind: str,
    actor: Actor,
    now: datetime,
    promise: Promise,
    more: dict[str, Any] | None = None,
) -> store.Operation:
    data = {"amount": promise["amount"], "currency": debt["currency"], "on": promise["on"], **(more or {})}
    return entry_op(workspace_id, debt["id"], kind, actor=actor, now=now, data=data)


def _commit(operations: list[store.Operation]) -> None:
    try:
        store.transact(operations)
    except Conflict as error:
        raise Conflict(_STALE, code="version_conflict") from error
