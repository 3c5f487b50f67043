"""Payment plans from the debtor's page: what the page shows of them, and the plan form's two answers.

A debtor proposes a plan (which debts: one, or all that may be in a plan in one currency; how many instalments;
the first date; how often), equal instalments the last of which takes the rounding (`plans.rules.split` and
`every_dates`), within the workspace's rules (`plans.service.propose` checks them again, in its transaction); or
accepts a plan the business offered. Everything else (one open plan per debtor, the debts' versions, the inbox
item) is `plans.service`'s: this module reads the form, picks the debts, and says what went wrong in the
page's words (`PlanRefused.notice`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal, cast

from pydantic import ConfigDict, Field, ValidationError

from collectra import store
from collectra.debtors.page import PageContext
from collectra.debts.records import Debt, outstanding
from collectra.debts.service import today_in
from collectra.debts.states import COLLECTIBLE, Status
from collectra.errors import CollectraError, Conflict, Contention, InvalidInput, NotFound
from collectra.models import Model
from collectra.plans import rules
from collectra.plans import service as plans
from collectra.plans.records import Plan
from collectra.store import keys
from collectra.workspaces.payment_plans import PaymentPlans
from collectra.workspaces.records import Workspace

OPEN_PLAN_STATES = ("proposed", "offered", "active")
SHOWN_PLANS = 5  # the open plan and the latest ended ones: older ones are the business's history


class PlanRefused(CollectraError):
    """What the debtor sent was not recorded: `notice` is the page's notice saying why (`pages.messages`)."""

    status = 422
    code = "plan_refused"

    def __init__(self, message: str, *, notice: str, status: int = 422) -> None:
        super().__init__(message, code=notice)
        self.notice = notice
        self.status = status


class PlanAnswer(Model):
    """The plan form as posted."""

    model_config = ConfigDict(extra="ignore")

    action: Literal["propose", "accept"]
    csrf_token: str = Field(max_length=64)
    debt_id: str = Field(default="all", max_length=64)
    currency: str | None = Field(default=None, pattern=r"^[A-Za-z]{3}$")
    count: int | None = Field(default=None, ge=2, le=rules.MAX_INSTALMENTS)
    first_due_on: date | None = None
    every: Literal["week", "two_weeks", "month"] = "month"
    plan_id: str | None = Field(default=None, max_length=64)


def read_plan_answer(form: dict[str, str]) -> PlanAnswer:
    """The form's fields, or PlanRefused (notice `plan_invalid`) for a form the page could not have sent."""
    try:
        answer = PlanAnswer.model_validate({name: value for name, value in form.items() if value != ""})
    except ValidationError as error:
        raise PlanRefused("The plan form could not be read.", notice="plan_invalid") from error
    if answer.action == "propose" and (answer.count is None or answer.first_due_on is None):
        raise PlanRefused("A proposal names a number of instalments and a first date.", notice="plan_invalid")
    if answer.action == "accept" and not answer.plan_id:
        raise PlanRefused("Accepting names the plan.", notice="plan_invalid")
    return answer


def settings_of(workspace: Workspace) -> PaymentPlans:
    return PaymentPlans.of(workspace)


def plannable(context: PageContext) -> list[Debt]:
    """The page's debts that may be in a plan now: collectible, something outstanding, no payment on its way, in no
    plan; in the plan's order (by due date, then id)."""
    found = [
        debt
        for debt in context.debts
        if Status(debt["status"]) in COLLECTIBLE
        and outstanding(debt) > 0
        and not debt.get("payment_processing")
        and not debt.get("plan")
    ]
    return sorted(found, key=lambda debt: (debt["due_on"], debt["id"]))


def latest_date(settings: PaymentPlans, today: date) -> date:
    """The last date an instalment of a debtor's proposal may fall on."""
    return today + timedelta(days=settings.max_days)


def schedule(total: int, count: int, first: date, every: str) -> list[tuple[date, int]]:
    """Equal instalments (the last takes the rounding) on the dates `every` makes from `first`."""
    return list(zip(rules.every_dates(first, count, every), rules.split(total, count), strict=True))


