"""Every function that may touch the table names the key families it may touch, and the families are exactly
the partitions collectra/store/keys.py makes."""

from __future__ import annotations

import inspect
from collections.abc import Iterator

from collectra.store import keys
from stack import all_functions
from stack.key_families import ALL

# An erasure job is kept in its subject's own partition, which the caller passes (a workspace's, here).
SAMPLES: dict[str, object] = {"int": 1, "partition": "WS#x"}


def sample(parameter: inspect.Parameter) -> object:
    return SAMPLES.get(parameter.name, SAMPLES.get(str(parameter.annotation), "x"))


def partitions_keys_makes() -> Iterator[tuple[str, str]]:
    """(function, the partition key it makes) for each function of keys.py that makes one, called with sample
    arguments (`reminder_shard` picks a shard's number, whose partition `reminders_due` makes)."""
    for name, make in inspect.getmembers(keys, inspect.isfunction):
        if name.startswith("_") or make.__module__ != keys.__name__:
            continue
        parameters = inspect.signature(make).parameters.values()
        arguments = [sample(p) for p in parameters if p.kind is not inspect.Parameter.KEYWORD_ONLY]
        keywords = {p.name: sample(p) for p in parameters if p.kind is inspect.Parameter.KEYWORD_ONLY}
        made = make(*arguments, **keywords)
        if isinstance(made, dict):
            yield name, made["pk"]
        elif isinstance(made, str):
            yield name, made


def test_every_partition_keys_makes_belongs_to_one_family() -> None:
    outside = [f"{name}: {partition}" for name, partition in partitions_keys_makes() if not partition.startswith(ALL)]
    assert outside == [], "name these partitions' family in stack/key_families.py"


def test_every_family_is_a_partition_keys_makes() -> None:
    made = [partition for _, partition in partitions_keys_makes()]
    assert [family for family in ALL if not any(partition.startswith(family) for partition in made)] == []


def test_every_function_with_a_table_permission_names_its_key_families() -> None:
    unnamed = [
        function.name
        for function in all_functions()
        if any(block.statement.service == "dynamodb" for block in function.permissions) and not function.keys
    ]
    assert unnamed == []
    assert [
        (function.name, family) for function in all_functions() for family in function.keys if family not in ALL
    ] == []
