"""The signed-in caller as the auth routes show them: who, in which workspace, with which role.

Apart from `workspaces.models`, which every workspace route loads: these views bring `auth.models` along.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import Field

from collectra.auth.models import UserView
from collectra.models import Model
from collectra.workspaces.models import WorkspaceView

if TYPE_CHECKING:
    from collectra.auth.principal import Principal


class SessionView(Model):
    """Who is signed in, in which workspace, with which role."""

    user: UserView
    workspace: WorkspaceView
    role: str

    @classmethod
    def of(cls, principal: Principal) -> SessionView:
        return cls(
            user=UserView.model_validate(principal.user),
            workspace=WorkspaceView.of(principal.workspace),
            role=principal.role,
        )


class ProfileView(Model):
    session: SessionView
    email_change_sent_to: str | None = Field(
        description="Where the confirmation link went; the account keeps its address until it is used"
    )


class MyWorkspaceView(Model):
    id: str
    name: str
    role: str
    current: bool


class MyWorkspacesView(Model):
    workspaces: list[MyWorkspaceView]
