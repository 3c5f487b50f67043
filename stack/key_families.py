"""The tenant table's partition-key families (collectra/store/keys.py, and the reminder index's shards), for a
function's declaration to name those it may touch: its DynamoDB statements then allow only items whose partition
key begins with one of them (`dynamodb:LeadingKeys`), so a key-construction bug cannot reach another kind of item.

A Query on an index is authorized on the index's partition key (docs/decisions.md), so a family covers the
index partitions that begin with it too (`WS#<id>#DEBTS` is a WORKSPACES key).
"""

from __future__ import annotations

USERS = "USER#"  # a user's profile, sessions, memberships, exports; the index of their pending tokens
EMAILS = "EMAIL#"  # who owns an email address
WORKSPACES = "WS#"  # everything a workspace owns, and its index partitions
TOKENS = "TOKEN#"  # an emailed one-time token, by its hash
THROTTLES = "THROTTLE#"  # failure counters of a subject (an account, an address)
QUOTAS = "QUOTA#"  # a workspace's daily sending counters
STRIPE_ACCOUNTS = "STRIPE-ACCOUNT#"  # which workspace a connected Stripe account is
PAYMENT_INTENTS = "STRIPE-PI#"  # which payment attempt a PaymentIntent pays
STRIPE_EVENTS = "STRIPE-EVENT#"  # a Stripe event already applied
REMINDER_ENGINE = "REMINDER-ENGINE"  # when the planner last completed a run
UNFINISHED_ERASURES = "ERASURES#UNFINISHED"  # the index of erasures to resume
REMINDER_SCHEDULE = "REMIND#"  # the sharded index of debts due a reminder (`store.keys.reminders_due`)
DIGEST_SCHEDULE = "DIGEST#"  # the sharded index of members whose daily digest is due (`store.keys.digests_due`)
PLAN_SCHEDULE = "PLANS-DUE#"  # the sharded index of payment plans the scheduler looks at (`store.keys.plans_due`)

ALL = (
    USERS,
    EMAILS,
    WORKSPACES,
    TOKENS,
    THROTTLES,
    QUOTAS,
    STRIPE_ACCOUNTS,
    PAYMENT_INTENTS,
    STRIPE_EVENTS,
    REMINDER_ENGINE,
    UNFINISHED_ERASURES,
    REMINDER_SCHEDULE,
    DIGEST_SCHEDULE,
    PLAN_SCHEDULE,
)

# What loading a signed-in caller reads (collectra/auth/principal.py): the user and the session, the membership
# and the workspace.
SIGNED_IN = (USERS, WORKSPACES)
