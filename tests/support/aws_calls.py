"""What IAM authorizes for each AWS call a handler makes: the action, the resource's ARN as template.yaml names
it, and the condition context (for DynamoDB, `dynamodb:LeadingKeys`: the partition-key values the call touches).

One call can need several authorizations (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis-iam.html):
each item of a transaction is authorized as the item's own action (Put as PutItem, ConditionCheck as
ConditionCheckItem) with `dynamodb:EnclosingOperation`; a batch is authorized once per table it names. An S3
upload in parts is s3:PutObject for each part; a presigned GET is the s3:GetObject its holder will make.

A Query on an index carries one partition-key value, the index's (its KeyConditionExpression's equality on
the index's HASH attribute). AWS's pages do not say which value `dynamodb:LeadingKeys` holds for it; DynamoDB
authorizes a request before reading anything, and the index's value is the only one the request holds, so the
recorder takes that one, and a function's LeadingKeys must name the index partitions it queries (which start
with `WS#<id>#...` or `USER#<id>#...` like the table's own).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from local.cfn import ACCOUNT_ID, REGION, Resolver
from local.template import table_definitions
from stack.iam import ContextValue, Request

LEADING_KEYS = "dynamodb:LeadingKeys"
# Secrets Manager appends six random characters to a secret's name in its ARN; which ones is not known here.
SECRET_SUFFIX = "-AbCdEf"

_TRANSACT_ACTIONS = {
    "Get": "GetItem",
    "Put": "PutItem",
    "Update": "UpdateItem",
    "Delete": "DeleteItem",
    "ConditionCheck": "ConditionCheckItem",
}
_S3_ACTIONS = {
    "PutObject": "PutObject",
    "CreateMultipartUpload": "PutObject",
    "UploadPart": "PutObject",
    "CompleteMultipartUpload": "PutObject",
    "AbortMultipartUpload": "AbortMultipartUpload",
    "GetObject": "GetObject",
    "HeadObject": "GetObject",
    "DeleteObject": "DeleteObject",
}
_EQUALITY = re.compile(r"(#?[A-Za-z0-9_.]+)\s*=\s*(:[A-Za-z0-9_]+)")


class UnknownCall(ValueError):
    """A call the recorder cannot translate into IAM's terms: add it here rather than let it go unchecked."""


@dataclass(frozen=True)
class Tables:
    """Each table's and each index's partition-key attribute, from the template's own key schemas."""

    partition_keys: Mapping[tuple[str, str | None], str]  # (table name, index name or None) -> attribute

    @classmethod
    def of(cls, template: Mapping[str, Any]) -> Tables:
        found: dict[tuple[str, str | None], str] = {}
        for table in table_definitions(template):
            found[(table["TableName"], None)] = _hash_key(table["KeySchema"])
            for index in table.get("GlobalSecondaryIndexes", []) + table.get("LocalSecondaryIndexes", []):
                found[(table["TableName"], index["IndexName"])] = _hash_key(index["KeySchema"])
        return cls(found)

    def partition_key(self, table: str, index: str | None = None) -> str:
        if (table, index) not in self.partition_keys:
            raise UnknownCall(f"table {table} (index {index}) is not in the template")
        return self.partition_keys[(table, index)]


@dataclass(frozen=True)
class Secrets:
    """The variables that name a secret (`*_SECRET_NAME`) and what the template sets each to: a name (from a
    parameter) or a secret of the stack (its `!Ref`, which is how the policy names it too)."""

    variables: Mapping[str, str]
    of_the_stack: frozenset[str]

    @classmethod
    def of(cls, template: Mapping[str, Any]) -> Secrets:
        resolver = Resolver(template)
        resources: Mapping[str, Any] = template["Resources"]
        environments = [((template.get("Globals") or {}).get("Function") or {}).get("Environment") or {}]
        environments += [(r.get("Properties") or {}).get("Environment") or {} for r in resources.values()]
        variables = {
            name: str(resolver.resolve(value))
            for environment in environments
            for name, value in (environment.get("Variables") or {}).items()
            if name.endswith("_SECRET_NAME")
        }
        stack = frozenset(name for name, r in resources.items() if r.get("Type") == "AWS::SecretsManager::Secret")
        return cls(variables, frozenset(resolver.ref(name) for name in stack))

    def arn(self, secret_id: str, environment: Mapping[str, str]) -> str:
        """The secret's ARN as the template names it. A test may put a secret of its own under a variable (as
        CloudFormation would name a secret of the stack): it is the secret the template sets that variable to."""
        named = next((self.variables[name] for name in self.variables if environment.get(name) == secret_id), secret_id)
        if named.startswith("arn:") or named in self.of_the_stack:
            return named
        return f"arn:aws:secretsmanager:{REGION}:{ACCOUNT_ID}:secret:{named}{SECRET_SUFFIX}"


def _hash_key(schema: Sequence[Mapping[str, str]]) -> str:
    return next(part["AttributeName"] for part in schema if part["KeyType"] == "HASH")


@dataclass(frozen=True)
class Stack:
    """What the recorder needs of the template to name what a call touches as the template names it."""

    tables: Tables
    secrets: Secrets

    @classmethod
    def of(cls, template: Mapping[str, Any]) -> Stack:
        return cls(Tables.of(template), Secrets.of(template))


