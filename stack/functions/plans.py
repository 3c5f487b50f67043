"""Payment plans: the instalment scheduler."""

from __future__ import annotations

from stack.base import BREVO_API_KEY, PAGE_LINK, STRIPE_API_KEY
from stack.blocks import query, secret, table
from stack.function import Function, Schedule
from stack.intrinsics import Ref
from stack.key_families import PLANS_SCHEDULE, QUOTAS, USERS, WORKSPACES

FUNCTIONS = (
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
        keys=(PLANS_SCHEDULE, QUOTAS, USERS, WORKSPACES),
        timeout=300,
    ),
)
