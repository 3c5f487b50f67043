"""Telling the team: members' notification choices, the daily digest run and the notifier, the unsubscribe link."""

from __future__ import annotations

from stack.base import BREVO_API_KEY, JWT, NOTIFY_QUEUE, PAGE_LINK, STRIPE_CHECKOUT_ORIGIN
from stack.blocks import query, secret, send_to, table
from stack.function import Consume, Function, Http, Schedule, Throttle
from stack.intrinsics import Ref
from stack.key_families import DIGEST_SCHEDULE, SIGNED_IN, USERS, WORKSPACES

FUNCTIONS = (
    Function(
        "GetNotifications",
        handler="functions/digest/get_notifications.handler",
        event=Http("GET /workspace/members/me/notifications"),
        permissions=(
            table("BatchGetItem", "GetItem"),  # GetItem: the caller's membership, where the choices are
            secret(JWT),
        ),
        keys=SIGNED_IN,
    ),
    Function(
        "UpdateNotifications",
        handler="functions/digest/update_notifications.handler",
        event=Http("PATCH /workspace/members/me/notifications"),
        permissions=(
            table("BatchGetItem", "GetItem", "UpdateItem"),
            secret(JWT),
        ),
        keys=SIGNED_IN,
    ),
    Function(
        "DigestRun",
        handler="functions/digest/digest_run.handler",
        event=Schedule(Ref("DigestSchedule"), "Queue the members' daily digests that are due."),
        permissions=(
            # BatchGetItem: the workspaces (their time zones); UpdateItem: each member's next digest.
            table("BatchGetItem", "UpdateItem"),
            query("gsi1"),
            send_to(NOTIFY_QUEUE),
        ),
        keys=(DIGEST_SCHEDULE, WORKSPACES),
        timeout=60,
    ),
    Function(
        "Notifier",
        handler="functions/digest/notifier.handler",
        event=Consume(NOTIFY_QUEUE, batch_size=10),
        permissions=(
            # Query: the workspace's members (a dispute's alert); on gsi1, its ledger and inbox of the day.
            table("BatchGetItem", "Query", "PutItem", "DeleteItem"),
            query("gsi1"),
            secret(BREVO_API_KEY, PAGE_LINK),
        ),
        keys=(USERS, WORKSPACES),
        timeout=120,
    ),
    Function(
        "UnsubscribePage",
        handler="functions/digest/unsubscribe_page.handler",
        event=Http("GET /n/{token}", throttle=Throttle(rate=10, burst=20)),
        permissions=(
            table("BatchGetItem"),
            secret(PAGE_LINK),
        ),
        keys=(WORKSPACES,),
        settings=(STRIPE_CHECKOUT_ORIGIN,),  # every page's CSP names it (collectra.http.pages)
    ),
    Function(
        "Unsubscribe",
        handler="functions/digest/unsubscribe.handler",
        event=Http("POST /n/{token}", throttle=Throttle(rate=10, burst=20)),
        permissions=(
            table("BatchGetItem", "UpdateItem"),
            secret(PAGE_LINK),
        ),
        keys=(USERS, WORKSPACES),  # the choice on both sides of the membership
        settings=(STRIPE_CHECKOUT_ORIGIN,),  # every page's CSP names it (collectra.http.pages)
    ),
)