def authorizations(
    service: str,
    operation: str,
    params: Mapping[str, Any],
    stack: Stack,
    environment: Mapping[str, str] | None = None,
) -> list[Request]:
    """The IAM requests that one call `operation` of `service` with (botocore's) `params` is authorized as;
    `environment` is the calling function's (where its secrets' names are)."""
    if service == "dynamodb":
        return _dynamodb(operation, params, stack.tables)
    if service == "s3":
        return _s3(operation, params)
    if service == "sqs" and operation in ("SendMessage", "SendMessageBatch"):
        return [Request("sqs:SendMessage", _queue_arn(params["QueueUrl"]))]
    if service == "secretsmanager" and operation == "GetSecretValue":
        return [Request("secretsmanager:GetSecretValue", stack.secrets.arn(params["SecretId"], environment or {}))]
    raise UnknownCall(f"{service}.{operation}")


def table_arn(table: str, index: str | None = None) -> str:
    arn = f"arn:aws:dynamodb:{REGION}:{ACCOUNT_ID}:table/{table}"
    return f"{arn}/index/{index}" if index else arn


def _leading(*values: str) -> dict[str, ContextValue]:
    return {LEADING_KEYS: tuple(sorted(set(values)))}


def _partition_value(item_or_key: Mapping[str, Any], table: str, tables: Tables) -> str:
    attribute = tables.partition_key(table)
    return _attribute_text(item_or_key[attribute])


def _attribute_text(value: Mapping[str, Any]) -> str:
    # A key attribute is a string, a number or binary: {"S": "WS#..."}; our keys are all strings.
    ((_, text),) = value.items()
    return str(text)


def _dynamodb(operation: str, params: Mapping[str, Any], tables: Tables) -> list[Request]:
    if operation in ("GetItem", "PutItem", "UpdateItem", "DeleteItem"):
        table = params["TableName"]
        key = params["Item"] if operation == "PutItem" else params["Key"]
        return [Request(f"dynamodb:{operation}", table_arn(table), _leading(_partition_value(key, table, tables)))]
    if operation == "Query":
        return [_query(params, tables)]
    if operation == "BatchGetItem":
        return [
            Request(
                "dynamodb:BatchGetItem",
                table_arn(table),
                _leading(*(_partition_value(key, table, tables) for key in wanted["Keys"])),
            )
            for table, wanted in params["RequestItems"].items()
        ]
    if operation == "BatchWriteItem":
        return [
            Request(
                "dynamodb:BatchWriteItem",
                table_arn(table),
                _leading(*(_partition_value(_written(write), table, tables) for write in writes)),
            )
            for table, writes in params["RequestItems"].items()
        ]
    if operation in ("TransactWriteItems", "TransactGetItems"):
        return [_transact_item(operation, item, tables) for item in params["TransactItems"]]
    if operation == "Scan":
        return [Request("dynamodb:Scan", table_arn(params["TableName"], params.get("IndexName")))]
    raise UnknownCall(f"dynamodb.{operation}")


def _written(write: Mapping[str, Any]) -> Mapping[str, Any]:
    if "PutRequest" in write:
        return dict(write["PutRequest"]["Item"])
    return dict(write["DeleteRequest"]["Key"])


def _transact_item(operation: str, item: Mapping[str, Any], tables: Tables) -> Request:
    ((kind, body),) = item.items()
    action = _TRANSACT_ACTIONS.get(kind)
    if action is None:
        raise UnknownCall(f"dynamodb.{operation} item {kind}")
    table = body["TableName"]
    key = body["Item"] if kind == "Put" else body["Key"]
    context = _leading(_partition_value(key, table, tables)) | {"dynamodb:EnclosingOperation": (operation,)}
    return Request(f"dynamodb:{action}", table_arn(table), context)


def _query(params: Mapping[str, Any], tables: Tables) -> Request:
    table, index = params["TableName"], params.get("IndexName")
    attribute = tables.partition_key(table, index)
    names: Mapping[str, str] = params.get("ExpressionAttributeNames") or {}
    values: Mapping[str, Any] = params.get("ExpressionAttributeValues") or {}
    for name, placeholder in _EQUALITY.findall(params["KeyConditionExpression"]):
        if names.get(name, name) == attribute:
            return Request("dynamodb:Query", table_arn(table, index), _leading(_attribute_text(values[placeholder])))
    raise UnknownCall(f"Query on {table} {index}: no equality on {attribute} in {params['KeyConditionExpression']!r}")


def _s3(operation: str, params: Mapping[str, Any]) -> list[Request]:
    if operation not in _S3_ACTIONS:
        raise UnknownCall(f"s3.{operation}")
    return [Request(f"s3:{_S3_ACTIONS[operation]}", f"arn:aws:s3:::{params['Bucket']}/{params['Key']}")]


def _queue_arn(url: str) -> str:
    # A queue URL ends with the account and the queue's name, in AWS as in the emulator.
    name = urlparse(url).path.rstrip("/").rsplit("/", 1)[-1]
    return f"arn:aws:sqs:{REGION}:{ACCOUNT_ID}:{name}"
