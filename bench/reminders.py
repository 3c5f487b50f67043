"""The reminder engine at scale: the planner's reads against what is due, the sender's emails per second and
DynamoDB calls per email, and what 10,000 reminders would cost on AWS from those counts.

    python -m bench.reminders     (BENCH_REMINDER_DEBTS debts, 100,000 by default, BENCH_REMINDER_DUE of them
                                   due now, 1,000 by default; both printed with every figure)

Set-up, not timed: an account signed up through the gateway; its debtors and debts written straight into the
emulator (batch_write_item, 25 items a call) with the application's own item builders, as bench/lists.py
does. Each due debt has a debtor of its own, in Europe/Paris, and one step of the default policy due at
"now" (a Monday, 10:00 in Paris); the other debts fall due months later, so they sit in the same index
(gsi5) with their next look months ahead.

Then, in this process, as AWS runs them: the planner's handler once with the scheduled event of "now", and
the sender's handler on the queue's messages, ten at a time as Lambda's event source mapping hands them over
(received, then deleted unless reported failed). botocore is wrapped (bench.inprocess): the time inside
`Endpoint._send` is the emulator's (SQS and Secrets Manager calls included); `urllib.request.urlopen` is
wrapped here, its time is the Brevo stand-in's. "Own" time is the handler's wall time minus both, and minus
this benchmark's own bookkeeping (the item images it takes around each write to price it). Every AWS call
made inside a handler is recorded with what it asked and answered, and priced by DynamoDB's rules.
"""

from __future__ import annotations

import gc
import io
import json
import os
import time
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, redirect_stdout
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bench import inprocess
from bench.cold_start import World
from bench.cost import (
    AWS_CALL_S,
    BREVO_CALL_S,
    DYNAMODB_RRU,
    DYNAMODB_WRU,
    IDLE_POLLERS,
    LAMBDA_GB_SECOND,
    LAMBDA_REQUEST,
    LONG_POLL_S,
    SQS_REQUEST,
    WRITES,
    DynamoCall,
    Pricer,
    memory_gb,
    projections,
    write_units,
)
from bench.inprocess import in_process
from collectra import config
from local.emulator import client as emulator_client
from local.harness import Harness
from local.template import load_template

ROOT = Path(__file__).resolve().parents[1]
DEBTS = int(os.environ.get("BENCH_REMINDER_DEBTS", "100000"))
DUE = int(os.environ.get("BENCH_REMINDER_DUE", "1000"))
OTHER_DEBTORS = 1_000  # the debtors of the debts not due (at most one per such debt)
ZONE = "Europe/Paris"
NOW = datetime(2027, 3, 1, 10, 0, tzinfo=ZoneInfo(ZONE))  # a Monday, inside the default window (08:00-21:00)
DUE_ON = date(2027, 3, 4)  # step 0 (3 days before) fell on NOW's day; step 1 (on the due date) has not come
LATER_FROM = date(2027, 6, 1)  # the others fall due from here: their first look is a month before, from May
TARGET_READ_RATIO = 1.1  # "near 1": items read from the index per due debt
TARGET_CALLS_PER_EMAIL = 4
PLANNER, SENDER = "ReminderPlannerFunction", "ReminderSenderFunction"

# ------------------------------------------------------------------------------------------ recording


@dataclass
class Tally:
    """What the handlers did while recorded: their DynamoDB calls priced (bench.cost), the others counted."""

    pricer: Pricer
    dynamodb: list[DynamoCall] = field(default_factory=list)
    other: Counter[str] = field(default_factory=Counter)  # "sqs SendMessageBatch", "secretsmanager ..."
    brevo_calls: int = 0

    def operations(self) -> Counter[str]:
        return Counter(call.operation for call in self.dynamodb)

    def aws_calls(self) -> int:
        return len(self.dynamodb) + sum(self.other.values())


