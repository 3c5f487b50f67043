"""Keeping the figures against concurrent writers: in the debts' own transactions (sharded ADDs) or from the
table's DynamoDB Stream by a consumer. `python -m bench.analytics_writers`.

WRITERS threads book payments by hand at once, each on its own debts of one workspace (people and webhooks
writing different debts at the same moment: the case the figures must not serialise), through the debts' own
write function (`debts.service.record_payment`), against the emulator.

(a) In the same transaction: each payment's transaction also ADDs its delta to one of `aggregates.SHARDS`
items of its quarter of an hour. moto applies transactions one at a time, so it never answers
TransactionConflict; DynamoDB does when two transactions touch one item at once. So the conflicts are counted
from what ran: every pair of transactions that were in flight at the same moment and ADDed to the same shard
(each would have cost one retry, `store.contention`), for 1 shard (a hot item), 8 (the product's) and 32.
WCU per change are priced by `bench.cost` from the items' sizes.

(b) From the Stream: a copy of the table with a stream (NEW_AND_OLD_IMAGES), written by the same writers
without the ADD; a consumer polls the stream (as local/worker.py polls the queues, every POLL_S) and applies
each debt record's delta exactly once: a marker keyed by (debt, version) written on the condition that it is
new, in one transaction with the ADD. Its lag is from each write's commit to its delta applied; it then reads
the whole stream again (a redelivery) and must apply nothing twice.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from contextvars import copy_context
from dataclasses import dataclass, field
from datetime import UTC, datetime
from statistics import median
from typing import Any, cast

from bench.cold_start import World
from bench.cost import Images, Pricer
from bench.inprocess import in_process, recording
from collectra import config, store
from collectra.debts import aggregates
from collectra.debts import service as debts
from collectra.debts.charging import principal_only
from collectra.debts.records import Actor, Debt
from collectra.store import keys
from collectra.store.codec import from_attributes
from local.emulator import client as emulator_client

WRITERS = int(os.environ.get("BENCH_ANALYTICS_WRITERS", "8"))
PAYMENTS = int(os.environ.get("BENCH_ANALYTICS_PAYMENTS", "25"))  # per writer
POLL_S = 0.2
USER: Actor = {"kind": "user", "id": "usr_bench"}
PRINCIPAL = principal_only(datetime.now(UTC).date())  # the bench's workspaces claim no late-payment charges


@dataclass
class Ran:
    """One transaction as it ran: when, and which analytics shard it ADDed to."""

    started: float
    ended: float
    shard: tuple[str, str] | None


@dataclass
class Run:
    ran: list[Ran] = field(default_factory=list)
    committed: dict[tuple[str, int], float] = field(default_factory=dict)  # (debt, version) -> commit time
    lock: threading.Lock = field(default_factory=threading.Lock)

    def overlaps(self) -> int:
        """Pairs of transactions in flight together on one shard: each a TransactionConflict on DynamoDB."""
        by_shard: dict[tuple[str, str], list[Ran]] = {}
        for ran in self.ran:
            if ran.shard:
                by_shard.setdefault(ran.shard, []).append(ran)
        found = 0
        for runs in by_shard.values():
            runs.sort(key=lambda r: r.started)
            for i, first in enumerate(runs):
                for second in runs[i + 1 :]:
                    if second.started >= first.ended:
                        break
                    found += 1
        return found


@contextmanager
def observed(run: Run) -> Iterator[None]:
    real = store.transact

    def transact(operations: Any) -> None:
        sent = store.merge_counters(operations)
        shard = next((_key(op) for op in sent if op.counters is not None), None)
        started = time.perf_counter()
        real(sent)
        ended = time.perf_counter()
        with run.lock:
            run.ran.append(Ran(started, ended, shard))

    store.transact = transact
    try:
        yield
    finally:
        store.transact = real


def _key(operation: store.Operation) -> tuple[str, str]:
    return operation.body["Key"]["pk"], operation.body["Key"]["sk"]


def setup(debt_count: int) -> tuple[str, list[Debt]]:
    workspace_id = f"ws_bench_{time.time_ns()}"
    store.put({**keys.workspace(workspace_id), "id": workspace_id, "time_zone": "Europe/Paris"})
    store.put({**keys.debtor(workspace_id, "dbt_1"), "id": "dbt_1", "open_debts": 0})
    now = datetime.now(UTC)
    made = []
    for number in range(debt_count):
        fields = {
            "debtor_id": "dbt_1",
            "invoice_number": f"INV-{number:05d}",
            "amount": 100_000,
            "currency": "EUR",
            "issued_on": None,
            "due_on": "2026-11-01",
        }
        made.append(debts.create_debt(workspace_id, fields, actor=USER, now=now))
    return workspace_id, made


def write_concurrently(workspace_id: str, owed: list[Debt], run: Run) -> float:
    """WRITERS threads, PAYMENTS payments each on their own debts; the seconds it took."""

    def writer(index: int) -> None:
        mine = owed[index::WRITERS]
        for number in range(PAYMENTS):
            debt = mine[number % len(mine)]
            payment = {"amount": 100, "method": "bank_transfer", "received_on": "2026-11-20"}
            updated = debts.record_payment(
                workspace_id, debt, payment, charging=PRINCIPAL, actor=USER, now=datetime.now(UTC)
            )
            with run.lock:
                run.committed[(updated["id"], updated["version"])] = time.perf_counter()
            mine[number % len(mine)] = updated

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        for future in [pool.submit(copy_context().run, writer, index) for index in range(WRITERS)]:
            future.result()
    return time.perf_counter() - started


def in_transaction(pricer: Pricer) -> None:
    print(
        f"(a) in the same transactions: {WRITERS} writers x {PAYMENTS} payments by hand, each writer on its own debts"
    )
    print(f"{'shards':>6} {'changes':>7} {'conflicts':>9} {'per 100':>7} {'s':>6}  sizes of the shard items (bytes)")
    real_shards = aggregates.SHARDS
    for shards in sorted({1, 8, real_shards, 32}):
        aggregates.SHARDS = shards
        try:
            workspace_id, owed = setup(WRITERS * 4)
            run = Run()
            with observed(run):
                seconds = write_concurrently(workspace_id, owed, run)
            sizes = [
                len(str(item))
                for item in store.partition_items(keys.workspace(workspace_id)["pk"], keys.ANALYTICS_PREFIX)
            ]
            changes = WRITERS * PAYMENTS
            conflicts = run.overlaps()
            print(
                f"{shards:6d} {changes:7d} {conflicts:9d} {100 * conflicts / changes:7.1f} {seconds:6.2f}  "
                f"max {max(sizes)}, {len(sizes)} items"
            )
        finally:
            aggregates.SHARDS = real_shards
    workspace_id, owed = setup(1)
    payment = {"amount": 100, "method": "bank_transfer", "received_on": "2026-11-20"}
    with recording(pricer) as recorded:
        debts.record_payment(workspace_id, owed[0], payment, charging=PRINCIPAL, actor=USER, now=datetime.now(UTC))
    figures = [
        (kind, size, units) for call in recorded.priced for kind, size, units, _ in call.written if kind == "AGG"
    ]
    total = sum(call.write_units + call.index_write_units for call in recorded.priced)
    print(
        f"WCU per change: the payment's transaction {total:g} in all, of which the shard ADD "
        f"{sum(units for *_, units in figures):g} (item {figures[0][1] if figures else 0} bytes; transactional "
        "writes cost 2 per KB, so a shard stays one KB until it holds ~40 distinct due dates in its quarter)."
    )


_DELTA_OP = aggregates.delta_op  # the consumer's: the writers' is switched off while they write


class StreamConsumer:
    """Applies each debt record's delta exactly once: a marker keyed by (debt, version), on the condition that it is
    new, in one transaction with the ADD."""

    def __init__(self, streams: Any, arn: str, run: Run) -> None:
        self.streams, self.arn, self.run = streams, arn, run
        self.shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
        self.lags: list[float] = []
        self.applied = self.refused = 0

    def from_start(self) -> str:
        found = self.streams.get_shard_iterator(
            StreamArn=self.arn, ShardId=self.shard, ShardIteratorType="TRIM_HORIZON"
        )
        return str(found["ShardIterator"])

    def apply(self, record: dict[str, Any], received: float) -> None:
        images = record["dynamodb"]
        new = from_attributes(images.get("NewImage", {}))
        if not str(new.get("sk", "")).startswith("DEBT#"):
            return
        after = cast(Debt, new)
        before = cast(Debt, from_attributes(images["OldImage"])) if "OldImage" in images else None
        now = datetime.fromisoformat(after["updated_at"])
        marker = store.put_op(
            {"pk": after["pk"], "sk": f"AGG-SEEN#{after['id']}#{after['version']}"}, "attribute_not_exists(pk)"
        )
        try:
            store.transact([marker, *_DELTA_OP(after["workspace_id"], before, after, now=now)])
        except store.ConditionsFailed:
            self.refused += 1
            return
        self.applied += 1
        committed = self.run.committed.get((after["id"], after["version"]))
        if committed is not None:
            self.lags.append(received - committed)

    def consume(self, until: threading.Event) -> None:
        """Poll from the start of the stream until it is read and `until` is set."""
        iterator = self.from_start()
        while True:
            answer = self.streams.get_records(ShardIterator=iterator)
            received = time.perf_counter()
            for record in answer["Records"]:
                self.apply(record, received)
            iterator = answer["NextShardIterator"]
            if not answer["Records"]:
                if until.is_set():
                    return
                time.sleep(POLL_S)


def _stream_table(world: World) -> tuple[str, str]:
    name = f"{config.table_name()}-stream"
    created = emulator_client("dynamodb", world.emulator.url).create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
        ],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )
    return name, str(created["TableDescription"]["LatestStreamArn"])


def from_stream(world: World) -> None:
    name, arn = _stream_table(world)
    run = Run()
    consumer = StreamConsumer(emulator_client("dynamodbstreams", world.emulator.url), arn, run)
    done = threading.Event()
    with config.environment_of({**world.harness.everyones_environment(), "TABLE_NAME": name}):
        aggregates.delta_op = lambda *args, **kwargs: []  # the writers write no ADD: the consumer does
        try:
            workspace_id, owed = setup(WRITERS * 4)
            polling = threading.Thread(target=copy_context().run, args=(consumer.consume, done))
            polling.start()
            seconds = write_concurrently(workspace_id, owed, run)
        finally:
            aggregates.delta_op = _DELTA_OP
        done.set()
        polling.join()
        first = consumer.applied
        consumer.consume(done)  # the whole stream delivered again
        shards = store.partition_items(keys.workspace(workspace_id)["pk"], keys.ANALYTICS_PREFIX)
    collected = sum(int(v) for item in shards for k, v in item.items() if k.endswith(":cm"))
    lags = sorted(consumer.lags)
    print(
        f"(b) from the stream: {WRITERS} writers x {PAYMENTS} payments in {seconds:.2f} s, one consumer polling every "
        f"{POLL_S:g} s; {first} debt records applied, lag median {median(lags) * 1000:.0f} ms, max "
        f"{lags[-1] * 1000:.0f} ms; collected by hand in the figures {collected} (booked {WRITERS * PAYMENTS * 100}); "
        f"delivered again: {consumer.applied - first} applied twice, {consumer.refused} refused by their marker. "
        "WCU per change: the marker's Put and the ADD, both transactional (2 x 2 per KB), on top of the debt's own "
        "write; no conflict with the writers (the consumer alone writes the figures), but the figures lag the "
        "writes, and a payment's channel (page or by hand) is not on the debt's images."
    )


def main() -> int:
    with World() as world, in_process(world):
        in_transaction(Pricer(Images(config.table_name(), world.emulator.url)))
        from_stream(world)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
