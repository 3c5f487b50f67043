"""DynamoDB access for the single tenant table: items as plain dicts, keys from `store.keys`.

Only this package talks to DynamoDB. Every call is one round trip, named for what it does, so the
number of calls an endpoint makes can be read off its code (and is counted in `make bench`).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from collectra import aws, config
from collectra.errors import Conflict, Contention
from collectra.store import contention
from collectra.store.codec import from_attributes, to_attributes

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

Item = dict[str, Any]
Key = Mapping[str, str]

_client: DynamoDBClient | None = None


def client() -> DynamoDBClient:
    """The process's DynamoDB client, created on first use (not at import: cold start)."""
    global _client  # noqa: PLW0603 - one client per container is the point
    if _client is None:
        from botocore.config import Config

        # A call DynamoDB has not answered in 5 s is retried. The local emulator can be far slower (it copies
        # the whole table for every transaction), and a retried transaction there would run twice.
        _client = aws.client(
            "dynamodb",
            config=Config(
                retries={"mode": "standard", "max_attempts": 3},
                connect_timeout=2,
                read_timeout=config.aws_read_timeout(),
            ),
        )
    return _client


def table_name() -> str:
    return config.table_name()


def get(key: Key, *, consistent: bool = False) -> Item | None:
    answer = client().get_item(TableName=table_name(), Key=to_attributes(key), ConsistentRead=consistent)
    return from_attributes(answer["Item"]) if "Item" in answer else None


BATCH_GET_LIMIT = 100  # keys per BatchGetItem, DynamoDB's own limit


def batch_get(keys: Sequence[Key], *, consistent: bool = False) -> list[Item | None]:
    """Items for `keys` in the same order (None where missing), in one BatchGetItem per 100 distinct keys.

    Unprocessed keys (throttling) are retried, which is the only other case with more calls. No keys: no call.
    """
    if not keys:
        return []
    table = table_name()
    unique = list({_key_id(key): key for key in keys}.values())
    found: dict[tuple[str, str], Item] = {}
    for start in range(0, len(unique), BATCH_GET_LIMIT):
        chunk = unique[start : start + BATCH_GET_LIMIT]
        request: dict[str, Any] = {table: {"Keys": [to_attributes(key) for key in chunk], "ConsistentRead": consistent}}
        while request:
            answer = client().batch_get_item(RequestItems=request)
            for raw in answer.get("Responses", {}).get(table, []):
                item = from_attributes(raw)
                found[(item["pk"], item["sk"])] = item
            request = answer.get("UnprocessedKeys") or {}
    return [found.get(_key_id(key)) for key in keys]


# The indexes that project every attribute (template.yaml's Table; tests/stack checks the two agree). The others
# project only what their queries filter on or read, so that a write changing nothing they hold costs them nothing.
PROJECTS_ALL = frozenset({"gsi1"})


def whole(listed: Sequence[Item], *, index: str, consistent: bool = False) -> list[Item]:
    """The table's items behind `index`'s entries, in the entries' order: the entries themselves from an index that
    projects every attribute, otherwise one BatchGetItem per 100 (an item gone since the index was read is left
    out). No entries: no call."""
    if index in PROJECTS_ALL:
        return list(listed)
    found = batch_get([{"pk": entry["pk"], "sk": entry["sk"]} for entry in listed], consistent=consistent)
    return [item for item in found if item is not None]


@dataclass(frozen=True)
class Page:
    items: list[Item]
    last_key: dict[str, Any] | None  # DynamoDB's LastEvaluatedKey, decoded; None on the last page


def query(
    condition: str,
    values: Mapping[str, Any],
    *,
    index: str | None = None,
    names: Mapping[str, str] | None = None,
    filter_expression: str | None = None,
    limit: int | None = None,
    start_key: Mapping[str, Any] | None = None,
    forward: bool = True,
    consistent: bool = False,
) -> Page:
    """One Query call: up to `limit` items of one partition (of the table or of `index`), in key order."""
    kwargs: dict[str, Any] = {
        "TableName": table_name(),
        "KeyConditionExpression": condition,
        "ExpressionAttributeValues": to_attributes(values),
        "ScanIndexForward": forward,
    }
    if index:
        kwargs["IndexName"] = index
    elif consistent:
        kwargs["ConsistentRead"] = True
    if names:
        kwargs["ExpressionAttributeNames"] = dict(names)
    if filter_expression:
        kwargs["FilterExpression"] = filter_expression
    if limit:
        kwargs["Limit"] = limit
    if start_key:
        kwargs["ExclusiveStartKey"] = to_attributes(start_key)
    answer = client().query(**kwargs)
    last = answer.get("LastEvaluatedKey")
    return Page([from_attributes(raw) for raw in answer.get("Items", [])], from_attributes(last) if last else None)


