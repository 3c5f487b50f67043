"""The bench's price of an index write follows DynamoDB's rules for what the index projects."""

from __future__ import annotations

from typing import Any

from bench.cost import Index


def _index(projection: str, included: tuple[str, ...] = ()) -> Index:
    described: dict[str, Any] = {
        "IndexName": "gsi1",
        "KeySchema": [{"AttributeName": "gsi1pk"}, {"AttributeName": "gsi1sk"}],
        "Projection": {"ProjectionType": projection, **({"NonKeyAttributes": list(included)} if included else {})},
    }
    return Index.of(described)


def _item(**attributes: str) -> dict[str, Any]:
    base = {"pk": "WS#1", "sk": "DEBT#1", "gsi1pk": "WS#1#DEBTS", "gsi1sk": "2027-01-01#1", "note": "a"}
    return {name: {"S": value} for name, value in (base | attributes).items()}


def test_a_change_the_index_does_not_hold_costs_it_nothing() -> None:
    before, after = _item(), _item(note="b")
    assert _index("ALL").units(before, after) == 1
    assert _index("KEYS_ONLY").units(before, after) == 0
    assert _index("INCLUDE", ("status",)).units(before, after) == 0
    assert _index("INCLUDE", ("note",)).units(before, after) == 1


def test_a_moved_key_deletes_and_puts_and_an_item_without_keys_is_not_in_the_index() -> None:
    index = _index("KEYS_ONLY")
    assert index.units(_item(), _item(gsi1sk="2027-02-01#1")) == 2
    unlisted = {name: value for name, value in _item().items() if name != "gsi1sk"}
    assert index.units(None, unlisted) == 0
    assert index.units(_item(), unlisted) == 1
    assert index.units(None, _item()) == 1


def test_an_entry_is_priced_by_what_it_projects_plus_100_bytes() -> None:
    big = _item(note="x" * 2800)
    assert _index("ALL").units(None, big) == 3
    assert _index("KEYS_ONLY").units(None, big) == 1
    assert _index("KEYS_ONLY").entry_size(_item()) == 100 + sum(
        len(name) + len(value["S"]) for name, value in _item().items() if name != "note"
    )