@dataclass
class Timed:
    wall: float = 0.0
    emulator: float = 0.0
    other_waits: float = 0.0  # Brevo (urllib) and anything through urllib3 outside botocore
    bookkeeping: float = 0.0
    invocations: int = 0

    @property
    def own(self) -> float:
        return self.wall - self.emulator - self.other_waits - self.bookkeeping


@contextmanager
def tallied(tally: Tally, timed: Timed) -> Iterator[None]:
    """One handler invocation, recorded into `tally` and timed into `timed`; its stdout (EMF metrics) dropped."""
    started = time.perf_counter()
    try:
        with inprocess.recording(tally.pricer) as recorded, redirect_stdout(io.StringIO()):
            yield
    finally:
        timed.wall += time.perf_counter() - started
        tally.dynamodb += recorded.priced
        tally.other += recorded.others()
        tally.brevo_calls += recorded.brevo_calls
        timed.emulator += recorded.emulator
        timed.other_waits += recorded.stripe + recorded.brevo
        timed.bookkeeping += recorded.bookkeeping
        timed.invocations += 1


# ------------------------------------------------------------------------------------------ set-up


@dataclass
class Seeded:
    workspace_id: str
    due_emails: set[str]
    debts: int = 0
    debtors: int = 0
    seconds: float = 0.0


def seed(world: World) -> Seeded:
    from collectra.clock import iso
    from collectra.debtors.service import new_debtor_item
    from collectra.debts.records import Debt, with_indexes
    from collectra.debts.service import new_debt_item
    from collectra.reminders.policy import DEFAULT, day_opening, due_step
    from collectra.store import keys
    from collectra.store.codec import to_attributes

    today = NOW.date()
    assert due_step(DEFAULT, DUE_ON, -1, today) == 0, "exactly step 0 should be due at NOW"
    assert due_step(DEFAULT, DUE_ON, 0, today) is None
    look_at = iso(day_opening(DEFAULT, ZONE, today))  # where the planner itself would have put them: 08:00
    client, email = world.new_account()
    # Nothing is emailed for a workspace whose owner has not verified their address (issue 12).
    verified = client.call("POST", "/auth/verify-email", {"token": world.emailed_token(email, "verify-email")})
    assert verified.status == 204, verified.body
    workspace = client.call("GET", "/workspace").json()
    workspace_id, created = workspace["id"], datetime(2027, 1, 15, 9, 0, tzinfo=ZoneInfo(ZONE))
    dynamodb, table = emulator_client("dynamodb", world.emulator.url), config.table_name()

    def debtor(label: str, n: int) -> dict[str, Any]:
        fields = {
            "name": f"{label.title()} debtor {n:06d}",
            "email": f"{label}{n:06d}@example.fr",
            "time_zone": ZONE,
            "locale": "fr",
        }
        return new_debtor_item(workspace, fields, now=created)

    def write(items: Sequence[Mapping[str, Any]]) -> None:
        for start in range(0, len(items), 25):
            request = {table: [{"PutRequest": {"Item": to_attributes(item)}} for item in items[start : start + 25]]}
            while request:
                request = dynamodb.batch_write_item(RequestItems=request).get("UnprocessedItems") or {}

    def debt(debtor_item: dict[str, Any], n: int, due_on: date, next_at: str | None) -> Debt:
        fields = {
            "invoice_number": f"INV-{n:06d}",
            "amount": 1_000 + (n * 7_919) % 400_000,
            "currency": "EUR",
            "issued_on": (due_on - timedelta(days=30)).isoformat(),
            "due_on": due_on.isoformat(),
        }
        item = new_debt_item(workspace_id, debtor_item["id"], fields, now=created, source="api")
        if next_at:
            item["next_reminder_at"] = next_at  # decides its place in gsi5
        debtor_item["open_debts"] += 1
        return with_indexes(workspace_id, item)

    started = time.perf_counter()
    due_debtors = [debtor("due", n) for n in range(DUE)]
    others = max(DEBTS - DUE, 0)
    other_debtors = [debtor("later", n) for n in range(min(OTHER_DEBTORS, others))]
    batch: list[Debt] = []
    for n, owner in enumerate(due_debtors):
        batch.append(debt(owner, n, DUE_ON, look_at))
        if len(batch) >= 500:
            write(batch)
            batch = []
    for k in range(others):
        due_on = LATER_FROM + timedelta(days=k % 200)
        batch.append(debt(other_debtors[k % len(other_debtors)], DUE + k, due_on, None))  # first look: a month before
        if len(batch) >= 500:
            write(batch)
            batch = []
    write(batch)
    write(due_debtors + other_debtors)
    write([established_sender(workspace_id, today)])
    dynamodb.update_item(
        TableName=table,
        Key=to_attributes(keys.workspace(workspace_id)),
        UpdateExpression="SET sending_quota_cap = :cap",
        ExpressionAttributeValues=to_attributes({":cap": DUE}),
    )
    return Seeded(
        workspace_id,
        {d["email"] for d in due_debtors},
        debts=DUE + others,
        debtors=len(due_debtors) + len(other_debtors),
        seconds=time.perf_counter() - started,
    )