def query_all(
    condition: str,
    values: Mapping[str, Any],
    *,
    index: str | None = None,
    names: Mapping[str, str] | None = None,
    filter_expression: str | None = None,
    consistent: bool = False,
) -> list[Item]:
    """Every matching item of one partition: one Query a page (1 MB), as many pages as there are."""
    found: list[Item] = []
    start: dict[str, Any] | None = None
    while True:
        page = query(
            condition,
            values,
            index=index,
            names=names,
            filter_expression=filter_expression,
            start_key=start,
            consistent=consistent,
        )
        found += page.items
        if page.last_key is None:
            return found
        start = page.last_key


def partition_items(pk: str, prefix: str = "", *, consistent: bool = False) -> list[Item]:
    """Every item of the table's partition `pk` whose sort key starts with `prefix` (all of them for "")."""
    if not prefix:
        return query_all("pk = :pk", {":pk": pk}, consistent=consistent)
    return query_all("pk = :pk AND begins_with(sk, :prefix)", {":pk": pk, ":prefix": prefix}, consistent=consistent)


def count(condition: str, values: Mapping[str, Any], *, index: str | None = None) -> int:
    """How many items of one partition match (Select=COUNT): one Query a 1 MB page read, no items returned."""
    return sum(counted for counted, _ in count_pages(condition, values, index=index))


def count_pages(
    condition: str, values: Mapping[str, Any], *, index: str | None = None, limit: int | None = None
) -> Iterator[tuple[int, dict[str, Any] | None]]:
    """Select=COUNT Queries over one partition, page after page (at most `limit` items or 1 MB each): how many
    matched in each, and the key the page ended at (None on the last), so a caller can cut the partition into
    ranges without reading its items."""
    kwargs: dict[str, Any] = {
        "TableName": table_name(),
        "KeyConditionExpression": condition,
        "ExpressionAttributeValues": to_attributes(values),
        "Select": "COUNT",
    }
    if index:
        kwargs["IndexName"] = index
    if limit:
        kwargs["Limit"] = limit
    while True:
        answer = client().query(**kwargs)
        last = answer.get("LastEvaluatedKey")
        yield int(answer.get("Count", 0)), from_attributes(last) if last else None
        if not last:
            return
        kwargs["ExclusiveStartKey"] = last


def put(item: Mapping[str, Any], *, condition: str | None = None, names: Mapping[str, str] | None = None) -> None:
    kwargs: dict[str, Any] = {"TableName": table_name(), "Item": to_attributes(item)}
    if condition:
        kwargs["ConditionExpression"] = condition
    if names:
        kwargs["ExpressionAttributeNames"] = dict(names)
    _conditional(lambda: client().put_item(**kwargs))


def update(
    key: Key,
    expression: str,
    *,
    values: Mapping[str, Any] | None = None,
    names: Mapping[str, str] | None = None,
    condition: str | None = None,
    return_new: bool = False,
) -> Item | None:
    """One UpdateItem. A failed `condition` raises `Conflict`; `return_new` returns the updated item."""
    kwargs: dict[str, Any] = {
        "TableName": table_name(),
        "Key": to_attributes(key),
        "UpdateExpression": expression,
    }
    if values:
        kwargs["ExpressionAttributeValues"] = to_attributes(values)
    if names:
        kwargs["ExpressionAttributeNames"] = dict(names)
    if condition:
        kwargs["ConditionExpression"] = condition
    if return_new:
        kwargs["ReturnValues"] = "ALL_NEW"
    answer = _conditional(lambda: client().update_item(**kwargs))
    return from_attributes(answer["Attributes"]) if return_new else None


_BATCH_WRITE_LIMIT = 25  # DynamoDB's per-call maximum


def put_many(items: Sequence[Mapping[str, Any]]) -> None:
    """Unconditional Puts, 25 per BatchWriteItem; unprocessed items (throttling) are sent again.

    Not atomic: for items whose keys are fixed in advance, so that writing them again changes nothing.
    """
    _write_in_batches([{"PutRequest": {"Item": to_attributes(item)}} for item in items])


def delete_many(item_keys: Sequence[Key]) -> None:
    """Unconditional Deletes, 25 per BatchWriteItem (each key once); deleting what is gone changes nothing."""
    unique = {_key_id(key): key for key in item_keys}.values()
    _write_in_batches([{"DeleteRequest": {"Key": to_attributes({"pk": key["pk"], "sk": key["sk"]})}} for key in unique])


