"""Permission blocks: each gives a function one IAM statement and the environment variables that name what it
may touch, so that a permission and the configuration that uses it cannot drift apart.

`table(...)` grants DynamoDB actions (and names the table in TABLE_NAME), `secret(JWT)` reads a secret (and
names it in JWT_SECRET_NAME), `send_to(queue)` sends to a queue (its URL in its variable), `bucket(...)`
touches objects of a bucket (its name in its variable). The things they name are in stack/base.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from stack.base import TABLE, Bucket, Queue, Secret, Setting
from stack.intrinsics import GetAtt, Ref, Sub, Value

# Scan is not among them: every read is a key lookup or a Query (docs/decisions.md).
DynamoDBAction = Literal[
    "GetItem",
    "BatchGetItem",
    "Query",
    "PutItem",
    "UpdateItem",
    "DeleteItem",
    "BatchWriteItem",
    "ConditionCheckItem",
]
S3Action = Literal["GetObject", "PutObject", "DeleteObject", "AbortMultipartUpload"]


@dataclass(frozen=True)
class Statement:
    """One `Effect: Allow` statement."""

    actions: tuple[str, ...]
    resources: tuple[Value, ...]

    @property
    def service(self) -> str:
        return self.actions[0].split(":", 1)[0]


@dataclass(frozen=True)
class Block:
    """What one permission block gives a function: a statement and the settings naming its resources."""

    statement: Statement
    settings: tuple[Setting, ...]


def table(*actions: DynamoDBAction, indexes: bool | tuple[str, ...] = ()) -> Block:
    """`actions` on the table, and on its indexes too: all of them (`indexes=True`) or those named."""
    return _dynamodb(actions, table_itself=True, indexes=indexes)


def query(*indexes: str) -> Block:
    """Query on the named indexes only, not on the table itself."""
    return _dynamodb(("Query",), table_itself=False, indexes=indexes)


def _dynamodb(actions: tuple[DynamoDBAction, ...], *, table_itself: bool, indexes: bool | tuple[str, ...]) -> Block:
    if not actions:
        raise ValueError("table(): name at least one action")
    unknown = [index for index in (indexes if isinstance(indexes, tuple) else ()) if index not in TABLE.indexes]
    if unknown:
        raise ValueError(f"table(): {', '.join(unknown)} is not an index of {TABLE.logical_id}")
    if indexes is True:
        names: tuple[str, ...] = ("*",)
    elif indexes is False:
        names = ()
    else:
        names = indexes
    # The table and indexes the functions use: the stack's own, or a restored table when RestoredTableName is set.
    resources: list[Value] = [TABLE.arn()] if table_itself else []
    resources += [TABLE.index_arn(name) for name in names]
    return Block(Statement(tuple(f"dynamodb:{action}" for action in actions), tuple(resources)), (TABLE.setting,))


def secret(*secrets: Secret) -> Block:
    """Read these secrets' values."""
    if not secrets:
        raise ValueError("secret(): name at least one secret")
    resources = tuple(_secret_arn(one) for one in secrets)
    settings = tuple(setting for one in secrets for setting in (one.setting, *one.companions))
    return Block(Statement(("secretsmanager:GetSecretValue",), resources), settings)


def _secret_arn(one: Secret) -> Value:
    if one.parameter is not None:
        # A secret named by a parameter: Secrets Manager appends six random characters to the name in its ARN.
        return Sub(
            "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:${" + one.parameter + "}-*"
        )
    return Ref(one.resource or "")  # a secret of the stack: its Ref is its ARN


def send_to(queue: Queue) -> Block:
    """Send messages to the queue (its URL in the queue's variable)."""
    return Block(Statement(("sqs:SendMessage",), (GetAtt(queue.logical_id, "Arn"),)), (queue.setting,))


def bucket(where: Bucket, *actions: S3Action, objects: str) -> Block:
    """`actions` on the bucket's objects whose keys match `objects` (e.g. "exports/*")."""
    if not actions:
        raise ValueError("bucket(): name at least one action")
    resource = Sub(f"${{{where.logical_id}.Arn}}/{objects}")
    return Block(Statement(tuple(f"s3:{action}" for action in actions), (resource,)), (where.setting,))
