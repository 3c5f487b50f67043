"""Who is calling: the signed-in user, their current workspace and role (loaded and checked on every request
by `collectra.workspaces.callers`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from collectra.access import require

if TYPE_CHECKING:
    from collectra.workspaces.records import Workspace


@dataclass(frozen=True)
class Principal:
    user: dict[str, Any]
    workspace: Workspace
    role: str
    session: dict[str, Any]

    @property
    def user_id(self) -> str:
        return str(self.user["id"])

    @property
    def workspace_id(self) -> str:
        return str(self.workspace["id"])

    def require(self, permission: str) -> None:
        require(self.role, permission)