def established_sender(workspace_id: str, today: date) -> dict[str, Any]:
    """Yesterday's sending day, clean and as large as what is due: today's quota lets every due email go (a new
    workspace's first day allows 50, `reminders.quota`), so the bench prices sent reminders, not deferred ones."""
    from collectra.reminders.quota import KEPT_DAYS
    from collectra.store import keys

    yesterday = today - timedelta(days=1)
    key = keys.sending_day(workspace_id, yesterday.isoformat())
    expires = datetime.combine(yesterday + timedelta(days=KEPT_DAYS), datetime.min.time(), ZoneInfo("UTC"))
    return {
        **key,
        "quota": DUE,
        "sent": DUE,
        "opened_at": f"{yesterday}T08:00:00Z",
        "expires_at": int(expires.timestamp()),
    }


def runs_per_month() -> int:
    template = load_template(ROOT / "template.yaml")
    rate = str(template["Parameters"]["ReminderSchedule"]["Default"])  # rate(15 minutes)
    amount, unit = rate.removeprefix("rate(").removesuffix(")").split()
    minutes = int(amount) * {"minute": 1, "minutes": 1, "hour": 60, "hours": 60}[unit]
    return 30 * 24 * 60 // minutes


# ------------------------------------------------------------------------------------------ runs


@dataclass
class PlannerRun:
    summary: dict[str, Any]
    tally: Tally
    timed: Timed


def run_planner(harness: Harness, pricer: Pricer, now: datetime) -> PlannerRun:
    tally, timed = Tally(pricer), Timed()
    with tallied(tally, timed):
        summary = harness.run_schedule(PLANNER, now)
    return PlannerRun(dict(summary), tally, timed)


@dataclass
class Drained:
    tally: Tally
    timed: Timed
    wall: float = 0.0  # the whole drain: receives and deletes included
    messages: int = 0
    failed: int = 0
    poller: Counter[str] = field(default_factory=Counter)  # the event source mapping's SQS calls


def drain(world: World, pricer: Pricer) -> Drained:
    """The sender's queue handed to it ten messages at a time, as its event source mapping does."""
    harness = world.harness
    url = harness.consumers[SENDER].queue_url
    sqs = emulator_client("sqs", world.emulator.url)
    drained = Drained(Tally(pricer), Timed())
    started = time.perf_counter()
    while True:
        messages = harness.receive(SENDER, limit=10)
        drained.poller["ReceiveMessage"] += 1
        if not messages:
            break
        with tallied(drained.tally, drained.timed):
            result = harness.invoke(SENDER, harness.sqs_event(SENDER, messages))
        failed = {item["itemIdentifier"] for item in result.get("batchItemFailures", [])}
        done = [m for m in messages if m["MessageId"] not in failed]
        drained.messages += len(messages)
        drained.failed += len(failed)
        if done:
            entries = [{"Id": str(n), "ReceiptHandle": m["ReceiptHandle"]} for n, m in enumerate(done)]
            sqs.delete_message_batch(QueueUrl=url, Entries=entries)
            drained.poller["DeleteMessageBatch"] += 1
    drained.wall = time.perf_counter() - started
    return drained


