"""The emulator's TransactWriteItems are serializable, as DynamoDB's are, under concurrent requests.

Each transaction adds 1 to a shared counter and claims a marker that only the first claimant gets (every
client races for the same markers): the others are cancelled (ConditionalCheckFailed) and must change
nothing. Whatever the interleaving, the counter ends equal to the number of transactions that succeeded.
While moto's transactions interleaved, a cancelled one restored the items it had saved, losing increments
made meanwhile, and two clients could both claim one marker.
"""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from botocore.exceptions import ClientError

from local.emulator import Emulator, client
from tests.support.interleaving import frequent_switches

CLIENTS = 8
TRANSACTIONS_EACH = 40


def _table(dynamodb: Any) -> str:
    name = f"serial-{uuid.uuid4().hex[:8]}"
    dynamodb.create_table(
        TableName=name,
        AttributeDefinitions=[{"AttributeName": a, "AttributeType": "S"} for a in ("pk", "sk")],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        BillingMode="PAY_PER_REQUEST",
    )
    dynamodb.put_item(TableName=name, Item={"pk": {"S": "C"}, "sk": {"S": "C"}, "n": {"N": "0"}})
    return name


def _claim_and_count(url: str, table: str, worker: int) -> int:
    dynamodb = client("dynamodb", url)
    succeeded = 0
    for n in range(TRANSACTIONS_EACH):
        marker = f"M#{n:03d}"  # every client races for the same marker at about the same time
        try:
            dynamodb.transact_write_items(
                TransactItems=[
                    {
                        "Update": {
                            "TableName": table,
                            "Key": {"pk": {"S": "C"}, "sk": {"S": "C"}},
                            "UpdateExpression": "ADD n :one",
                            "ExpressionAttributeValues": {":one": {"N": "1"}},
                        }
                    },
                    {
                        "Put": {
                            "TableName": table,
                            "Item": {"pk": {"S": "C"}, "sk": {"S": marker}},
                            "ConditionExpression": "attribute_not_exists(pk)",
                        }
                    },
                ]
            )
            succeeded += 1
        except ClientError as error:
            if error.response["Error"]["Code"] != "TransactionCanceledException":
                raise
    return succeeded


def test_concurrent_transactions_add_up_as_if_one_after_the_other() -> None:
    with Emulator(port=0) as emulator:
        dynamodb = client("dynamodb", emulator.url)
        table = _table(dynamodb)

        with frequent_switches(), ThreadPoolExecutor(max_workers=CLIENTS) as pool:
            succeeded = sum(pool.map(lambda w: _claim_and_count(emulator.url, table, w), range(CLIENTS)))

        counter = dynamodb.get_item(TableName=table, Key={"pk": {"S": "C"}, "sk": {"S": "C"}})["Item"]["n"]["N"]
        assert succeeded == TRANSACTIONS_EACH  # each marker claimed once
        assert int(counter) == succeeded
