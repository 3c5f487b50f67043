"""Reminder policy and templates, the planner and sender, a debt's steps, the debtor's opt-out."""

from __future__ import annotations

from stack.base import BREVO_API_KEY, JWT, PAGE_LINK, PLANNER_SHARD_QUEUE, REMINDER_QUEUE, STRIPE_CHECKOUT_ORIGIN
from stack.blocks import query, secret, send_to, table
from stack.function import Consume, Function, Http, Schedule, Throttle
from stack.intrinsics import Ref
from stack.key_families import QUOTAS, REMINDER_ENGINE, REMINDER_SCHEDULE, SIGNED_IN, WORKSPACES

FUNCTIONS = (
    Function(
        "GetReminderPolicy",
        handler="functions/reminders/get_reminder_policy.handler",
        event=Http("GET /workspace/reminder-policy"),
        permissions=(
            table("BatchGetItem"),
            secret(JWT),
        ),
        keys=SIGNED_IN,
    ),
    Function(
        "PutReminderPolicy",
        handler="functions/reminders/put_reminder_policy.handler",
        event=Http("PUT /workspace/reminder-policy"),
        permissions=(
            table("BatchGetItem", "UpdateItem"),
            secret(JWT),
        ),
        keys=SIGNED_IN,
    ),
    Function(
        "PreviewReminder",
        handler="functions/reminders/preview_reminder.handler",
        event=Http("POST /workspace/reminder-templates/preview"),
        permissions=(
            table("BatchGetItem", "GetItem"),
            secret(JWT, PAGE_LINK),
        ),
        keys=SIGNED_IN,
    ),
    Function(
        "RemindersStatus",
        handler="functions/reminders/reminders_status.handler",
        event=Http("GET /workspace/reminders/status"),
        permissions=(
            # GetItem: today's sending quota.
            table("BatchGetItem", "GetItem", "Query"),
            query("gsi2"),
            secret(JWT),
        ),
        keys=(QUOTAS, REMINDER_ENGINE, *SIGNED_IN),
    ),
    Function(
        "SetDebtReminderSteps",
        handler="functions/reminders/set_debt_reminder_steps.handler",
        event=Http("PUT /debts/{id}/reminder-steps"),
        permissions=(
            table("BatchGetItem", "PutItem"),
            secret(JWT),
        ),
        keys=SIGNED_IN,
    ),
    Function(
        "ClearDebtReminderSteps",
        handler="functions/reminders/clear_debt_reminder_steps.handler",
        event=Http("DELETE /debts/{id}/reminder-steps"),
        permissions=(
            table("BatchGetItem", "PutItem"),
            secret(JWT),
        ),
        keys=SIGNED_IN,
    ),
    Function(
        "RemindDebt",
        handler="functions/reminders/remind_debt.handler",
        event=Http("POST /debts/{id}/remind"),
        permissions=(
            # Query: the workspace's owners, while none is marked verified yet (workspaces/sending_rights.py).
            table("BatchGetItem", "GetItem", "PutItem", "UpdateItem", "Query"),
            secret(JWT),
            send_to(REMINDER_QUEUE),
        ),
        keys=SIGNED_IN,
    ),
    Function(
        "RemindDebts",
        handler="functions/reminders/remind_debts.handler",
        event=Http("POST /debts/remind"),
        permissions=(
            # Query: the workspace's owners, while none is marked verified yet (workspaces/sending_rights.py).
            table("BatchGetItem", "PutItem", "UpdateItem", "Query"),
            secret(JWT),
            send_to(REMINDER_QUEUE),
        ),
        keys=SIGNED_IN,
    ),
    Function(
        "ReminderPlanner",
        handler="functions/reminders/planner.handler",
        event=Schedule(Ref("ReminderSchedule"), "Plan the reminders that are due."),
        permissions=(
            table("PutItem"),  # the engine's last run
            send_to(PLANNER_SHARD_QUEUE),
        ),
        keys=(REMINDER_ENGINE,),
        timeout=30,
    ),
    Function(
        "PlanShard",
        handler="functions/reminders/plan_shard.handler",
        # One slice per invocation: each gets the whole timeout as its budget.
        event=Consume(PLANNER_SHARD_QUEUE, batch_size=1),
        permissions=(
            # GetItem, and Query on the table: a workspace's sending quota today (or its last sending day's).
            table("Query", "BatchGetItem", "GetItem", "PutItem", "UpdateItem"),
            query("gsi5"),
            send_to(REMINDER_QUEUE),
            send_to(PLANNER_SHARD_QUEUE),  # the slice that continues a shard
        ),
        keys=(QUOTAS, REMINDER_SCHEDULE, *SIGNED_IN),
        memory=1024,
        timeout=300,
    ),
    Function(
        "ReminderSender",
        handler="functions/reminders/sender.handler",
        # The poller invokes no more senders than are reserved: beyond them Lambda throttles, and each throttled
        # batch spends a receive of its messages, which could reach the dead-letter queue without ever failing.
        event=Consume(REMINDER_QUEUE, batch_size=10, max_concurrency=Ref("ReminderSenderConcurrency")),
        permissions=(
            table("GetItem", "BatchGetItem", "Query", "PutItem", "UpdateItem", "DeleteItem"),
            query("gsi5"),  # an email that went resolves its debts' failed reminders in the inbox
            secret(BREVO_API_KEY, PAGE_LINK),
        ),
        keys=(QUOTAS, WORKSPACES),
        timeout=120,
        reserved_concurrency=Ref("ReminderSenderConcurrency"),
    ),
    Function(
        "OptOutPage",
        handler="functions/reminders/opt_out_page.handler",
        event=Http("GET /u/{token}", throttle=Throttle(rate=10, burst=20)),
        permissions=(
            table("BatchGetItem"),
            secret(PAGE_LINK),
        ),
        keys=(WORKSPACES,),
        settings=(STRIPE_CHECKOUT_ORIGIN,),  # the page's CSP lets its Pay form go there only
    ),
    Function(
        "OptOut",
        handler="functions/reminders/opt_out.handler",
        event=Http("POST /u/{token}", throttle=Throttle(rate=10, burst=20)),
        permissions=(
            table("BatchGetItem", "PutItem", "UpdateItem"),
            query("gsi3"),
            secret(PAGE_LINK),
        ),
        keys=(WORKSPACES,),
        settings=(STRIPE_CHECKOUT_ORIGIN,),  # the page's CSP lets its Pay form go there only
    ),
)
