"""The inbox: what needs a person."""

from __future__ import annotations

from stack.base import BREVO_API_KEY, JWT, PAGE_LINK
from stack.blocks import query, secret, table
from stack.function import Function, Http
from stack.key_families import QUOTAS, SIGNED_IN

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
    Function(
        "AnswerQuestion",
        handler="functions/inbox/answer_question.handler",
        event=Http("POST /workspace/inbox/{id}/answer"),
        permissions=(
            # Query: the workspace's owners while none is marked verified (workspaces/sending_rights.py), the quota's
            # previous day (reminders/quota.py); GetItem: the quota's day; BatchWriteItem: the answer on the
            # timelines of a debtor's open debts beyond what one transaction holds (reminders/answers.py).
            table("BatchGetItem", "GetItem", "PutItem", "UpdateItem", "Query", "BatchWriteItem"),
            query("gsi3"),  # the debtor's open debts, for a question about all of them
            secret(JWT, BREVO_API_KEY, PAGE_LINK),
        ),
        keys=(QUOTAS, *SIGNED_IN),
    ),
)
