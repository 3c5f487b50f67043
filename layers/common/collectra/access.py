"""Who may do what: the one permission table every handler consults.

`ROUTES` names the permission each HTTP route needs (`None`: no sign-in, the route checks its own
secret: a password, an emailed token, a page link, a webhook signature). `current_principal` looks the
route up by API Gateway's `routeKey`, so a handler cannot forget its check, and a test walks every
route of the template with every role against this table.
"""

from __future__ import annotations

from enum import StrEnum

from collectra.errors import Forbidden


class Role(StrEnum):
    OWNER = "owner"
    ADMIN = "admin"
    MEMBER = "member"


_EVERYONE = frozenset(Role)
_MANAGERS = frozenset({Role.OWNER, Role.ADMIN})
_OWNERS = frozenset({Role.OWNER})

PERMISSIONS: dict[str, frozenset[Role]] = {
    "account:read": _EVERYONE,
    "account:update": _EVERYONE,
    "workspace:read": _EVERYONE,
    # Settings, the reminder policy and the Stripe connection.
    "workspace:update": _MANAGERS,
    "workspace:delete": _OWNERS,
    # What an export holds beyond the caller's own account: the whole workspace.
    "workspace:export": _MANAGERS,
    "members:read": _EVERYONE,
    "members:manage": _MANAGERS,
    # Making someone an owner, or changing what an owner is.
    "members:owners": _OWNERS,
    "debtors:read": _EVERYONE,
    "debtors:write": _EVERYONE,
    "debts:read": _EVERYONE,
    "debts:write": _EVERYONE,
}

ROUTES: dict[str, str | None] = {
    # Signing up and in, and the emailed links: no session yet.
    "POST /auth/signup": None,
    "POST /auth/login": None,
    "POST /auth/refresh": None,
    "POST /auth/logout": None,
    "POST /auth/verify-email": None,
    "POST /auth/email/confirm": None,
    "POST /auth/email/cancel": None,
    "POST /auth/password/forgot": None,
    "POST /auth/password/reset": None,
    "POST /auth/invitations/accept": None,
    # The signed-in user's own account.
    "GET /auth/me": "account:read",
    "PATCH /auth/me": "account:update",
    "PUT /auth/preferences": "account:update",
    "POST /auth/password/change": "account:update",
    "POST /auth/verify-email/resend": "account:update",
    "GET /auth/workspaces": "account:read",
    "POST /auth/switch-workspace": "account:read",
    # An export always holds the caller's account; the workspace too when their role has workspace:export.
    "POST /account/export": "account:read",
    "GET /account/export/{id}": "account:read",
    "DELETE /account": "account:update",
    # The workspace.
    "GET /workspace": "workspace:read",
    "PATCH /workspace": "workspace:update",
    "GET /workspace/stripe": "workspace:read",
    "POST /workspace/stripe/connect": "workspace:update",
    "GET /workspace/reminder-policy": "workspace:read",
    "PUT /workspace/reminder-policy": "workspace:update",
    "POST /workspace/reminder-templates/preview": "workspace:read",
    "GET /workspace/reminders/status": "workspace:read",
    # The home screen: figures about debts, their payments and debtors' messages, so what a debt reader may see.
    "GET /workspace/summary": "debts:read",
    "GET /workspace/analytics/aging": "debts:read",
    "GET /workspace/analytics/export.csv": "debts:read",
    # Figures about debts and their payments, in sums: what a debt reader may see.
    "GET /workspace/analytics/summary": "debts:read",
    "DELETE /workspace": "workspace:delete",
    # The team.
    "GET /workspace/members": "members:read",
    "GET /workspace/members/{id}": "members:read",
    "POST /workspace/members": "members:manage",
    "PATCH /workspace/members/{id}": "members:manage",
    "DELETE /workspace/members/{id}": "members:manage",
    "DELETE /workspace/invitations/{id}": "members:manage",
    # A member's own notification emails: each member chooses for themselves, whatever their role.
    "GET /workspace/members/me/notifications": "account:read",
    "PATCH /workspace/members/me/notifications": "account:update",
    # Debtors and debts.
    "POST /debtors": "debtors:write",
    "GET /debtors": "debtors:read",
    "GET /debtors/{id}": "debtors:read",
    "PATCH /debtors/{id}": "debtors:write",
    "DELETE /debtors/{id}": "debtors:write",
    "POST /debtors/{id}/link": "debtors:write",
    "DELETE /debtors/{id}/link": "debtors:write",
    "POST /debts": "debts:write",
    "GET /debts": "debts:read",
    "POST /debts/import": "debts:write",
    "POST /debts/remind": "debts:write",
    "GET /debts/{id}": "debts:read",
    "PATCH /debts/{id}": "debts:write",
    "GET /debts/{id}/timeline": "debts:read",
    "POST /debts/{id}/payments": "debts:write",
    "POST /debts/{id}/pause": "debts:write",
    "POST /debts/{id}/promise": "debts:write",
    "DELETE /debts/{id}/promise": "debts:write",
    "POST /debts/{id}/resume": "debts:write",
    "POST /debts/{id}/cancel": "debts:write",
    "POST /debts/{id}/write-off": "debts:write",
    "POST /debts/{id}/dispute": "debts:write",
    "POST /debts/{id}/reopen": "debts:write",
    "POST /debts/{id}/waiver": "debts:write",
    "POST /debts/{id}/remind": "debts:write",
    "PUT /debts/{id}/reminder-steps": "debts:write",
    "DELETE /debts/{id}/reminder-steps": "debts:write",
    # Payment plans: offered and decided by those who manage debts.
    "POST /debtors/{id}/plans": "debts:write",
    "GET /debtors/{id}/plans": "debts:read",
    "GET /plans/{id}": "debts:read",
    "POST /plans/{id}/approve": "debts:write",
    "POST /plans/{id}/decline": "debts:write",
    "POST /plans/{id}/cancel": "debts:write",
    # The inbox: what needs a person about debts and debtors, so what a debt reader sees and a debt writer does.
    "GET /workspace/inbox": "debts:read",
    "PATCH /workspace/inbox/{id}": "debts:write",
    "POST /workspace/inbox/{id}/answer": "debts:write",
    # The debtor's page and opt-out (a page link), and the providers' webhooks (a signature).
    "GET /p/{token}": None,
    "POST /p/{token}/answer": None,
    "POST /p/{token}/pay": None,
    "POST /p/{token}/plan": None,
    "POST /p/{token}/plan/automatic": None,
    "GET /u/{token}": None,
    "POST /u/{token}": None,
    # A member's unsubscribe link (signed; no sign-in, as RFC 8058's one-click asks).
    "GET /n/{token}": None,
    "POST /n/{token}": None,
    "POST /webhooks/stripe": None,
    "POST /webhooks/brevo": None,
}


def allowed(role: str, permission: str) -> bool:
    return role in PERMISSIONS[permission]


def require(role: str, permission: str) -> None:
    if not allowed(role, permission):
        raise Forbidden("Your role in this workspace does not allow this.", code="insufficient_role")


def route_permission(route_key: str) -> str:
    """The permission a signed-in route needs; a route missing from the table is refused, never let through."""
    permission = ROUTES.get(route_key)
    if permission is None:
        raise Forbidden("This route is not open to signed-in callers.", code="route_not_permitted")
    return permission