# ------------------------------------------------------------------------------------------ report


def _ops(counter: Counter[str], per: float = 1.0) -> str:
    if per == 1.0:
        return ", ".join(f"{name} x{n}" for name, n in counter.most_common()) or "-"
    return ", ".join(f"{name} {n / per:.2f}" for name, n in counter.most_common()) or "-"


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def _units(calls: list[DynamoCall]) -> tuple[float, float, float]:
    return (
        sum(c.read_units for c in calls),
        sum(c.write_units for c in calls),
        sum(c.index_write_units for c in calls),
    )


def report_planner(seeded: Seeded, run: PlannerRun) -> None:
    calls = run.tally.dynamodb
    queries = [c for c in calls if c.operation == "Query" and c.index == "gsi5"]
    scanned = sum(c.scanned or 0 for c in queries)
    batches = [c for c in calls if c.operation == "BatchGetItem"]
    writes = [c for c in calls if c.operation in WRITES]
    due = run.summary["due"]
    ratio = scanned / DUE if DUE else float("nan")
    verdict = "met" if DUE and ratio <= TARGET_READ_RATIO else "MISSED"
    now_text = f"{NOW:%Y-%m-%d %H:%M} {ZONE} (a {NOW:%A}; {NOW.astimezone(ZoneInfo('UTC')):%H:%M} UTC)"
    print(f"1. Planner: one scheduled run at {now_text}, handler in this process, warm imports, cold clients.")
    print(
        f"   {seeded.debts:,} debts in the workspace, {DUE:,} due now (one debtor each, default policy, step 0 of "
        f"debts due {DUE_ON}), the other {seeded.debts - DUE:,} first looked at from "
        f"{LATER_FROM - timedelta(days=31)} on."
    )
    print(f"   {'items read from gsi5 (sum of ScannedCount)':46} {scanned:>10,}")
    print(f"   {'gsi5 Query calls':46} {len(queries):>10,}   (16 shards, 500 items a page)")
    print(
        f"   {'BatchGetItem calls':46} {len(batches):>10,}   ({sum(c.items for c in batches):,} keys: the workspace "
        "and the due debtors)"
    )
    print(
        f"   {'write calls':46} {len(writes):>10,}   ({sum(c.items for c in writes):,} items; "
        f"{_ops(Counter(c.operation for c in writes))})"
    )
    print(f"   {'other AWS calls':46} {sum(run.tally.other.values()):>10,}   ({_ops(run.tally.other)})")
    print(f"   {'items read / due':46} {ratio:>10.3f}   (target: near 1, here <= {TARGET_READ_RATIO}): {verdict}")
    print(
        f"   {'planner own time (emulator excluded)':46} {_ms(run.timed.own):>10}   "
        f"per due debt {run.timed.own / max(DUE, 1) * 1000:.2f} ms"
    )
    print(
        f"   {'planner wall time':46} {_ms(run.timed.wall):>10}   (emulator {_ms(run.timed.emulator)}, "
        f"pricing bookkeeping {_ms(run.timed.bookkeeping)})"
    )
    skipped = run.summary.get("skipped") or {}
    print(
        f"   RunSummary: due {due:,}, claimed {run.summary['claimed']:,}, messages {run.summary['messages']:,}, "
        f"rescheduled {run.summary['rescheduled']:,}, skipped {skipped or 'none'}"
    )


