"""What AWS would charge for what a benchmark measured: every bench prices its figures here, the same way.

Lambda by GB-second of billed duration (the measured own time plus a round trip per AWS or Brevo call, which
the in-process measurement leaves out) and by request; DynamoDB on-demand by read and write units, counted
by DynamoDB's rules from the item sizes before and after each write (read from the emulator, which shares
the process) and from the global secondary indexes the template declares; SQS by request.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from local.cfn import ACCOUNT_ID, REGION
from local.emulator import client as emulator_client
from local.harness import AwsCall
from local.template import load_template

ROOT = Path(__file__).resolve().parents[1]

# Prices (us-east-1, on-demand, no free tier).
LAMBDA_GB_SECOND = 0.0000133334  # arm64
LAMBDA_REQUEST = 0.20 / 1e6
DYNAMODB_WRU = 0.625 / 1e6
DYNAMODB_RRU = 0.125 / 1e6
SQS_REQUEST = 0.40 / 1e6
# What the in-process measurement leaves out of a Lambda's billed duration: the network, per call.
AWS_CALL_S = 0.010  # each DynamoDB, SQS or Secrets Manager call
BREVO_CALL_S = 0.150  # each POST /v3/smtp/email
IDLE_POLLERS, LONG_POLL_S = 5, 20  # the event source mapping's idle polling (an estimate, not measured)

WRITES = frozenset({"PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem"})


# ------------------------------------------------------------------------------------------ DynamoDB pricing


def _number_size(text: str) -> int:
    digits = text.lstrip("-").replace(".", "").lstrip("0").rstrip("0") or "0"
    return math.ceil(len(digits) / 2) + 1


def attribute_size(value: dict[str, Any]) -> int:
    """A value's size as DynamoDB counts it (its "Item sizes and formats" rules)."""
    ((kind, inner),) = value.items()
    if kind == "S":
        return len(inner.encode())
    if kind == "N":
        return _number_size(inner)
    if kind == "B":
        return len(inner)
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "SS":
        return sum(len(s.encode()) for s in inner)
    if kind == "NS":
        return sum(_number_size(n) for n in inner)
    if kind == "BS":
        return sum(len(b) for b in inner)
    if kind == "L":
        return 3 + sum(1 + attribute_size(v) for v in inner)
    if kind == "M":
        return 3 + sum(1 + len(name.encode()) + attribute_size(v) for name, v in inner.items())
    raise ValueError(f"unknown attribute type {kind}")


def item_size(item: dict[str, Any] | None) -> int:
    if not item:
        return 0
    return sum(len(name.encode()) + attribute_size(value) for name, value in item.items())


def _kb(size: int) -> int:
    return max(1, math.ceil(size / 1024))


def _read_units(size: int) -> int:
    return max(1, math.ceil(size / 4096))


@dataclass
class DynamoCall:
    """One DynamoDB call and its price: read units, the table's write units, its indexes' write units."""

    operation: str
    index: str | None = None
    scanned: int | None = None
    items: int = 0  # keys asked (GetItem, BatchGetItem), items returned (Query), items written (writes)
    consistent: bool = False
    read_units: float = 0.0
    write_units: float = 0.0  # the table's (transactional: 2 per KB)
    index_write_units: float = 0.0  # the global secondary indexes' (1 per KB of the index entry)
    read_bytes: int = 0
    written: list[tuple[str, int, int, int]] = field(default_factory=list)  # per item: kind, bytes, WRU, index WRU


def _kind(key: tuple[str, str]) -> str:
    """What an item is, for the report: its sort key's prefix (DEBT, DEBTOR, CLAIM, COMM, ...)."""
    return key[1].split("#", 1)[0]


def _key_of(key: dict[str, Any]) -> tuple[str, str]:
    return key["pk"]["S"], key["sk"]["S"]


def written_keys(operation: str, params: dict[str, Any]) -> list[tuple[str, tuple[str, str]]]:
    """(kind, key) of every item a write names: kind is Put, Update, Delete or ConditionCheck."""
    if operation == "PutItem":
        return [("Put", _key_of(params["Item"]))]
    if operation == "UpdateItem":
        return [("Update", _key_of(params["Key"]))]
    if operation == "DeleteItem":
        return [("Delete", _key_of(params["Key"]))]
    if operation == "TransactWriteItems":
        named = []
        for entry in params["TransactItems"]:
            ((kind, body),) = entry.items()
            named.append((kind, _key_of(body.get("Item") or body["Key"])))
        return named
    if operation == "BatchWriteItem":
        return [
            ("Put", _key_of(r["PutRequest"]["Item"]))
            if "PutRequest" in r
            else ("Delete", _key_of(r["DeleteRequest"]["Key"]))
            for requests in params["RequestItems"].values()
            for r in requests
        ]
    return []


