"""The API's routes in a few groups, each with its own error rate and latency budget (the `route_group` dimension
of `ApiRequests`, `Api4xx`, `Api5xx`, `ApiLatency`; stack/alarms/api.py alarms on them per group).

Groups follow who is waiting and what they can bear: the debtor's pages (`/p/`, `/u/`, `/n/`: every page or form
reached from an email link without signing in) and the two webhooks matter most; `auth` hashes passwords and is
slow by design. A route belongs to exactly one group; a route of the template that fits none is a test failure
(tests/unit/test_route_groups.py), never a catch-all group.
"""

from __future__ import annotations

GROUPS = ("auth", "workspace", "debtors", "debts", "plans", "pages", "stripe_webhook", "brevo_webhook")

# Path prefixes, each a whole segment, in order: the first that matches wins (a debtor's plans are plans).
_PREFIXES = (
    ("/auth", "auth"),
    ("/account", "auth"),  # the signed-in person's own account: deletion (password checked) and export
    ("/workspace", "workspace"),
    ("/debtors/{id}/plans", "plans"),
    ("/debtors", "debtors"),
    ("/debts", "debts"),
    ("/plans", "plans"),
    ("/p", "pages"),
    ("/u", "pages"),
    ("/n", "pages"),
    ("/webhooks/stripe", "stripe_webhook"),
    ("/webhooks/brevo", "brevo_webhook"),
)


def group_of(route_key: str) -> str | None:
    """The group of API Gateway's `routeKey` ("GET /debts/{id}"); None for a route of no group (none of the
    template's is: tests/unit/test_route_groups.py)."""
    path = route_key.partition(" ")[2]
    for prefix, group in _PREFIXES:
        if path == prefix or path.startswith(prefix + "/"):
            return group
    return None
