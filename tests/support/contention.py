"""Other writers on an item, as DynamoDB reports them: a transaction that touches it is cancelled with the
reason TransactionConflict (nothing written), the way DynamoDB cancels one while another holds the item.

The emulator runs in this process, so its DynamoDB is wrapped for the duration of `others_writing`. The
emulator itself never answers TransactionConflict: it runs requests one at a time (local/moto_serial.py).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any


@dataclass
class Held:
    """How long the item stays contended, and what happened meanwhile."""

    remaining: int
    attempts: int = 0  # transactions that touched the item
    cancelled: int = 0


def _touches(operation: Mapping[str, Any], key: Mapping[str, str]) -> bool:
    named = operation.get("Key") or operation.get("Item") or {}
    return all(named.get(attribute, {}).get("S") == value for attribute, value in key.items())


@contextmanager
def others_writing(key: Mapping[str, str], *, times: int) -> Iterator[Held]:
    """The next `times` transactions touching the item `key` ({"pk": ..., "sk": ...}) are cancelled."""
    from moto.dynamodb import models
    from moto.dynamodb.exceptions import TransactionCanceledException

    held = Held(times)
    original = models.DynamoDBBackend.transact_write_items

    def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
        operations = [next(iter(entry.values())) for entry in transact_items]
        touching = [_touches(operation, key) for operation in operations]
        if any(touching):
            held.attempts += 1
            if held.remaining > 0:
                held.remaining -= 1
                held.cancelled += 1
                raise TransactionCanceledException(
                    [
                        ("TransactionConflict", "Transaction is ongoing for the item", None)
                        if hit
                        else (None, None, None)
                        for hit in touching
                    ]
                )
        original(self, transact_items)

    models.DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]
    try:
        yield held
    finally:
        models.DynamoDBBackend.transact_write_items = original  # type: ignore[method-assign]
