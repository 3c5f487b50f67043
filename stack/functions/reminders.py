"""Reminder policy and templates, the planner and sender, a debt's steps, the debtor's opt-out."""

from __future__ import annotations

from stack.base import BREVO_API_KEY, JWT, PAGE_LINK, REMINDER_QUEUE, STRIPE_CHECKOUT_ORIGIN
from stack.blocks import secret, send_to, table
from stack.function import Consume, Function, Http, Schedule, Throttle
from stack.intrinsics import Ref

FUNCTIONS = (
    Function(
        "GetReminderPolicy",
        handler="functions/reminders/get_reminder_policy.handler",
        event=Http("GET /workspace/reminder-policy"),
        permissions=(
            table("BatchGetItem"),
            secret(JWT),
        ),
    ),
    Function(
        "PutReminderPolicy",
        handler="functions/reminders/put_reminder_policy.handler",
        event=Http("PUT /workspace/reminder-policy"),
        permissions=(
            table("BatchGetItem", "UpdateItem"),
            secret(JWT),
        ),
    ),
    Function(
        "PreviewReminder",
        handler="functions/reminders/preview_reminder.handler",
        event=Http("POST /workspace/reminder-templates/preview"),
        permissions=(
            table("BatchGetItem", "GetItem"),
            secret(JWT, PAGE_LINK),
        ),
    ),
    Function(
        "RemindersStatus",
        handler="functions/reminders/reminders_status.handler",
        event=Http("GET /workspace/reminders/status"),
        permissions=(
            table("BatchGetItem", "Query", indexes=("gsi2",)),
            secret(JWT),
        ),
    ),
    Function(
        "SetDebtReminderSteps",
        handler="functions/reminders/set_debt_reminder_steps.handler",
        event=Http("PUT /debts/{id}/reminder-steps"),
        permissions=(
            table("BatchGetItem", "PutItem"),
            secret(JWT),
        ),
    ),
    Function(
        "ClearDebtReminderSteps",
        handler="functions/reminders/clear_debt_reminder_steps.handler",
        event=Http("DELETE /debts/{id}/reminder-steps"),
        permissions=(
            table("BatchGetItem", "PutItem"),
            secret(JWT),
        ),
    ),
    Function(
        "RemindDebt",
        handler="functions/reminders/remind_debt.handler",
        event=Http("POST /debts/{id}/remind"),
        permissions=(
            table("BatchGetItem", "GetItem", "PutItem", "UpdateItem"),
            secret(JWT),
            send_to(REMINDER_QUEUE),
        ),
    ),
    Function(
        "RemindDebts",
        handler="functions/reminders/remind_debts.handler",
        event=Http("POST /debts/remind"),
        permissions=(
            table("BatchGetItem", "GetItem", "PutItem", "UpdateItem"),
            secret(JWT),
            send_to(REMINDER_QUEUE),
        ),
    ),
    Function(
        "ReminderPlanner",
        handler="functions/reminders/planner.handler",
        event=Schedule(Ref("ReminderSchedule"), "Plan the reminders that are due."),
        permissions=(
            table("Query", "BatchGetItem", "PutItem", "UpdateItem", indexes=("gsi5",)),
            send_to(REMINDER_QUEUE),
        ),
        memory=1024,
        timeout=300,
    ),
    Function(
        "ReminderSender",
        handler="functions/reminders/sender.handler",
        event=Consume(REMINDER_QUEUE, batch_size=10),
        permissions=(
            table("GetItem", "BatchGetItem", "Query", "PutItem", "UpdateItem", "DeleteItem"),
            secret(BREVO_API_KEY, JWT, PAGE_LINK),
        ),
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
        settings=(STRIPE_CHECKOUT_ORIGIN,),  # the page's CSP lets its Pay form go there only
    ),
    Function(
        "OptOut",
        handler="functions/reminders/opt_out.handler",
        event=Http("POST /u/{token}", throttle=Throttle(rate=10, burst=20)),
        permissions=(
            table("BatchGetItem", "Query", "PutItem", "UpdateItem", indexes=("gsi3",)),
            secret(PAGE_LINK),
        ),
        settings=(STRIPE_CHECKOUT_ORIGIN,),  # the page's CSP lets its Pay form go there only
    ),
)
