"""The workspace, its team and its home summary."""

from __future__ import annotations

from stack.base import BREVO_API_KEY, JWT
from stack.blocks import secret, table
from stack.function import Function, Http

FUNCTIONS = (
    Function(
        "InviteMember",
        handler="functions/workspaces/invite_member.handler",
        event=Http("POST /workspace/members"),
        permissions=(
            table("BatchGetItem", "GetItem", "PutItem", "DeleteItem"),
            secret(JWT, BREVO_API_KEY),
        ),
    ),
    Function(
        "ListMembers",
        handler="functions/workspaces/list_members.handler",
        event=Http("GET /workspace/members"),
        permissions=(
            table("BatchGetItem", "Query"),
            secret(JWT),
        ),
    ),
    Function(
        "GetMember",
        handler="functions/workspaces/get_member.handler",
        event=Http("GET /workspace/members/{id}"),
        permissions=(
            table("BatchGetItem"),
            secret(JWT),
        ),
    ),
    Function(
        "UpdateMember",
        handler="functions/workspaces/update_member.handler",
        event=Http("PATCH /workspace/members/{id}"),
        permissions=(
            table("BatchGetItem", "UpdateItem"),
            secret(JWT),
        ),
    ),
    Function(
        "RemoveMember",
        handler="functions/workspaces/remove_member.handler",
        event=Http("DELETE /workspace/members/{id}"),
        permissions=(
            table("BatchGetItem", "Query", "UpdateItem", "DeleteItem"),
            secret(JWT),
        ),
    ),
    Function(
        "RevokeInvitation",
        handler="functions/workspaces/revoke_invitation.handler",
        event=Http("DELETE /workspace/invitations/{id}"),
        permissions=(
            table("BatchGetItem", "Query", "DeleteItem"),
            secret(JWT),
        ),
    ),
    Function(
        "GetWorkspace",
        handler="functions/workspaces/get_workspace.handler",
        event=Http("GET /workspace"),
        permissions=(
            table("BatchGetItem"),
            secret(JWT),
        ),
    ),
    Function(
        "UpdateWorkspace",
        handler="functions/workspaces/update_workspace.handler",
        event=Http("PATCH /workspace"),
        permissions=(
            table("BatchGetItem", "UpdateItem"),
            secret(JWT),
        ),
    ),
    Function(
        "WorkspaceSummary",
        handler="functions/workspaces/summary.handler",
        event=Http("GET /workspace/summary"),
        permissions=(
            table("BatchGetItem", "Query", indexes=("gsi1", "gsi2")),
            secret(JWT),
        ),
    ),
)
