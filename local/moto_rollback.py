"""An emulator speed-up: moto's TransactWriteItems with a rollback that copies only what it touches.

moto (5.2) deep-copies the whole table once per operation of every transaction, so as to roll back if one
fails: with tens of thousands of items that is seconds per transaction (16 s with 100,000 items), and an
import of 10,000 rows would spend hours in the emulator. Inside `cheap_rollback()`, the copy is of the
items the transaction names instead, and a failed transaction restores those: the same outcome (moto
computes its indexes from the items when queried, so items are all there is to restore). Nothing changes
on the function's side (same calls, same answers); only the emulator's share gets smaller. The emulator
of `make dev` and of the tests runs with it (tests/integration/test_import.py rolls a 30-item transaction
back through it). The rollback restores what the transaction saved at its start, so it is only right
while no other request runs in between: the emulator runs DynamoDB requests one at a time
(`moto_serial.serial_requests`) for that reason.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def cheap_rollback() -> Iterator[None]:
    from moto.dynamodb import models
    from moto.dynamodb.models.dynamo_type import DynamoType
    from moto.dynamodb.models.table import Table

    original = models.DynamoDBBackend.transact_write_items

    class KeepTables:
        """Stands in for the `copy` module inside moto.dynamodb.models: tables are "copied" as themselves."""

        @staticmethod
        def deepcopy(value: Any, memo: Any = None) -> Any:
            return value if isinstance(value, Table) else copy.deepcopy(value, memo)

    def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
        saved = []
        for entry in transact_items:
            for operation in entry.values():
                table = self.tables.get(operation.get("TableName"))
                if table is None:
                    continue
                key = operation.get("Key") or operation.get("Item") or {}
                hash_key = DynamoType(key[table.hash_key_attr])
                range_key = DynamoType(key[table.range_key_attr]) if table.range_key_attr else None
                saved.append((table, hash_key, range_key, copy.deepcopy(table.get_item(hash_key, range_key))))
        try:
            original(self, transact_items)
        except Exception:
            for table, hash_key, range_key, item in reversed(saved):
                if range_key is None:
                    table.items.pop(hash_key, None)
                    if item is not None:
                        table.items[hash_key] = item
                else:
                    table.items[hash_key].pop(range_key, None)
                    if item is not None:
                        table.items[hash_key][range_key] = item
            raise

    setattr(models, "copy", KeepTables)  # noqa: B010 - the module moto's code calls copy.deepcopy on
    models.DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]
    try:
        yield
    finally:
        models.DynamoDBBackend.transact_write_items = original  # type: ignore[method-assign]
        setattr(models, "copy", copy)  # noqa: B010