def report_sender(seeded: Seeded, drained: Drained, outbox: list[dict[str, Any]]) -> int:
    emails = len(outbox)
    recipients = Counter(m["to"][0]["email"] for m in outbox)
    exact = set(recipients) == seeded.due_emails and all(n == 1 for n in recipients.values())
    calls = drained.tally.dynamodb
    per_email = len(calls) / emails if emails else float("nan")
    verdict = "met" if emails and per_email <= TARGET_CALLS_PER_EMAIL else "MISSED"
    timed = drained.timed
    print(
        f"\n2. Sender: the queue drained through the handler in this process, {timed.invocations:,} invocations of "
        "up to 10 messages (received, handled, then deleted unless reported failed, as Lambda does)."
    )
    print(
        f"   {'emails sent (Brevo stand-in outbox)':46} {emails:>10,}   to {len(recipients):,} debtors, "
        f"{DUE:,} due: exactly one email per due debtor: {'yes' if exact else 'NO'}"
    )
    print(f"   {'messages handled / reported failed':46} {drained.messages:>10,} / {drained.failed:,}")
    print(
        f"   {'own emails/s (emulator and Brevo excluded)':46} {emails / timed.own if timed.own else 0:>10,.1f}   "
        f"({timed.own / max(emails, 1) * 1000:.2f} ms per email; own {_ms(timed.own)})"
    )
    print(
        f"   {'wall emails/s (handler)':46} {emails / timed.wall if timed.wall else 0:>10,.1f}   (handler wall "
        f"{_ms(timed.wall)}: emulator {_ms(timed.emulator)}, Brevo stand-in {_ms(timed.other_waits)}, pricing "
        f"bookkeeping {_ms(timed.bookkeeping)})"
    )
    print(
        f"   {'wall emails/s (whole drain, with SQS polls)':46} {emails / drained.wall if drained.wall else 0:>10,.1f}"
        f"   ({drained.wall:,.1f} s)"
    )
    print(f"   {'DynamoDB calls per email':46} {per_email:>10.2f}   (target <= {TARGET_CALLS_PER_EMAIL}): {verdict}")
    print(f"   {'  per email, by operation':46} {'':>10}   {_ops(drained.tally.operations(), emails or 1)}")
    print(f"   {'  in all':46} {len(calls):>10,}   {_ops(drained.tally.operations())}")
    handler_sqs = Counter({k: n for k, n in drained.tally.other.items() if k.startswith("sqs")})
    transact = [c for c in calls if c.operation == "TransactWriteItems"]
    sizes = Counter(c.items for c in transact)
    print(
        f"   {'  TransactWriteItems by items':46} {'':>10}   "
        + ", ".join(f"{k} items x{n}" for k, n in sorted(sizes.items()))
    )
    batch_keys = Counter(c.items for c in calls if c.operation == "BatchGetItem")
    print(
        f"   {'  BatchGetItem by keys':46} {'':>10}   "
        + ", ".join(f"{k} keys x{n}" for k, n in sorted(batch_keys.items()))
    )
    print(
        f"   {'SQS calls':46} {sum(drained.poller.values()) + sum(handler_sqs.values()):>10,}   by the event "
        f"source mapping: {_ops(drained.poller)}; by the handler: {_ops(handler_sqs)}"
    )
    print(
        f"   {'other AWS calls by the handler':46} {sum(drained.tally.other.values()):>10,}   "
        f"({_ops(drained.tally.other)})"
    )
    print(f"   {'Brevo calls':46} {drained.tally.brevo_calls:>10,}")
    return emails


@dataclass
class Row:
    component: str
    inputs: str
    dollars: float