class Images:
    """Items as they are in the emulator (moto shares this process), to price writes by their before and after
    images as DynamoDB does; and the table's global secondary indexes (their key attributes)."""

    def __init__(self, table_name: str, url: str) -> None:
        from moto.dynamodb.models import dynamodb_backends

        self.table = dynamodb_backends[ACCOUNT_ID][REGION].get_table(table_name)
        described = emulator_client("dynamodb", url).describe_table(TableName=table_name)["Table"]
        self.indexes = [Index.of(index) for index in described.get("GlobalSecondaryIndexes", [])]

    def get(self, key: tuple[str, str]) -> dict[str, Any] | None:
        from moto.dynamodb.models.dynamo_type import DynamoType

        found = self.table.get_item(DynamoType({"S": key[0]}), DynamoType({"S": key[1]}))
        if found is None:
            return None
        return {name: value.to_regular_json() for name, value in found.attrs.items()}

    def index_units(self, before: dict[str, Any] | None, after: dict[str, Any] | None) -> int:
        """Write units of the indexes for one item written, by DynamoDB's rules for global secondary indexes:
        an entry put or removed costs one write, a key changed two (delete, put), projected attributes changed
        under the same key one, attributes the index does not project none; each per KB of the entry (see
        `Index.entry_size`). An item without an index's key attributes is not in it (sparse)."""
        return sum(index.units(before, after) for index in self.indexes)


TABLE_KEYS = ("pk", "sk")
INDEX_ENTRY_OVERHEAD = 100  # bytes DynamoDB adds to every index entry


@dataclass(frozen=True)
class Index:
    """A global secondary index as the table declares it: its key attributes and what it projects."""

    name: str
    keys: tuple[str, ...]
    projection: str  # ALL, KEYS_ONLY or INCLUDE
    included: frozenset[str] = frozenset()

    @classmethod
    def of(cls, described: dict[str, Any]) -> Index:
        projection = described.get("Projection") or {"ProjectionType": "ALL"}
        return cls(
            described["IndexName"],
            tuple(part["AttributeName"] for part in described["KeySchema"]),
            projection["ProjectionType"],
            frozenset(projection.get("NonKeyAttributes", ())),
        )

    def key_of(self, item: dict[str, Any] | None) -> tuple[Any, ...] | None:
        """The item's key in this index, or None when it is not in it."""
        if not item or not all(name in item for name in self.keys):
            return None
        return tuple(item[name] for name in self.keys)

    def entry(self, item: dict[str, Any]) -> dict[str, Any]:
        """What the index holds of the item: every attribute (ALL), or the table's and the index's keys and the
        included attributes the item has."""
        if self.projection == "ALL":
            return item
        wanted = {*TABLE_KEYS, *self.keys, *self.included}
        return {name: value for name, value in item.items() if name in wanted}

    def entry_size(self, item: dict[str, Any]) -> int:
        """The entry's size as DynamoDB prices an index write: its attributes plus 100 bytes."""
        return item_size(self.entry(item)) + INDEX_ENTRY_OVERHEAD

    def units(self, before: dict[str, Any] | None, after: dict[str, Any] | None) -> int:
        """Write units of this index for one item written (before/after: its images, None when absent)."""
        old = self.key_of(before) and before
        new = self.key_of(after) and after
        if old and new and self.key_of(old) == self.key_of(new):
            return _kb(self.entry_size(new)) if self.entry(old) != self.entry(new) else 0
        return (_kb(self.entry_size(old)) if old else 0) + (_kb(self.entry_size(new)) if new else 0)