def propose_from_page(context: PageContext, answer: PlanAnswer, *, now: datetime) -> Plan:
    """The debtor's proposal, recorded by `plans.service.propose` (active at once with auto-approve, else awaiting
    the business), or PlanRefused saying why nothing was recorded."""
    settings = settings_of(context.workspace)
    if not settings.enabled:
        raise PlanRefused("This business does not take plans from its page.", notice="plan_unavailable", status=409)
    if context.debtor.get("open_plan"):
        raise PlanRefused("A plan is open already.", notice="plan_exists", status=409)
    chosen = _chosen(context, answer)
    count, first = answer.count, answer.first_due_on
    if count is None or first is None:  # read_plan_answer refuses such a proposal before
        raise PlanRefused("A proposal names a number of instalments and a first date.", notice="plan_invalid")
    today = today_in(context.workspace, now)
    total = sum(outstanding(debt) for debt in chosen)
    instalments = schedule(total, count, first, answer.every)
    try:
        rules.check_within_rules(instalments, total=total, today=today, settings=settings)
    except rules.ScheduleRefused as refused:
        raise PlanRefused(str(refused), notice="plan_refused") from None
    return _recorded(lambda: plans.propose(context.workspace, context.debtor, chosen, instalments, now=now))


def accept_from_page(context: PageContext, answer: PlanAnswer, *, now: datetime) -> Plan:
    """The debtor accepts the plan the business offered them (`plans.service.accept`)."""
    plan = plans.read(context.link.workspace_id, str(answer.plan_id))
    if plan is None or plan["debtor_id"] != context.debtor["id"]:
        raise PlanRefused("No such plan on this page.", notice="plan_invalid")
    return _recorded(lambda: plans.accept(context.workspace, plan, now=now))


def _chosen(context: PageContext, answer: PlanAnswer) -> list[Debt]:
    candidates = plannable(context)
    if answer.debt_id == "all":
        currency = (answer.currency or "").upper()
        chosen = [debt for debt in candidates if debt["currency"] == currency]
        if len({debt["currency"] for debt in candidates}) == 1 and not currency:
            chosen = candidates  # a form without the currency: the one currency there is
    else:
        chosen = [debt for debt in candidates if debt["id"] == answer.debt_id]
    if not chosen:
        raise PlanRefused("None of these debts may be in a plan now.", notice="plan_debts_changed", status=409)
    if len(chosen) > rules.MAX_PLAN_DEBTS:
        raise PlanRefused("Too many debts for one plan.", notice="plan_too_many")
    return chosen


def _recorded(record: Callable[[], Plan]) -> Plan:
    """Run the service's write, its refusals said in the page's words."""
    try:
        return record()
    except rules.ScheduleRefused as refused:
        raise PlanRefused(str(refused), notice="plan_refused") from None
    except Contention:
        raise PlanRefused("Being written meanwhile.", notice="plan_try_again", status=409) from None
    except Conflict as conflict:
        notice = {
            "plan_exists": "plan_exists",
            "plan_stale": "plan_stale",
            "invalid_transition": "plan_exists",  # an offer accepted, withdrawn or declined meanwhile
            "plans_not_enabled": "plan_unavailable",
        }.get(conflict.code, "plan_debts_changed" if conflict.code.startswith("debt") else "plan_try_again")
        raise PlanRefused(conflict.message, notice=notice, status=409) from None
    except NotFound:
        raise PlanRefused("No such plan or debt.", notice="plan_debts_changed", status=409) from None
    except InvalidInput as refused:
        raise PlanRefused(refused.message, notice="plan_refused") from None


# ---------------------------------------------------------------- what the page shows


@dataclass(frozen=True)
class ShownPlan:
    """A plan of the debtor's and what was paid on it since it started (0 before it starts)."""

    plan: Plan
    paid_since: int
    invoices: tuple[str, ...]


def plans_shown(context: PageContext) -> list[ShownPlan]:
    """The debtor's open plan and latest ended ones, newest first; read only when there may be one to show (the
    debtor has an open plan, a debt is in one, or the workspace takes proposals), so a page without plans costs
    no more reads than before."""
    workspace_id, debtor_id = context.link.workspace_id, context.debtor["id"]
    may_have = (
        context.debtor.get("open_plan")
        or any(debt.get("plan") for debt in context.debts)
        or settings_of(context.workspace).enabled
    )
    if not may_have:
        return []
    found = sorted(plans.plans_of_debtor(workspace_id, debtor_id), key=lambda p: p["created_at"], reverse=True)
    shown = found[:SHOWN_PLANS]
    on_page = {debt["id"]: debt for debt in context.debts}
    wanted = {debt_id for plan in shown for debt_id in plan["debt_ids"] if debt_id not in on_page}
    if wanted:  # debts of a plan that left the page (paid off): their payments count too
        more = store.batch_get([keys.debt(workspace_id, debt_id) for debt_id in sorted(wanted)])
        on_page |= {item["id"]: cast(Debt, item) for item in more if item is not None}
    result = []
    for plan in shown:
        debts = [on_page[debt_id] for debt_id in plan["debt_ids"] if debt_id in on_page]
        paid = plans.paid_since(plan, debts) if plan["status"] == "active" else 0
        result.append(ShownPlan(plan, paid, tuple(debt["invoice_number"] for debt in debts)))
    return result