def cost_rows(plan: PlannerRun, drained: Drained, emails: int, scale: float) -> list[Row]:
    planner_gb, sender_gb = memory_gb("ReminderPlannerFunction"), memory_gb("ReminderSenderFunction")
    rows: list[Row] = []
    # Lambda
    p_calls = plan.tally.aws_calls()
    p_seconds = plan.timed.own + p_calls * AWS_CALL_S
    p_gbs = p_seconds * planner_gb * scale
    rows.append(
        Row(
            "Lambda planner, duration",
            f"{scale:.2f} runs x ({plan.timed.own:.3f} s own + {p_calls:,} AWS calls x {AWS_CALL_S * 1000:.0f} ms) "
            f"x {planner_gb:g} GB = {p_gbs:,.2f} GB-s x ${LAMBDA_GB_SECOND}",
            p_gbs * LAMBDA_GB_SECOND,
        )
    )
    rows.append(Row("Lambda planner, requests", f"{scale:.2f} x ${LAMBDA_REQUEST * 1e6:.2f}/M", scale * LAMBDA_REQUEST))
    s_calls = drained.tally.aws_calls()
    s_brevo = drained.tally.brevo_calls
    s_seconds = drained.timed.own + s_calls * AWS_CALL_S + s_brevo * BREVO_CALL_S
    s_gbs = s_seconds * sender_gb * scale
    per_email = s_seconds / max(emails, 1)
    rows.append(
        Row(
            "Lambda sender, duration",
            f"10,000 x ({drained.timed.own / max(emails, 1) * 1000:.1f} ms own + "
            f"{s_calls / max(emails, 1):.2f} AWS calls x {AWS_CALL_S * 1000:.0f} ms + {s_brevo / max(emails, 1):.2f} "
            f"Brevo x {BREVO_CALL_S * 1000:.0f} ms = {per_email * 1000:.0f} ms) x {sender_gb:g} GB = {s_gbs:,.1f} GB-s "
            f"x ${LAMBDA_GB_SECOND}",
            s_gbs * LAMBDA_GB_SECOND,
        )
    )
    invocations = drained.timed.invocations * scale
    rows.append(
        Row(
            "Lambda sender, requests",
            f"{invocations:,.0f} invocations ({drained.messages / max(drained.timed.invocations, 1):.1f} messages "
            f"each) x ${LAMBDA_REQUEST * 1e6:.2f}/M",
            invocations * LAMBDA_REQUEST,
        )
    )
    # DynamoDB
    for name, calls in (("planner", plan.tally.dynamodb), ("sender", drained.tally.dynamodb)):
        reads, table_writes, index_writes = (x * scale for x in _units(calls))
        read_calls = [c for c in calls if c.read_units]
        detail = ", ".join(
            f"{op} {sum(c.read_units for c in read_calls if c.operation == op) * scale:,.0f}"
            for op in sorted({c.operation for c in read_calls})
        )
        rows.append(
            Row(
                f"DynamoDB {name}, reads",
                f"{reads:,.0f} RRU ({detail}) x ${DYNAMODB_RRU * 1e6:.3f}/M",
                reads * DYNAMODB_RRU,
            )
        )
        write_calls = [c for c in calls if c.operation in WRITES]
        items: Counter[str] = Counter()
        for c in write_calls:
            items[c.operation] += c.items
        written = ", ".join(f"{op} {n * scale:,.0f} items" for op, n in items.items())
        rows.append(
            Row(
                f"DynamoDB {name}, writes",
                f"{table_writes:,.0f} table WRU ({written})"
                f" + {index_writes:,.0f} index WRU = {table_writes + index_writes:,.0f} x ${DYNAMODB_WRU * 1e6:.3f}/M",
                (table_writes + index_writes) * DYNAMODB_WRU,
            )
        )
    # SQS
    sends = sum(n for k, n in plan.tally.other.items() if k.startswith("sqs")) + sum(
        n for k, n in drained.tally.other.items() if k.startswith("sqs")
    )
    receives, deletes = drained.timed.invocations, drained.poller["DeleteMessageBatch"]  # receives with messages
    requests = (sends + receives + deletes) * scale
    rows.append(
        Row(
            "SQS",
            f"({sends:,} SendMessageBatch + {receives:,} ReceiveMessage + {deletes:,} DeleteMessageBatch) x "
            f"{scale:.2f} = {requests:,.0f} requests x ${SQS_REQUEST * 1e6:.2f}/M",
            requests * SQS_REQUEST,
        )
    )
    return rows


