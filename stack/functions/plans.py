"""Payment plans: the business offers, lists, reads and decides them (the debtor's side is on their page)."""

from __future__ import annotations

from stack.base import JWT
from stack.blocks import query, secret, table
from stack.function import Function, Http
from stack.key_families import SIGNED_IN

FUNCTIONS = (
    Function(
        "OfferPlan",
        handler="functions/plans/offer_plan.handler",
        event=Http("POST /debtors/{id}/plans"),
        permissions=(
            # One transaction: the plan (Put), the debtor's open plan (Update), each debt as read (ConditionCheck)
            # and its timeline entry (Put).
            table("BatchGetItem", "PutItem", "UpdateItem", "ConditionCheckItem"),
            secret(JWT),
        ),
        keys=SIGNED_IN,
    ),
    Function(
        "ListDebtorPlans",
        handler="functions/plans/list_debtor_plans.handler",
        event=Http("GET /debtors/{id}/plans"),
        permissions=(
            table("BatchGetItem"),
            query("gsi3"),  # the debtor's plans (keys.plans_of_debtor)
            secret(JWT),
        ),
        keys=SIGNED_IN,
    ),
    Function(
        "GetPlan",
        handler="functions/plans/get_plan.handler",
        event=Http("GET /plans/{id}"),
        permissions=(table("BatchGetItem"), secret(JWT)),
        keys=SIGNED_IN,
    ),
    Function(
        "ApprovePlan",
        handler="functions/plans/approve_plan.handler",
        event=Http("POST /plans/{id}/approve"),
        permissions=(
            # The plan and its debts (Put, on their versions) with their timeline entries; the figures' shard and
            # the proposal's inbox item closed (Update).
            table("BatchGetItem", "PutItem", "UpdateItem"),
            secret(JWT),
        ),
        keys=SIGNED_IN,
    ),
    Function(
        "DeclinePlan",
        handler="functions/plans/decline_plan.handler",
        event=Http("POST /plans/{id}/decline"),
        permissions=(
            # The plan (Put) and its timeline entries; the debtor's open plan and the proposal's inbox item (Update).
            table("BatchGetItem", "PutItem", "UpdateItem"),
            secret(JWT),
        ),
        keys=SIGNED_IN,
    ),
    Function(
        "CancelPlan",
        handler="functions/plans/cancel_plan.handler",
        event=Http("POST /plans/{id}/cancel"),
        permissions=(
            # The plan and its debts (Put, on their versions) with their timeline entries; the debtor's open plan
            # and the figures' shard (Update).
            table("BatchGetItem", "PutItem", "UpdateItem"),
            secret(JWT),
        ),
        keys=SIGNED_IN,
    ),
)
