"""Debtors, their page links, and the debtor's own page (no login: the link's secret)."""

from __future__ import annotations

from stack.base import (
    EXPORT_BUCKET,
    JWT,
    NOTIFY_QUEUE,
    ORIGIN_VERIFY,
    PAGE_LINK,
    STRIPE_API_KEY,
    STRIPE_CHECKOUT_ORIGIN,
)
from stack.blocks import bucket, query, secret, send_to, table
from stack.function import Function, Http, Throttle
from stack.key_families import SIGNED_IN, THROTTLES, WORKSPACES

FUNCTIONS = (
    Function(
        "CreateDebtor",
        handler="functions/debtors/create_debtor.handler",
        event=Http("POST /debtors"),
        permissions=(
            table("BatchGetItem", "PutItem"),
            secret(JWT),
        ),
        keys=SIGNED_IN,
    ),
    Function(
        "ListDebtors",
        handler="functions/debtors/list_debtors.handler",
        event=Http("GET /debtors"),
        permissions=(
            table("BatchGetItem"),
            query("gsi1", "gsi2"),
            secret(JWT),
        ),
        keys=SIGNED_IN,
    ),
    Function(
        "GetDebtor",
        handler="functions/debtors/get_debtor.handler",
        event=Http("GET /debtors/{id}"),
        permissions=(
            table("BatchGetItem"),
            secret(JWT),
        ),
        keys=SIGNED_IN,
    ),
    Function(
        "UpdateDebtor",
        handler="functions/debtors/update_debtor.handler",
        event=Http("PATCH /debtors/{id}"),
        permissions=(
            table("BatchGetItem", "PutItem", "BatchWriteItem", "UpdateItem", "DeleteItem"),
            query("gsi3", "gsi5"),  # gsi5: a corrected address resolves its bounce in the inbox
            secret(JWT),
        ),
        keys=SIGNED_IN,
    ),
    Function(
        "DeleteDebtor",
        handler="functions/debtors/delete_debtor.handler",
        event=Http("DELETE /debtors/{id}"),
        permissions=(
            table("GetItem", "BatchGetItem", "Query", "PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem"),
            query("gsi1", "gsi3", "gsi5"),  # gsi5: the debtor's inbox items, erased with them
            # Erasing a debtor deletes the workspace's export archives, which hold the debtor.
            bucket(EXPORT_BUCKET, "DeleteObject", objects="exports/*"),
            secret(JWT),
        ),
        keys=SIGNED_IN,
    ),
    Function(
        "RotateDebtorLink",
        handler="functions/debtors/rotate_debtor_link.handler",
        event=Http("POST /debtors/{id}/link"),
        permissions=(
            table("BatchGetItem", "UpdateItem"),
            secret(JWT, PAGE_LINK),
        ),
        keys=SIGNED_IN,
    ),
    Function(
        "RevokeDebtorLink",
        handler="functions/debtors/revoke_debtor_link.handler",
        event=Http("DELETE /debtors/{id}/link"),
        permissions=(
            table("BatchGetItem", "UpdateItem"),
            secret(JWT),
        ),
        keys=SIGNED_IN,
    ),
    Function(
        "DebtorPage",
        handler="functions/debtors/debtor_page.handler",
        # The debtor's page and its forms; Pay creates a Stripe Checkout Session each time.
        event=Http("GET /p/{token}", throttle=Throttle(rate=20, burst=40)),
        permissions=(
            # GetItem: the per-address throttle counter, read before the page is served.
            table("GetItem", "BatchGetItem", "PutItem", "UpdateItem"),
            query("gsi3"),
            secret(JWT, ORIGIN_VERIFY),
        ),
        keys=(THROTTLES, WORKSPACES),
        settings=(STRIPE_CHECKOUT_ORIGIN,),  # the page's CSP lets its Pay form go there only
        snap_start=True,  # a debtor following an email's link almost always meets a cold function
    ),
    Function(
        "DebtorAnswer",
        handler="functions/debtors/debtor_answer.handler",
        event=Http("POST /p/{token}/answer", throttle=Throttle(rate=10, burst=20)),
        permissions=(
            # GetItem: the per-address throttle counter, read alone for a token not shaped like a link.
            table("GetItem", "BatchGetItem", "PutItem", "UpdateItem"),
            query("gsi3"),
            secret(JWT, ORIGIN_VERIFY),
            send_to(NOTIFY_QUEUE),  # a dispute's alert to the members who asked for it
        ),
        keys=(THROTTLES, WORKSPACES),
        settings=(STRIPE_CHECKOUT_ORIGIN,),  # the page's CSP lets its Pay form go there only
    ),
    Function(
        "DebtorPay",
        handler="functions/debtors/debtor_pay.handler",
        event=Http("POST /p/{token}/pay", throttle=Throttle(rate=10, burst=20)),
        permissions=(
            # ConditionCheckItem: the attempt's transaction checks the debt is as shown (payments/checkout.py).
            table("GetItem", "BatchGetItem", "PutItem", "UpdateItem", "ConditionCheckItem"),
            query("gsi3"),
            secret(JWT, STRIPE_API_KEY, ORIGIN_VERIFY),
        ),
        keys=(THROTTLES, WORKSPACES),
        settings=(STRIPE_CHECKOUT_ORIGIN,),  # the page's CSP lets its Pay form go there only
    ),
    Function(
        "DebtorPlan",
        handler="functions/debtors/debtor_plan.handler",
        event=Http("POST /p/{token}/plan", throttle=Throttle(rate=10, burst=20)),
        permissions=(
            # GetItem: the per-address throttle counter; ConditionCheckItem: a proposal's transaction checks each
            # debt is as read (plans/service.py).
            table("GetItem", "BatchGetItem", "PutItem", "UpdateItem", "ConditionCheckItem"),
            query("gsi3"),  # the debtor's debts, and their plans
            secret(JWT, ORIGIN_VERIFY),
        ),
        keys=(THROTTLES, WORKSPACES),
        settings=(STRIPE_CHECKOUT_ORIGIN,),  # the page again, with its CSP
    ),
    Function(
        "DebtorPlanAutomatic",
        handler="functions/debtors/debtor_plan_automatic.handler",
        event=Http("POST /p/{token}/plan/automatic", throttle=Throttle(rate=10, burst=20)),
        permissions=(
            # The plan is written whole on its version (PutItem); its debts' timelines say it was switched.
            table("GetItem", "BatchGetItem", "PutItem", "UpdateItem"),
            query("gsi3"),  # the debtor's former plans, whose Stripe Customer is reused
            secret(JWT, STRIPE_API_KEY, ORIGIN_VERIFY),
        ),
        keys=(THROTTLES, WORKSPACES),
        settings=(STRIPE_CHECKOUT_ORIGIN,),  # the page's CSP lets its forms go there only
    ),
)