def _write_in_batches(requests: list[dict[str, Any]]) -> None:
    table = table_name()
    for start in range(0, len(requests), _BATCH_WRITE_LIMIT):
        pending: dict[str, Any] = {table: requests[start : start + _BATCH_WRITE_LIMIT]}
        while pending:
            answer = client().batch_write_item(RequestItems=pending)
            pending = answer.get("UnprocessedItems") or {}


@dataclass(frozen=True)
class Operation:
    """One write of a `transact`: DynamoDB's `kind` and `body` (plain-dict `Item`/`Key`/values; the table name
    is filled in), and the `name` a failed condition is reported by. A caller that tells failures apart names
    the operations it asks about; the others may stay unnamed ("")."""

    kind: Literal["Put", "Update", "Delete", "ConditionCheck"]
    body: dict[str, Any]
    name: str = ""
    counters: Mapping[str, int] | None = None  # an unconditional ADD of these (`counters_op`): merged per item


class ConditionsFailed(Conflict):
    """A transaction cancelled because conditions failed; `failed` holds the names of those operations.

    Read by name, never by position: DynamoDB reports one reason per operation in the order sent, and this
    maps them back, so adding an operation to a transaction cannot change which check a caller sees failing.
    """

    def __init__(self, failed: frozenset[str]) -> None:
        super().__init__("The record changed meanwhile.")
        self.failed = failed


def failed_names(operations: Sequence[Operation], reasons: Sequence[Mapping[str, Any]]) -> frozenset[str]:
    """The names of the operations whose condition failed, from DynamoDB's CancellationReasons (one per operation,
    in the order they were sent)."""
    return frozenset(
        operation.name
        for operation, reason in zip(operations, reasons, strict=False)
        if reason.get("Code") == "ConditionalCheckFailed"
    )


def transact(operations: Iterable[Operation]) -> None:
    """All of `operations` or none of them, in one TransactWriteItems (a single write alone: one conditional
    write, at half the price).

    When a condition fails, `ConditionsFailed` names the operations whose condition failed. When DynamoDB
    cancels it only because others were writing the same items (TransactionConflict), it is sent again a
    few times, then `Contention` is raised (see `store.contention`).
    """
    sent = merge_counters(operations)
    if len(sent) == 1 and sent[0].kind != "ConditionCheck":
        _write_alone(sent[0])
        return
    table = table_name()
    items = []
    for operation in sent:
        encoded = dict(operation.body, TableName=table)
        for field in ("Item", "Key", "ExpressionAttributeValues"):
            if field in encoded:
                encoded[field] = to_attributes(encoded[field])
        items.append({operation.kind: encoded})
    c = client()
    for attempt in range(1, contention.ATTEMPTS + 1):
        try:
            c.transact_write_items(TransactItems=items)  # type: ignore[arg-type]
            return
        except c.exceptions.TransactionCanceledException as error:
            reasons = error.response.get("CancellationReasons", [])
            failed = failed_names(sent, reasons)
            if failed:
                raise ConditionsFailed(failed) from error
            if not contention.is_transaction_conflict(reasons):
                raise
            if attempt == contention.ATTEMPTS:
                raise Contention(
                    "Someone else was changing the same records at that moment. Please try again.",
                    retry_after=contention.RETRY_AFTER_S,
                ) from error
            time.sleep(contention.pause_before_retry(attempt))


_SINGLE_WRITES = {"Put": "put_item", "Update": "update_item", "Delete": "delete_item"}


def _write_alone(operation: Operation) -> None:
    """One operation as a conditional write rather than a transaction of one item, which costs twice the units;
    a failed condition is reported as the transaction's would be, by the operation's name."""
    request = dict(operation.body, TableName=table_name())
    for field in ("Item", "Key", "ExpressionAttributeValues"):
        if field in request:
            request[field] = to_attributes(request[field])
    c = client()
    try:
        getattr(c, _SINGLE_WRITES[operation.kind])(**request)
    except c.exceptions.ConditionalCheckFailedException as error:
        raise ConditionsFailed(frozenset({operation.name})) from error


def counters_op(key: Key, counters: Mapping[str, int]) -> Operation:
    """An unconditional ADD of `counters` (attribute name -> amount) to the item at `key`, for `transact`.

    Several of them on one item in one transaction become one (`merge_counters`): a transaction may touch an
    item only once, and callers that add up figures (the analytics deltas of every debt written) need not know
    which of their debts share an item.
    """
    names = sorted(name for name, amount in counters.items() if amount)
    aliases = {f"#c{i}": name for i, name in enumerate(names)}
    body: dict[str, Any] = {"Key": dict(key)}
    if names:
        body["UpdateExpression"] = "ADD " + ", ".join(f"#c{i} :c{i}" for i in range(len(names)))
        body["ExpressionAttributeNames"] = aliases
        body["ExpressionAttributeValues"] = {f":c{i}": counters[name] for i, name in enumerate(names)}
    return Operation("Update", body, counters={name: counters[name] for name in names})


