"""What Stripe and Brevo tell Collectra: signed (Stripe) or carrying a token (Brevo); and the hourly check of what
Stripe could not deliver."""

from __future__ import annotations

from stack.base import BREVO_WEBHOOK, LATENESS_QUEUE, STRIPE_API_KEY, STRIPE_WEBHOOK
from stack.blocks import query, secret, send_to, table
from stack.function import Function, Http, Schedule, Throttle
from stack.key_families import PAYMENT_INTENTS, QUOTAS, STRIPE_ACCOUNTS, STRIPE_EVENTS, WORKSPACES

FUNCTIONS = (
    Function(
        "StripeWebhook",
        handler="functions/webhooks/stripe_events.handler",
        event=Http("POST /webhooks/stripe", throttle=Throttle(rate=50, burst=100)),
        permissions=(
            table("GetItem", "BatchGetItem", "PutItem", "UpdateItem", "DeleteItem"),
            query("gsi5"),  # a payment that went resolves a failed one and an "already paid" claim in the inbox
            send_to(LATENESS_QUEUE),  # debtors whose debts' forecast moves (debts.lateness)
            secret(STRIPE_WEBHOOK, STRIPE_API_KEY),
        ),
        keys=(PAYMENT_INTENTS, STRIPE_ACCOUNTS, STRIPE_EVENTS, WORKSPACES),
    ),
    Function(
        "StripeEventsCheck",
        handler="functions/webhooks/stripe_events_check.handler",
        event=Schedule("rate(1 hour)", "Apply the Stripe events Stripe could not deliver to the webhook."),
        # What the webhook's rules touch when they apply an event (collectra.payments.unprocessed replays them).
        permissions=(
            table("GetItem", "BatchGetItem", "PutItem", "UpdateItem", "DeleteItem"),
            query("gsi5"),
            send_to(LATENESS_QUEUE),
            secret(STRIPE_API_KEY),
        ),
        keys=(PAYMENT_INTENTS, STRIPE_ACCOUNTS, STRIPE_EVENTS, WORKSPACES),
        timeout=300,  # a request or two per connected account, one after the other
    ),
    Function(
        "BrevoWebhook",
        handler="functions/webhooks/brevo_events.handler",
        event=Http("POST /webhooks/brevo", throttle=Throttle(rate=50, burst=100)),
        permissions=(
            table("BatchGetItem", "PutItem", "UpdateItem"),
            query("gsi2", "gsi3"),
            secret(BREVO_WEBHOOK),
        ),
        keys=(QUOTAS, WORKSPACES),
    ),
)