def written_detail(calls: list[DynamoCall]) -> str:
    """Per kind of item written: how many per call of this run, their mean size and units each."""
    kinds: dict[str, list[tuple[int, int, int]]] = {}
    for call in calls:
        for kind, size, units, index_units in call.written:
            kinds.setdefault(kind, []).append((size, units, index_units))
    parts = []
    for kind, rows in sorted(kinds.items(), key=lambda kv: -len(kv[1])):
        n = len(rows)
        parts.append(
            f"{kind} x{n:,} ({sum(r[0] for r in rows) / n:,.0f} B, {sum(r[1] for r in rows) / n:g} + "
            f"{sum(r[2] for r in rows) / n:g} WRU)"
        )
    return ", ".join(parts)


def write_units_per_reminder(plan: PlannerRun, drained: Drained, emails: int) -> str:
    """The DynamoDB write units one sent reminder costs, the table's and the indexes', by function."""
    parts, total = [], 0.0
    for name, calls in (("planner", plan.tally.dynamodb), ("sender", drained.tally.dynamodb)):
        _, table, indexes = (units / max(emails, 1) for units in _units(calls))
        parts.append(f"{name} {table:.2f} + {indexes:.2f}")
        total += table + indexes
    return f"{total:.2f} WRU ({', '.join(parts)}; table + indexes)"


