"""The inbox as the list shows it: one page of a state's items (of a kind, of an assignee), named, and the count.

A page costs one Query of the list's index (gsi1 projects every attribute; the narrower lists' items come in one
BatchGetItem), one BatchGetItem naming the page's debtors and debts, and one Select=COUNT Query for the open
count: three calls, four with a filter.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from collectra import store
from collectra.inbox import items
from collectra.inbox.items import InboxItem
from collectra.listing import decode_cursor, encode_cursor
from collectra.store import keys

_INDEX = {(False, False): "gsi1", (True, False): "gsi2", (False, True): "gsi3", (True, True): "gsi4"}


def page(
    workspace_id: str,
    *,
    state: str,
    kind: str | None,
    assignee_id: str | None,
    cursor: str | None,
    limit: int,
) -> tuple[list[InboxItem], str | None]:
    """Up to `limit` items, newest first, and the cursor of the next page (None on the last)."""
    index = _INDEX[(kind is not None, assignee_id is not None)]
    partition = keys.inbox_items(workspace_id, state, kind=kind, assignee_id=assignee_id)
    found = store.query(
        f"{index}pk = :pk",
        {":pk": partition},
        index=index,
        limit=limit,
        start_key=decode_cursor(cursor, index=index, partition=partition),
        forward=False,
    )
    return cast(list[InboxItem], store.whole(found.items, index=index)), encode_cursor(found.last_key)


def shown(workspace_id: str, listed: Sequence[InboxItem]) -> list[dict[str, Any]]:
    """The items as the API shows them, with their debtors' names and their debts' invoice numbers (one
    BatchGetItem for the whole page)."""
    debtor_ids = sorted({item["debtor_id"] for item in listed})
    debt_ids = sorted({item["debt_id"] for item in listed if item["debt_id"]})
    found = store.batch_get(
        [keys.debtor(workspace_id, i) for i in debtor_ids] + [keys.debt(workspace_id, i) for i in debt_ids]
    )
    debtors = {i: record for i, record in zip(debtor_ids, found[: len(debtor_ids)], strict=True) if record}
    debts = {i: record for i, record in zip(debt_ids, found[len(debtor_ids) :], strict=True) if record}
    return [view(item, debtors.get(item["debtor_id"]), debts.get(item["debt_id"] or "")) for item in listed]


def view(item: InboxItem, debtor: dict[str, Any] | None, debt: dict[str, Any] | None) -> dict[str, Any]:
    shape = {
        name: item.get(name)
        for name in (
            "id",
            "kind",
            "state",
            "debtor_id",
            "debt_id",
            "detail",
            "assignee_id",
            "created_at",
            "updated_at",
            "closed_at",
            "closed_reason",
        )
    }
    shape["invoice_number"] = debt["invoice_number"] if debt else None
    if debtor and not debtor.get("erased"):
        shape["debtor_name"] = debtor["name"]
    return shape


def listing(
    workspace_id: str,
    *,
    state: str,
    kind: str | None,
    assignee_id: str | None,
    cursor: str | None,
    limit: int,
) -> dict[str, Any]:
    """The answer of GET /workspace/inbox."""
    listed, next_cursor = page(
        workspace_id, state=state, kind=kind, assignee_id=assignee_id, cursor=cursor, limit=limit
    )
    return {
        "items": shown(workspace_id, listed),
        "next_cursor": next_cursor,
        "open_count": items.open_count(workspace_id),
    }
