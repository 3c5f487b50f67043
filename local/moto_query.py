"""An emulator speed-up: moto's Query of a table reads the one partition it names, not the whole table.

moto (5.2) answers every Query by listing and sorting every item of the table (`Table.all_items`), then
keeping those of the partition asked for: a Query costs as much as a Scan, so a data export that reads
100,000 debts' histories (one small partition each) would spend days in the emulator. Inside
`partition_queries()`, a Query of the table itself (not of an index) lists only the items of its
partition: the same items, in the same order, with the same paging, so the same answer. Queries of an
index still go through every item (moto keeps no index), but only the items whose index key matches are
handed to moto, unsorted: moto sorts what it found anyway, so the answer is the same, while sorting the
whole table for every index Query made the test session slow down as its table grew (a scheduler's 16
shard queries sorted it 16 times). Nothing changes on the function's side; only the emulator's share gets
smaller. The emulator of `make dev`, of the tests and of the
benchmarks runs with it (tests/local/test_moto_query.py compares its answers with moto's own).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

# Table.query(hash_key, range_comparison, range_objs, limit, start, forward, projection, index_name, ...)
_INDEX_NAME_POSITION = 7


@contextmanager
def partition_queries() -> Iterator[None]:
    from moto.dynamodb.models.table import Table

    original_query, original_all_items = Table.query, Table.all_items
    asked = threading.local()  # the partition the current thread's Query is reading, if any

    def all_items(self: Any) -> Any:
        index = getattr(asked, "index", None)
        if index is not None and index[0] is self:
            conditions = index[1]
            return [
                item
                for items in list(self.items.values())
                for item in list(items.values())
                if all(_equal(item.attrs.get(name), value) for name, value in conditions)
            ]
        partition = getattr(asked, "partition", None)
        if partition is None or partition[0] is not self:
            return original_all_items(self)
        found = self.items.get(partition[1], {})
        return sorted(found.values(), key=lambda item: item.range_key)

    def query(self: Any, *args: Any, **kwargs: Any) -> Any:
        index_name = args[_INDEX_NAME_POSITION] if len(args) > _INDEX_NAME_POSITION else kwargs.get("index_name")
        hash_key = args[0] if args else kwargs.get("hash_key")
        if index_name and self.range_key_attr:
            conditions = kwargs.get("hash_key_conditions") or _index_hash(self, index_name, hash_key)
            if not conditions:
                return original_query(self, *args, **kwargs)
            asked.index = (self, list(conditions))
            try:
                return original_query(self, *args, **kwargs)
            finally:
                asked.index = None
        if index_name or hash_key is None or not self.range_key_attr:
            return original_query(self, *args, **kwargs)
        asked.partition = (self, hash_key)
        try:
            return original_query(self, *args, **kwargs)
        finally:
            asked.partition = None

    # moto's own, even when this is entered again (a second emulator in one process): for comparing with it.
    query.moto_original = getattr(original_query, "moto_original", original_query)  # type: ignore[attr-defined]
    all_items.moto_original = getattr(original_all_items, "moto_original", original_all_items)  # type: ignore[attr-defined]
    Table.query = query  # type: ignore[method-assign]
    Table.all_items = all_items  # type: ignore[method-assign]
    try:
        yield
    finally:
        Table.query = original_query  # type: ignore[method-assign]
        Table.all_items = original_all_items  # type: ignore[method-assign]


def _index_hash(table: Any, index_name: str, value: Any) -> list[tuple[str, Any]]:
    """The index's hash key condition, for a moto that names only the value."""
    index = next((index for index in table.all_indexes() if index.name == index_name), None)
    if index is None or value is None:
        return []
    return [(key["AttributeName"], value) for key in index.schema if key["KeyType"] == "HASH"][:1]


def _equal(found: Any, value: Any) -> bool:
    return found is not None and found == value  # moto's values cannot be compared with None