def merge_counters(operations: Iterable[Operation]) -> list[Operation]:
    """`operations` with every `counters_op` of one item merged into one, at the place of the first; one that
    adds nothing (all zero) is left out."""
    merged: dict[tuple[str, str], dict[str, int]] = {}
    order: list[Operation | tuple[str, str]] = []
    for operation in operations:
        if operation.counters is None:
            order.append(operation)
            continue
        key = _key_id(operation.body["Key"])
        if key not in merged:
            merged[key] = {}
            order.append(key)
        for name, amount in operation.counters.items():
            merged[key][name] = merged[key].get(name, 0) + amount
    result: list[Operation] = []
    for entry in order:
        if isinstance(entry, Operation):
            result.append(entry)
        elif any(merged[entry].values()):
            result.append(counters_op({"pk": entry[0], "sk": entry[1]}, merged[entry]))
    return result


def check_op(key: Key, condition: str, values: Mapping[str, Any] | None = None, *, name: str = "") -> Operation:
    """A ConditionCheck for `transact`: the transaction holds only while `condition` holds on `key`."""
    body: dict[str, Any] = {"Key": dict(key), "ConditionExpression": condition}
    if values:
        body["ExpressionAttributeValues"] = dict(values)
    return Operation("ConditionCheck", body, name)


def put_op(
    item: Mapping[str, Any], condition: str | None = None, values: Mapping[str, Any] | None = None, *, name: str = ""
) -> Operation:
    """A Put for `transact`."""
    body: dict[str, Any] = {"Item": item}
    if condition:
        body["ConditionExpression"] = condition
    if values:
        body["ExpressionAttributeValues"] = dict(values)
    return Operation("Put", body, name)


def update_op(
    key: Key,
    expression: str,
    values: Mapping[str, Any] | None = None,
    condition: str | None = None,
    names: Mapping[str, str] | None = None,
    *,
    name: str = "",
) -> Operation:
    """An Update for `transact`."""
    body: dict[str, Any] = {"Key": dict(key), "UpdateExpression": expression}
    if values:
        body["ExpressionAttributeValues"] = dict(values)
    if condition:
        body["ConditionExpression"] = condition
    if names:
        body["ExpressionAttributeNames"] = dict(names)
    return Operation("Update", body, name)


def changes_op(
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    condition: str | None = None,
    values: Mapping[str, Any] | None = None,
    *,
    name: str = "",
) -> Operation:
    """An Update for `transact` that writes only the attributes `after` changes from `before` (SET or REMOVE).

    Unlike a Put of `after`, it leaves alone what others change meanwhile without this caller's `condition`
    (a counter moved by ADD, a map written by its own version), which a whole-item write would set back.
    """
    names = sorted({*before, *after} - {"pk", "sk"})
    changed = [key for key in names if key in after and after[key] is not None and before.get(key) != after[key]]
    removed = [key for key in names if before.get(key) is not None and after.get(key) is None]
    aliases = {f"#a{i}": key for i, key in enumerate(names) if key in changed or key in removed}
    alias_of = {key: alias for alias, key in aliases.items()}
    clauses = []
    if changed:
        clauses.append("SET " + ", ".join(f"{alias_of[key]} = :v{alias_of[key][2:]}" for key in changed))
    if removed:
        clauses.append("REMOVE " + ", ".join(alias_of[key] for key in removed))
    item_key = {"pk": before["pk"], "sk": before["sk"]}
    if not clauses:  # nothing changed: still check the condition, as the write would have
        return check_op(item_key, condition or "attribute_exists(pk)", values, name=name)
    assigned = {f":v{alias_of[key][2:]}": after[key] for key in changed}
    return update_op(item_key, " ".join(clauses), {**assigned, **(values or {})}, condition, aliases, name=name)


def delete_op(
    key: Key,
    condition: str | None = None,
    values: Mapping[str, Any] | None = None,
    names: Mapping[str, str] | None = None,
    *,
    name: str = "",
) -> Operation:
    """A Delete for `transact`."""
    body: dict[str, Any] = {"Key": dict(key)}
    if condition:
        body["ConditionExpression"] = condition
    if values:
        body["ExpressionAttributeValues"] = dict(values)
    if names:
        body["ExpressionAttributeNames"] = dict(names)
    return Operation("Delete", body, name)


def _conditional(call: Any) -> Any:
    c = client()
    try:
        return call()
    except c.exceptions.ConditionalCheckFailedException as error:
        raise Conflict("The record changed meanwhile.") from error


def _key_id(key: Key) -> tuple[str, str]:
    return (key["pk"], key["sk"])