def price_call(
    operation: str,
    params: dict[str, Any],
    answer: dict[str, Any],
    before: dict[tuple[str, str], dict[str, Any] | None],
    after: dict[tuple[str, str], dict[str, Any] | None],
    *,
    images: Images,
) -> DynamoCall:
    call = DynamoCall(operation, index=params.get("IndexName"))
    factor = 1.0 if params.get("ConsistentRead") else 0.5
    if operation == "Query":
        returned = answer.get("Items", [])
        call.scanned, call.items, call.consistent = answer.get("ScannedCount"), len(returned), factor == 1.0
        size = sum(item_size(item) for item in returned)
        if call.scanned and returned and call.scanned != len(returned):  # a filter: price what was read
            size = size * call.scanned // len(returned)
        call.read_bytes = size
        call.read_units = factor * _read_units(size)  # the call's items together, rounded up to 4 KB
    elif operation == "GetItem":
        call.items, call.consistent = 1, factor == 1.0
        call.read_bytes = item_size(answer.get("Item"))
        call.read_units = factor * _read_units(call.read_bytes)
    elif operation == "BatchGetItem":
        for table, request in params["RequestItems"].items():
            found = answer.get("Responses", {}).get(table, [])
            call.consistent = bool(request.get("ConsistentRead"))
            factor = 1.0 if call.consistent else 0.5
            call.items += len(request["Keys"])
            call.read_bytes += sum(item_size(item) for item in found)
            # Each item rounded up to 4 KB on its own; a key not found costs the minimum, one unit.
            units = sum(_read_units(item_size(item)) for item in found) + len(request["Keys"]) - len(found)
            call.read_units += factor * units
    elif operation in WRITES:
        per_kb = 2 if operation == "TransactWriteItems" else 1
        for kind, key in written_keys(operation, params):
            old, new = before.get(key), after.get(key)
            size = max(item_size(old), item_size(new))
            table_units = per_kb * _kb(size)
            index_units = images.index_units(old, new) if kind != "ConditionCheck" else 0
            call.items += 1
            call.write_units += table_units
            call.index_write_units += index_units
            call.written.append((_kind(key), size, table_units, index_units))
    return call


def memory_gb(logical_id: str) -> float:
    template = load_template(ROOT / "template.yaml")
    default = ((template.get("Globals") or {}).get("Function") or {}).get("MemorySize", 128)
    own = template["Resources"][logical_id].get("Properties") or {}
    return int(own.get("MemorySize", default)) / 1024


class Pricer:
    """Prices the DynamoDB calls of local.harness's observers: `started` reads the images of the items a write
    names before it, `finished` after it, and prices the call. The time it spends so is `bookkeeping`, which
    the benches take out of the function's own time."""

    def __init__(self, images: Images) -> None:
        self.images = images
        self.bookkeeping = 0.0
        self._before: dict[int, tuple[list[tuple[str, str]], dict[tuple[str, str], dict[str, Any] | None]]] = {}

    def started(self, call: AwsCall) -> None:
        if call.service != "dynamodb":
            return
        began = time.perf_counter()
        named = [key for _, key in written_keys(call.operation, dict(call.params))]
        self._before[id(call)] = (named, {key: self.images.get(key) for key in named})
        self.bookkeeping += time.perf_counter() - began

    def finished(self, call: AwsCall) -> DynamoCall | None:
        if call.service != "dynamodb" or id(call) not in self._before:
            return None
        began = time.perf_counter()
        named, before = self._before.pop(id(call))
        after = {key: self.images.get(key) for key in named}
        priced = price_call(
            call.operation, dict(call.params), dict(call.answer or {}), before, after, images=self.images
        )
        self.bookkeeping += time.perf_counter() - began
        return priced


def projections() -> str:
    """What each global secondary index of template.yaml's table projects, for a report's assumptions."""
    table = load_template(ROOT / "template.yaml")["Resources"]["Table"]["Properties"]
    described = []
    for index in table.get("GlobalSecondaryIndexes", []):
        projection = index["Projection"]
        kind = projection["ProjectionType"]
        included = projection.get("NonKeyAttributes", [])
        described.append(f"{index['IndexName']} {kind}" + (f" of {len(included)}" if included else ""))
    return ", ".join(described)


def write_units(calls: list[DynamoCall]) -> tuple[float, float]:
    """The table's and the indexes' write units of `calls`."""
    return sum(call.write_units for call in calls), sum(call.index_write_units for call in calls)


def lambda_seconds(own: float, aws_calls: int, brevo_calls: int = 0) -> float:
    """A billed duration: the measured own time plus the network round trips the measurement leaves out."""
    return own + aws_calls * AWS_CALL_S + brevo_calls * BREVO_CALL_S


def request_dollars(seconds: float, gigabytes: float, calls: list[DynamoCall]) -> float:
    """One invocation's price: its Lambda duration and request, and its DynamoDB units."""
    reads = sum(call.read_units for call in calls)
    writes = sum(call.write_units + call.index_write_units for call in calls)
    return seconds * gigabytes * LAMBDA_GB_SECOND + LAMBDA_REQUEST + reads * DYNAMODB_RRU + writes * DYNAMODB_WRU
