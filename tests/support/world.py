"""Looking at the emulated world from outside: the table and the Brevo outbox."""

from __future__ import annotations

import os
from typing import Any

from local.brevo import BrevoStandIn
from local.emulator import client


def _dynamodb() -> Any:
    return client("dynamodb", os.environ["AWS_ENDPOINT_URL"])


def all_items() -> list[dict[str, Any]]:
    """Every item in the table. Tests may scan the emulator; the application never scans."""
    from collectra.store.codec import from_attributes

    items: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {"TableName": os.environ["TABLE_NAME"]}
    while True:
        page = _dynamodb().scan(**kwargs)
        items.extend(from_attributes(raw) for raw in page["Items"])
        if "LastEvaluatedKey" not in page:
            return items
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def item_count() -> int:
    return len(all_items())


def get_item(key: dict[str, str]) -> dict[str, Any] | None:
    from collectra import store

    return store.get(key, consistent=True)


def messages_to(brevo: BrevoStandIn, address: str) -> list[dict[str, Any]]:
    """Messages the stand-in received for `address`, oldest first."""
    found = [m for m in brevo.outbox() if any(r["email"].lower() == address.lower() for r in m["to"])]
    return list(reversed(found))
