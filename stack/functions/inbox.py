"""The inbox: what needs a person."""

from __future__ import annotations

from stack.base import JWT
from stack.blocks import query, secret, table
from stack.function import Function, Http
from stack.key_families import SIGNED_IN

FUNCTIONS = (
    Function(
        "ListInbox",
        handler="functions/inbox/list_inbox.handler",
        event=Http("GET /workspace/inbox"),
        permissions=(
            table("BatchGetItem"),
            # gsi1-4: a state's items (of a kind, of an assignee); gsi5: the open count.
            query("gsi1", "gsi2", "gsi3", "gsi4", "gsi5"),
            secret(JWT),
        ),
        keys=SIGNED_IN,
    ),
    Function(
        "UpdateInboxItem",
        handler="functions/inbox/update_inbox_item.handler",
        event=Http("PATCH /workspace/inbox/{id}"),
        permissions=(
            # ConditionCheckItem: the assignee's membership, in the change's transaction.
            table("BatchGetItem", "UpdateItem", "ConditionCheckItem"),
            secret(JWT),
        ),
        keys=SIGNED_IN,
    ),
)