def report_cost(plan: PlannerRun, drained: Drained, emails: int, empty: PlannerRun | None) -> None:
    scale = 10_000 / max(emails, 1)
    rows = cost_rows(plan, drained, emails, scale)
    print(
        f"\n3. Cost of 10,000 reminders on AWS (us-east-1 on-demand prices, no free tier), scaled from this run: "
        f"{emails:,} emails, one debt each, so x{scale:.2f}."
    )
    print(
        "   Assumptions: Lambda arm64 $0.0000133334 per GB-s and $0.20 per million requests; MemorySize from "
        f"template.yaml (planner {memory_gb('ReminderPlannerFunction'):g} GB, sender "
        f"{memory_gb('ReminderSenderFunction'):g} GB); billed duration = the measured own time (this machine's "
        f"CPU: a generous proxy) + {AWS_CALL_S * 1000:.0f} ms per AWS call (DynamoDB, SQS, Secrets Manager) + "
        f"{BREVO_CALL_S * 1000:.0f} ms per Brevo call, no cold starts."
    )
    print(
        "   DynamoDB on-demand $0.625 per million WRU, $0.125 per million RRU. Writes: 1 WRU per KB of the larger "
        "of the item's before and after images (read from the emulator around each call), 2 per KB in "
        f"TransactWriteItems; plus the global secondary indexes ({projections()}): an entry put or removed 1 WRU "
        "per KB of the entry (keys + projected attributes + 100 B), a changed index key 2 (delete + put), changed "
        "projected attributes under the same key 1, others 0 (not doubled in transactions); an item without an "
        "index's keys is not in it. Reads: Query = its returned items' sizes summed per call (ScannedCount = "
        "Count: no filter), "
        "rounded up to 4 KB, x0.5 (eventually consistent: gsi5 cannot be read otherwise); BatchGetItem = each "
        "item's size rounded up to 4 KB, x1 strongly consistent or x0.5 eventually, a key not found 1 unit. "
        "Item sizes by DynamoDB's rules (names + values, numbers ~1 byte per 2 digits + 1)."
    )
    print(
        "   SQS $0.40 per million requests; a SendMessageBatch of up to 10 is one request, and so is each of the "
        "event source mapping's receives that return a batch and its deletes (DeleteMessageBatch: one per batch); its "
        "empty polls are a fixed cost, below."
    )
    print(f"   {'component':28} {'$ per 10,000':>12}  formula inputs")
    for row in rows:
        print(f"   {row.component:28} {row.dollars:12.4f}  {row.inputs}")
    total = sum(row.dollars for row in rows)
    print(f"   {'total':28} {total:12.4f}  (${total / 10_000 * 1e6:,.2f} per million reminders)")
    print(f"   {'write units per reminder':28} {'':>12}  {write_units_per_reminder(plan, drained, emails)}")
    by_service: dict[str, float] = {}
    for row in rows:
        service = row.component.split()[0]
        by_service[service] = by_service.get(service, 0.0) + row.dollars
    print(
        "   by service: "
        + ", ".join(f"{name} ${value:.4f} ({value / total:.0%})" for name, value in by_service.items())
    )
    print("   Items written in this run, by kind: count (mean size, table + index WRU each):")
    print(f"     planner: {written_detail(plan.tally.dynamodb)}")
    print(f"     sender:  {written_detail(drained.tally.dynamodb)}")
    planned, sent = write_units(plan.tally.dynamodb), write_units(drained.tally.dynamodb)
    due, mailed = max(plan.summary["claimed"], 1), max(emails, 1)
    per_reminder = (planned[0] + planned[1]) / due + (sent[0] + sent[1]) / mailed
    print(
        f"   WRU per reminder: {per_reminder:.2f} = planner {planned[0] / due:.2f} table + {planned[1] / due:.2f} "
        f"index per debt claimed, sender {sent[0] / mailed:.2f} table + {sent[1] / mailed:.2f} index per email "
        f"(${per_reminder * DYNAMODB_WRU * 10_000:.4f} per 10,000 reminders in writes alone)."
    )
    if empty is not None:
        e_reads, e_writes, e_index = _units(empty.tally.dynamodb)
        e_calls = empty.tally.aws_calls()
        seconds = empty.timed.own + e_calls * AWS_CALL_S
        gb = memory_gb("ReminderPlannerFunction")
        each = (
            seconds * gb * LAMBDA_GB_SECOND
            + LAMBDA_REQUEST
            + e_reads * DYNAMODB_RRU
            + (e_writes + e_index) * DYNAMODB_WRU
        )
        month = runs_per_month()
        print(
            f"   Fixed, whatever is due: a planner run with nothing due (measured 15 minutes later: "
            f"{_ops(empty.tally.operations())}; {empty.timed.own * 1000:.0f} ms own + {e_calls} calls x "
            f"{AWS_CALL_S * 1000:.0f} ms; {e_reads:g} RRU, {e_writes + e_index:g} WRU) costs ${each:.7f}; x {month:,} "
            f"runs a month (rate(15 minutes)) = ${each * month:.3f} a month."
        )
    idle = IDLE_POLLERS * (30 * 24 * 3600 // LONG_POLL_S)
    print(
        f"   Not included: the event source mapping's idle long polls (an estimate, not measured: {IDLE_POLLERS} "
        f"pollers x one {LONG_POLL_S} s poll each = {idle:,} requests, ${idle * SQS_REQUEST:.2f} a month); Brevo's "
        "plan; CloudWatch Logs and EMF metrics; X-Ray (Tracing: Active); data transfer; storage."
    )


def main() -> int:
    with World() as world, in_process(world):
        pricer = inprocess.pricer(world)
        print(f"Reminders: seeding {DEBTS:,} debts, {DUE:,} due now (batch_write_item, 25 items a call)...", flush=True)
        seeded = seed(world)
        print(
            f"   {seeded.debts:,} debts and {seeded.debtors:,} debtors written in {seeded.seconds:.1f} s\n", flush=True
        )
        world.brevo.clear()  # the sign-up's verification email: the outbox is the sender's alone from here
        for logical_id in (PLANNER, SENDER):
            world.harness.init(logical_id)  # Lambda's init, before the clock starts
        # moto's items share this process: keep them out of the collector's passes (not the function's cost).
        gc.collect()
        gc.freeze()
        plan = run_planner(world.harness, pricer, NOW.astimezone(ZoneInfo("UTC")))
        report_planner(seeded, plan)
        drained = drain(world, pricer)
        emails = report_sender(seeded, drained, world.brevo.outbox())
        empty = run_planner(world.harness, pricer, (NOW + timedelta(minutes=15)).astimezone(ZoneInfo("UTC")))
        if empty.summary["due"] or empty.summary["claimed"]:
            print(f"\n   (the run 15 minutes later was not empty: {json.dumps(empty.summary)})")
        report_cost(plan, drained, emails, empty)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
