"""The store's batch read against the emulator: DynamoDB takes at most 100 keys per BatchGetItem."""

from __future__ import annotations

import uuid

from collectra import store
from local.emulator import Emulator


def test_more_than_a_hundred_keys_are_read_in_batches_of_a_hundred_in_order(
    emulator: Emulator, dynamodb_calls: list[str]
) -> None:
    prefix = f"TEST#{uuid.uuid4().hex}"
    keys = [{"pk": prefix, "sk": f"ITEM#{n:03d}"} for n in range(230)]
    for key in keys[::2]:  # every other item exists
        store.put({**key, "n": int(key["sk"][-3:])})
    dynamodb_calls.clear()

    found = store.batch_get([*keys, keys[0]])  # a repeated key is read once, answered twice

    assert dynamodb_calls == ["BatchGetItem"] * 3
    assert [item["n"] if item else None for item in found] == [n if n % 2 == 0 else None for n in range(230)] + [0]
