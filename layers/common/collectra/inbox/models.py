"""What the inbox endpoints accept and answer."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import ConfigDict, Field, StringConstraints

from collectra.fields import as_sent, trim
from collectra.inbox.items import Kind, State
from collectra.models import Model

PAGE_SIZE = 50
MAX_PAGE_SIZE = 50  # a page's debtors and debts are named in one BatchGetItem: 100 keys at most


class InboxItemView(Model):
    id: str
    kind: Kind
    state: State
    debtor_id: str
    debtor_name: str | None = Field(default=None, description="Absent once the debtor is erased")
    debt_id: str | None
    invoice_number: str | None
    detail: dict[str, Any] = Field(description="The few words the list shows: what the debtor wrote, why it failed")
    assignee_id: str | None
    created_at: str
    updated_at: str
    closed_at: str | None
    closed_reason: str | None = Field(
        description="Why it closed: `closed` by a member, or what resolved it (`answered`, `debt_reopened`, ...)"
    )


class InboxList(Model):
    items: list[InboxItemView]
    next_cursor: str | None
    open_count: int = Field(description="How many items are open in the whole workspace, whatever the filters")


class InboxItemChange(Model):
    model_config = ConfigDict(extra="forbid")

    state: State | None = None
    assignee_id: Annotated[str, StringConstraints(min_length=1, max_length=64)] | None = Field(
        default=None, description="A current member's user id; null unassigns"
    )


class InboxAnswer(Model):
    model_config = ConfigDict(extra="forbid")

    message: Annotated[str, trim(2000), StringConstraints(min_length=1, max_length=2000), as_sent(non_blank=True)]
