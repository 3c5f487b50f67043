"""The business's payment-plan routes: offering one to a debtor, listing a debtor's, reading and deciding one.

Each route is its own function and handler module (functions/plans/); what they share is here: the plan's view,
read with its debts as they stand (one BatchGetItem), on the business's today.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Body

from collectra import clock
from collectra.auth.principal import Principal
from collectra.debts.models import DebtPlanView, NextInstalment
from collectra.debts.service import today_in
from collectra.debts.timeline import actor_user
from collectra.http.app import json_response
from collectra.http.docs import CSRF, responses
from collectra.http.views import caller_and_plan
from collectra.plans import rules, service
from collectra.plans.models import PlanDecision, PlanEnding, PlanView
from collectra.plans.records import Plan

DECIDING_ERRORS = {
    401: "Not signed in",
    403: CSRF,
    404: "No such plan",
    409: "Not allowed from the plan's state (`invalid_transition`), changed since `version` (`version_conflict`), "
    "or its first instalment date has passed (`plan_stale`)",
}


def view(principal: Principal, plan: Plan, now: datetime) -> PlanView:
    return PlanView.of(plan, service.debts_of(plan), today=today_in(principal.workspace, now))


def views(principal: Principal, plans: Sequence[Plan], now: datetime) -> list[PlanView]:
    """Many plans, their debts read together."""
    debts = service.debts_of_plans(plans)
    today = today_in(principal.workspace, now)
    return [PlanView.of(plan, debts, today=today) for plan in plans]


def register_decision(app: APIGatewayHttpResolver, decision: str, summary: str, description: str) -> None:
    """POST /plans/{id}/<decision>: approve (a body of `PlanDecision`), decline or cancel (`PlanEnding`)."""
    if decision == "approve":

        @app.post(
            "/plans/<id>/approve",
            summary=summary,
            description=description,
            security=[{"cookieAuth": []}],
            tags=["plans"],
            responses=responses(200, "The plan as it now is", PlanView, DECIDING_ERRORS),
        )
        def approve(id: str, request: Annotated[PlanDecision | None, Body()] = None) -> Response[PlanView]:
            principal, plan = caller_and_plan(app, id)
            now = clock.utcnow()
            version = request.version if request else None
            actor = actor_user(principal.user_id)
            decided = service.approve(principal.workspace, plan, actor=actor, now=now, version=version)
            return json_response(view(principal, decided, now))

        return

    @app.post(
        f"/plans/<id>/{decision}",
        summary=summary,
        description=description,
        security=[{"cookieAuth": []}],
        tags=["plans"],
        responses=responses(200, "The plan as it now is", PlanView, DECIDING_ERRORS),
    )
    def end(id: str, request: Annotated[PlanEnding | None, Body()] = None) -> Response[PlanView]:
        principal, plan = caller_and_plan(app, id)
        now = clock.utcnow()
        actor = actor_user(principal.user_id)
        reason, version = (request.reason, request.version) if request else (None, None)
        act = service.decline if decision == "decline" else service.cancel
        decided = act(principal.workspace, plan, actor=actor, reason=reason, now=now, version=version)
        return json_response(view(principal, decided, now))


def debt_plan(workspace_id: str, debt: Mapping[str, Any]) -> DebtPlanView | None:
    """The active plan holding `debt`, read with its debts, and its next instalment (GET /debts/{id})."""
    held = debt.get("plan")
    if not held:
        return None
    plan = service.read(workspace_id, held["id"])
    if plan is None:
        return DebtPlanView(id=held["id"], status="active")
    asked = rules.asked_now(plan, service.paid_since(plan, service.debts_of(plan)))
    next_instalment = None
    if asked and plan["status"] == "active":
        number, amount = asked
        due_on = date.fromisoformat(plan["instalments"][number - 1]["due_on"])
        next_instalment = NextInstalment(number=number, due_on=due_on, amount=amount)
    return DebtPlanView(id=plan["id"], status=plan["status"], next_instalment=next_instalment)
