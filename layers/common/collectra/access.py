"""Who may do what: the one permission table every handler consults."""

from __future__ import annotations

from enum import StrEnum

from collectra.errors import Forbidden


class Role(StrEnum):
    OWNER = "owner"
    ADMIN = "admin"
    MEMBER = "member"


_EVERYONE = frozenset(Role)
_MANAGERS = frozenset({Role.OWNER, Role.ADMIN})

PERMISSIONS: dict[str, frozenset[Role]] = {
    "account:read": _EVERYONE,
    "account:update": _EVERYONE,
    "workspace:read": _EVERYONE,
    "workspace:update": _MANAGERS,
    "debtors:read": _EVERYONE,
    "debtors:write": _EVERYONE,
    "debts:read": _EVERYONE,
    "debts:write": _EVERYONE,
}


def allowed(role: str, permission: str) -> bool:
    return role in PERMISSIONS[permission]


def require(role: str, permission: str) -> None:
    if not allowed(role, permission):
        raise Forbidden("Your role in this workspace does not allow this.", code="insufficient_role")
