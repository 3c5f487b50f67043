"""Looking at the emulated world from outside: the table and the Brevo outbox."""

from __future__ import annotations

import os
from typing import Any

from collectra import config
from local.brevo import BrevoStandIn
from local.emulator import client


def _dynamodb() -> Any:
    return client("dynamodb", os.environ["AWS_ENDPOINT_URL"])


def _table() -> Any:
    from moto.core.models import DEFAULT_ACCOUNT_ID
    from moto.dynamodb.models import dynamodb_backends

    backend = dynamodb_backends[DEFAULT_ACCOUNT_ID][os.environ.get("AWS_DEFAULT_REGION", "us-east-1")]
    return backend.get_table(config.table_name())


def all_items(pk_prefix: str = "") -> list[dict[str, Any]]:
    """Every item in the table (or in the partitions whose key starts with `pk_prefix`), by key. Tests may look at
    the whole emulator; the application never scans.

    Read from moto's own memory (it runs in this process): a Scan through the API walks the whole table
    once per 1 MB page, which made each "writes nothing" check cost seconds as the session's table grew. Only the
    partitions asked for are decoded, and moto's own listing (which sorts the whole table) is not used.
    """
    from collectra.store.codec import from_attributes

    partitions = list(_table().items.items())
    items = [
        from_attributes(item.to_json()["Attributes"])
        for key, partition in partitions
        if str(key.value).startswith(pk_prefix)
        for item in list(partition.values())
    ]
    return sorted(items, key=lambda item: (item["pk"], item["sk"]))


def scanned_items() -> list[dict[str, Any]]:
    """Every item, through the DynamoDB API (a Scan), for the test that checks the fast way agrees."""
    from collectra.store.codec import from_attributes

    items: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {"TableName": config.table_name()}
    while True:
        page = _dynamodb().scan(**kwargs)
        items.extend(from_attributes(raw) for raw in page["Items"])
        if "LastEvaluatedKey" not in page:
            return items
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def item_count() -> int:
    return sum(len(partition) for partition in list(_table().items.values()))


def get_item(key: dict[str, str]) -> dict[str, Any] | None:
    from collectra import store

    return store.get(key, consistent=True)


def existing_item(key: dict[str, str]) -> dict[str, Any]:
    """The item at `key`, which the test expects to be there: its absence fails the test, naming the key."""
    item = get_item(key)
    assert item is not None, f"no item at {key}"
    return item


def messages_to(brevo: BrevoStandIn, address: str) -> list[dict[str, Any]]:
    """Messages the stand-in received for `address`, oldest first."""
    found = [m for m in brevo.outbox() if any(r["email"].lower() == address.lower() for r in m["to"])]
    return list(reversed(found))
