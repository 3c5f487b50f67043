"""Reading what a request is about: the caller and the items its path names, in one DynamoDB call."""

from __future__ import annotations

from typing import cast

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

from collectra.auth.principal import Principal
from collectra.debtors.records import Debtor
from collectra.debtors.service import require_debtor
from collectra.debts.records import Debt
from collectra.debts.service import require_debt
from collectra.errors import NotFound
from collectra.http.app import current_principal_and
from collectra.plans.records import Plan
from collectra.store import keys


def caller_and_debtor(app: APIGatewayHttpResolver, debtor_id: str) -> tuple[Principal, Debtor]:
    principal, (debtor,) = current_principal_and(app, lambda workspace_id: [keys.debtor(workspace_id, debtor_id)])
    return principal, require_debtor(debtor)


def caller_and_debt(app: APIGatewayHttpResolver, debt_id: str) -> tuple[Principal, Debt]:
    principal, (debt,) = current_principal_and(app, lambda workspace_id: [keys.debt(workspace_id, debt_id)])
    return principal, require_debt(debt)


def caller_and_plan(app: APIGatewayHttpResolver, plan_id: str) -> tuple[Principal, Plan]:
    principal, (plan,) = current_principal_and(app, lambda workspace_id: [keys.plan(workspace_id, plan_id)])
    if plan is None:
        raise NotFound("There is no such payment plan.", code="plan_not_found")
    return principal, cast(Plan, plan)
