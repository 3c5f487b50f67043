"""Payment plans: the business offers, lists, reads and decides them (the debtor's side is on their page); the
instalment scheduler."""

from __future__ import annotations

from stack.base import BREVO_API_KEY, JWT, PAGE_LINK, STRIPE_API_KEY
from stack.blocks import query, secret, table
from stack.function import Function, Http, Schedule
from stack.intrinsics import Ref
from stack.key_families import PLAN_SCHEDULE, QUOTAS, SIGNED_IN, USERS, WORKSPACES

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
    Function(
        "InstalmentScheduler",
        handler="functions/plans/instalments.handler",
        # On the reminders' schedule: a plan's instalments are its debts' reminders (reminders/instalments.py).
        event=Schedule(
            Ref("ReminderSchedule"), "Look at the payment plans that are due: settle, charge, break, email."
        ),
        permissions=(
            # Query on the table: the workspace's owners while none is marked verified, its sending quota's last day.
            table("Query", "BatchGetItem", "GetItem", "PutItem", "UpdateItem"),
            query("gsi5"),  # the plans due (gsi5: `keys.plans_due`)
            secret(BREVO_API_KEY, PAGE_LINK, STRIPE_API_KEY),  # Stripe: the automatic charges (payments/collection.py)
        ),
        # USERS: the workspace's owners, whether one has verified their address (workspaces/sending_rights.py).
        keys=(PLAN_SCHEDULE, QUOTAS, USERS, WORKSPACES),
        timeout=300,
    ),
)
