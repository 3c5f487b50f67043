"""local/moto_query.py: a Query of a table reads its partition only, and answers exactly as moto does."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from local.emulator import Emulator, client


def _table(dynamodb: Any, name: str) -> None:
    dynamodb.create_table(
        TableName=name,
        AttributeDefinitions=[
            {"AttributeName": attribute, "AttributeType": "S"} for attribute in ("pk", "sk", "gsi1pk", "gsi1sk")
        ],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "gsi1",
                "KeySchema": [
                    {"AttributeName": "gsi1pk", "KeyType": "HASH"},
                    {"AttributeName": "gsi1sk", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    for partition in ("A", "B", "C"):
        for n in range(30):
            item = {"pk": {"S": partition}, "sk": {"S": f"{'T' if n % 2 else 'L'}#{n:03d}"}, "n": {"N": str(n)}}
            if n % 3 == 0:
                item |= {"gsi1pk": {"S": "ALL"}, "gsi1sk": {"S": f"{n:03d}{partition}"}}
            dynamodb.put_item(TableName=name, Item=item)


QUERIES: list[dict[str, Any]] = [
    {"KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": {":p": {"S": "B"}}},
    {"KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": {":p": {"S": "B"}}, "Limit": 7},
    {
        "KeyConditionExpression": "pk = :p AND begins_with(sk, :t)",
        "ExpressionAttributeValues": {":p": {"S": "C"}, ":t": {"S": "T#"}},
        "ScanIndexForward": False,
        "Limit": 4,
        "ExclusiveStartKey": {"pk": {"S": "C"}, "sk": {"S": "T#021"}},
    },
    {"KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": {":p": {"S": "nobody"}}},
    {"KeyConditionExpression": "gsi1pk = :p", "ExpressionAttributeValues": {":p": {"S": "ALL"}}, "IndexName": "gsi1"},
    {
        "KeyConditionExpression": "gsi1pk = :p AND gsi1sk < :s",
        "ExpressionAttributeValues": {":p": {"S": "ALL"}, ":s": {"S": "020"}},
        "IndexName": "gsi1",
        "ScanIndexForward": False,
        "Limit": 5,
    },
    {
        "KeyConditionExpression": "gsi1pk = :p",
        "ExpressionAttributeValues": {":p": {"S": "ALL"}},
        "IndexName": "gsi1",
        "Limit": 4,
        "ExclusiveStartKey": {"pk": {"S": "B"}, "sk": {"S": "L#006"}, "gsi1pk": {"S": "ALL"}, "gsi1sk": {"S": "006B"}},
    },
    {"KeyConditionExpression": "gsi1pk = :p", "ExpressionAttributeValues": {":p": {"S": "none"}}, "IndexName": "gsi1"},
]


def _answers(dynamodb: Any, name: str, listed: list[list[int]]) -> list[Any]:
    answers = []
    for query in QUERIES:
        listed.append([])
        answer = dynamodb.query(TableName=name, **query)
        answers.append({key: answer.get(key) for key in ("Items", "Count", "LastEvaluatedKey")})
    return answers


def test_a_partitions_query_answers_as_moto_does_without_reading_the_table(monkeypatch: pytest.MonkeyPatch) -> None:
    from moto.dynamodb.models.table import Table

    def counting(listing: Any, listed: list[list[int]]) -> Any:
        def all_items(self: Any) -> Any:
            found = listing(self)
            if self.name == name:
                listed[-1].append(len(found))
            return found

        return all_items

    name = f"q-{uuid.uuid4().hex[:8]}"
    with Emulator(port=0) as emulator:  # queries by partition, as every emulator here does
        dynamodb = client("dynamodb", emulator.url)
        _table(dynamodb, name)
        fast_listed: list[list[int]] = []
        patched = Table.all_items
        monkeypatch.setattr(Table, "all_items", counting(patched, fast_listed))
        fast = _answers(dynamodb, name, fast_listed)

        own_listed: list[list[int]] = []  # moto's own query, as it is without the speed-up
        # local.moto_query hangs `moto_original` on its replacements, an attribute no type declares.
        monkeypatch.setattr(Table, "query", Table.query.moto_original)  # type: ignore[attr-defined]
        monkeypatch.setattr(Table, "all_items", counting(patched.moto_original, own_listed))  # type: ignore[attr-defined]
        expected = _answers(dynamodb, name, own_listed)
        monkeypatch.undo()
        dynamodb.delete_table(TableName=name)

    assert fast == expected and expected[1]["LastEvaluatedKey"] and expected[2]["Count"] == 4
    assert (expected[5]["Count"], expected[6]["Count"], expected[7]["Count"]) == (5, 4, 0)
    # Each table Query lists its partition's 30 items (or none), never the table's 90; an index's goes through
    # them all but hands moto only the 30 its key names (or none), for moto to sort.
    assert [set(sizes) for sizes in fast_listed] == [{30}, {30}, {30}, {0}, {30}, {30}, {30}, {0}]
    assert {size for sizes in own_listed for size in sizes} == {90}
