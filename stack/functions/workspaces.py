"""The workspace, its team and its home summary."""

from __future__ import annotations

from stack.base import BREVO_API_KEY, JWT
from stack.blocks import query, secret, table
from stack.function import Function, Http
from stack.key_families import EMAILS, QUOTAS, REMINDER_ENGINE, SIGNED_IN, THROTTLES, TOKENS

FUNCTIONS = (
    Function(
        "InviteMember",
        handler="functions/workspaces/invite_member.handler",
        event=Http("POST /workspace/members"),
        permissions=(
            # Query: the workspace's owners, while none is marked verified yet (workspaces/sending_rights.py).
            table("BatchGetItem", "GetItem", "PutItem", "DeleteItem", "Query"),
            secret(JWT, BREVO_API_KEY),
        ),
        keys=(EMAILS, THROTTLES, TOKENS, *SIGNED_IN),
    ),
    Function(
        "ListMembers",
        handler="functions/workspaces/list_members.handler",
        event=Http("GET /workspace/members"),
        permissions=(
            table("BatchGetItem", "Query"),
            secret(JWT),
        ),
        keys=SIGNED_IN,
    ),
    Function(
        "GetMember",
        handler="functions/workspaces/get_member.handler",
        event=Http("GET /workspace/members/{id}"),
        permissions=(
            table("BatchGetItem"),
            secret(JWT),
        ),
        keys=SIGNED_IN,
    ),
    Function(
        "UpdateMember",
        handler="functions/workspaces/update_member.handler",
        event=Http("PATCH /workspace/members/{id}"),
        permissions=(
            table("BatchGetItem", "UpdateItem"),
            secret(JWT),
        ),
        keys=SIGNED_IN,
    ),
    Function(
        "RemoveMember",
        handler="functions/workspaces/remove_member.handler",
        event=Http("DELETE /workspace/members/{id}"),
        permissions=(
            table("BatchGetItem", "Query", "UpdateItem", "DeleteItem"),
            secret(JWT),
        ),
        keys=(TOKENS, *SIGNED_IN),
    ),
    Function(
        "RevokeInvitation",
        handler="functions/workspaces/revoke_invitation.handler",
        event=Http("DELETE /workspace/invitations/{id}"),
        permissions=(
            table("BatchGetItem", "Query", "DeleteItem"),
            secret(JWT),
        ),
        keys=(TOKENS, *SIGNED_IN),
    ),
    Function(
        "GetWorkspace",
        handler="functions/workspaces/get_workspace.handler",
        event=Http("GET /workspace"),
        permissions=(
            table("BatchGetItem"),
            secret(JWT),
        ),
        keys=SIGNED_IN,
    ),
    Function(
        "UpdateWorkspace",
        handler="functions/workspaces/update_workspace.handler",
        event=Http("PATCH /workspace"),
        permissions=(
            table("BatchGetItem", "UpdateItem"),
            secret(JWT),
        ),
        keys=SIGNED_IN,
    ),
    Function(
        "WorkspaceSummary",
        handler="functions/workspaces/summary.handler",
        event=Http("GET /workspace/summary"),
        permissions=(
            table("BatchGetItem", "Query"),
            query("gsi1", "gsi2"),
            secret(JWT),
        ),
        keys=(QUOTAS, REMINDER_ENGINE, *SIGNED_IN),
    ),
)
