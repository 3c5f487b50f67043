"""A data export of a large workspace: the worker's time, its peak memory, its DynamoDB calls by operation
(no Scan), and the archive's size.

    python -m bench.exports     (BENCH_EXPORT_DEBTS debts, 20,000 by default; printed with every figure.
                                 100,000 takes about half an hour here: the emulator answers each Query in
                                 ~5-10 ms, one at a time, where DynamoDB answers them side by side)

Set-up, not timed: an owner signed up through the gateway; then, written straight into the emulator
(batch_write_item, 25 items a call) with the application's own item builders, what the API would have
written: the debtors (1 per 100 debts), each debt with its invoice-number claim and its "created" timeline
entry, one debt in ten paid by hand (its ledger entry and timeline entries), one in fifty with a card
payment attempt and one in twenty with a reminder email (communication), both listed on gsi1 as the app
lists them.

Then as AWS runs it: POST /account/export through the gateway (202), the export queue's message received,
and the worker's handler invoked once with Lambda's SQS event in a fresh interpreter of its own (a cold
Lambda container, away from the emulator that shares this process), which reports its wall time, the time
it waited for the emulator, its peak resident memory, and every DynamoDB operation it made. GET
/account/export/{id} must then be ready, and its link is downloaded over HTTP.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bench import cost
from bench.cold_start import World
from bench.inprocess import in_process
from collectra import config
from local.emulator import client as emulator_client
from local.template import LambdaFunction

ROOT = Path(__file__).resolve().parents[1]
DEBTS = int(os.environ.get("BENCH_EXPORT_DEBTS", "20000"))
DEBTS_PER_DEBTOR = 100
PAID_EVERY, CARD_EVERY, EMAILED_EVERY = 10, 50, 20
CREATED = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)
WORKER = "ExportWorkerFunction"
# The deadline the worker is given here: the emulator, not the worker, sets the pace locally (see above).
LOCAL_DEADLINE_S = 4 * 3600
DYNAMODB_QUERY_S = 0.006  # a Query's round trip from Lambda to DynamoDB in the same region (an estimate)


def seed(world: World, client: Any) -> dict[str, int]:
    """The workspace's items, written as the API would have; how many of each were written."""
    from collectra.debtors.service import new_debtor_item
    from collectra.debts.service import creation_ops, money_ops
    from collectra.debts.timeline import SYSTEM, actor_user
    from collectra.interest import Lines
    from collectra.payments.attempts import new_attempt
    from collectra.store import keys
    from collectra.store.codec import to_attributes

    workspace = client.call("GET", "/workspace").json()
    user_id = client.call("GET", "/auth/me").json()["user"]["id"]
    workspace_id, actor = workspace["id"], actor_user(user_id)
    dynamodb, table = emulator_client("dynamodb", world.emulator.url), config.table_name()
    written: Counter[str] = Counter()
    pending: list[dict[str, Any]] = []

    def flush() -> None:
        for start in range(0, len(pending), 25):
            chunk = pending[start : start + 25]
            request = {table: [{"PutRequest": {"Item": to_attributes(item)}} for item in chunk]}
            while request:
                request = dynamodb.batch_write_item(RequestItems=request).get("UnprocessedItems") or {}
        pending.clear()

    def put(items: list[dict[str, Any]]) -> None:
        latest = {(item["pk"], item["sk"]): item for item in items}  # a debt saved twice: its last image
        pending.extend(latest.values())
        written.update(item["sk"].split("#", 1)[0] for item in latest.values())
        if len(pending) >= 500:
            flush()

    debtors = []
    for n in range(max(1, DEBTS // DEBTS_PER_DEBTOR)):
        identity = {"name": f"Debtor {n:06d}", "email": f"debtor{n:06d}@example.fr", "locale": "fr"}
        debtors.append(new_debtor_item(workspace, identity, now=CREATED) | {"open_debts": 0})
    for n in range(DEBTS):
        owner = debtors[n % len(debtors)]
        fields = {"invoice_number": f"INV-{n:07d}", "amount": 1_000 + (n * 7_919) % 400_000, "currency": "EUR"}
        fields |= {"issued_on": "2026-08-01", "due_on": (date(2026, 9, 1) + timedelta(days=n % 120)).isoformat()}
        from collectra.debts.service import new_debt_item

        debt = new_debt_item(workspace_id, owner["id"], fields, now=CREATED, source="api")
        created = creation_ops(workspace_id, debt, actor=actor, now=CREATED)
        items = [op.body["Item"] for op in created if op.kind == "Put"]
        debt = items[0]
        if n % PAID_EVERY == 0:
            debt, ops, _ = money_ops(
                workspace_id,
                debt,
                500,
                lines=Lines(500, 0, 0),
                day=CREATED.date(),
                ledger={"kind": "payment", "method": "transfer", "reference": f"VIR-{n}"},
                actor=actor,
                now=CREATED,
            )
            items += [op.body["Item"] for op in ops if op.kind == "Put"]
        if n % CARD_EVERY == 0:
            attempt = new_attempt(
                workspace_id,
                f"pay_bench{n:07d}",
                owner["id"],
                [debt],
                basket="b",
                now=CREATED,
                designation="principal",
                quoted_on=CREATED.date(),
                lines={debt["id"]: {"principal": debt["amount"] - debt.get("amount_paid", 0)}},
            )
            items.append(attempt | {"status": "expired"})
        if n % EMAILED_EVERY == 0:
            comm_id = f"com_bench{n:07d}"
            items.append(
                {
                    **keys.reminder_claim(workspace_id, debt["id"], 0),  # an email's record is its lead claim
                    "claimed_at": "2026-10-01T07:45:00Z",
                    "expires_at": 1_830_000_000,
                    "gsi1pk": keys.communications_of_workspace(workspace_id),
                    "gsi1sk": f"2026-10-01T08:00:00Z#{comm_id}",
                    "id": comm_id,
                    "kind": "reminder",
                    "debtor_id": owner["id"],
                    "debt_ids": [debt["id"]],
                    "status": "sent",
                    "events": {"delivered": "2026-10-01T08:00:05Z"},
                    "created_at": "2026-10-01T08:00:00Z",
                    "actor": SYSTEM,
                }
            )
        owner["open_debts"] += 1
        put(items)
    put(debtors)
    flush()
    return dict(written)


def run_worker(world: World) -> list[dict[str, Any]]:
    """Every message of the export queue handed to the worker's handler, each in a fresh interpreter
    (bench/child.py): a cold container of its own, away from the emulator that shares this process; the
    figures of each invocation, in the order they ran (the plan, the pieces, the assembly)."""
    harness = world.harness
    function = harness.functions[WORKER]
    module, _, handler = function.handler.rpartition(".")
    ran: list[dict[str, Any]] = []
    while taken := harness.receive(WORKER, limit=1, visibility_timeout=LOCAL_DEADLINE_S):
        [message] = taken
        done = subprocess.run(
            [
                sys.executable,
                str(ROOT / "bench" / "child.py"),
                str(ROOT / function.code_uri),
                str(ROOT / "layers" / "common"),
                module,
                handler,
                str(LOCAL_DEADLINE_S),
            ],
            input=json.dumps(harness.sqs_event(WORKER, [message])),
            capture_output=True,
            text=True,
            env={"PATH": os.environ.get("PATH", ""), **harness.environment(WORKER), "POWERTOOLS_LOG_LEVEL": "WARNING"},
            check=False,
        )
        lines = [line for line in done.stdout.splitlines() if line.startswith("BENCH-RESULT ")]
        if done.returncode or not lines:
            raise RuntimeError(f"the export worker failed:\n{done.stderr[-3000:]}")
        harness.delete(WORKER, [message])
        figures: dict[str, Any] = json.loads(lines[-1].removeprefix("BENCH-RESULT "))
        body = json.loads(message["Body"])
        figures["step"] = "piece" if "piece" in body else "assemble" if body.get("assemble") else "plan"
        figures["wall"] = figures["first_request"]
        figures["operations"] = Counter(figures["calls"])
        print(f"   {figures['step']:8} {figures['cpu']:8.1f} s CPU  {len(figures['calls']):8,} AWS calls", flush=True)
        ran.append(figures)
    return ran


def main() -> int:
    with World() as world, in_process(world):
        client, _ = world.new_account()
        print(f"Exports: seeding a workspace of {DEBTS:,} debts (batch_write_item, 25 items a call)...", flush=True)
        started = time.perf_counter()
        written = seed(world, client)
        print(
            f"   {sum(written.values()):,} items in {time.perf_counter() - started:.1f} s: "
            + ", ".join(f"{kind} {n:,}" for kind, n in sorted(written.items())),
            flush=True,
        )
        asked = client.call("POST", "/account/export")
        assert asked.status == 202, asked.body
        export_id = asked.json()["id"]
        steps = run_worker(world)
        for figures in steps:
            shown_figures = {name: value for name, value in figures.items() if name not in ("calls", "operations")}
            print(f"   the worker's own figures: {json.dumps(shown_figures)}", flush=True)  # kept whatever happens next
        # The export outlives the 15-minute access token signed in at the start: refresh, as the web client does.
        assert client.call("POST", "/auth/refresh").status == 200
        answered = client.call("GET", f"/account/export/{export_id}")
        assert answered.status == 200, answered.body
        shown = answered.json()
        with urllib.request.urlopen(shown["download_url"], timeout=60) as answer:  # noqa: S310 - the emulator
            downloaded = len(answer.read())
        report(world.harness.functions[WORKER], steps, shown, downloaded)
        failed = shown["state"] != "ready" or any(figures["answer"].get("batchItemFailures") for figures in steps)
        scans = sum(n for figures in steps for name, n in figures["operations"].items() if name.endswith(":Scan"))
        return 1 if failed or scans or shown["counts"].get("debts") != DEBTS else 0


def report(function: LambdaFunction, steps: list[dict[str, Any]], shown: dict[str, Any], downloaded: int) -> None:
    from collectra.exports.pieces import DEBTS_PER_PIECE
    from collectra.workspaces.contents import READERS

    counts = shown["counts"] or {}
    records = sum(counts.values())
    print(f"\n   Export of {DEBTS:,} debts, each step of the worker in a fresh interpreter (a cold container):")
    print(f"   {'state':44} {shown['state']:>12}   ({records:,} records: debts {counts.get('debts', 0):,}")
    print(
        f"   {'':44} {'':>12}    timeline {counts.get('timeline', 0):,}, ledger {counts.get('ledger', 0):,}, "
        f"payments {counts.get('payment_attempts', 0):,}, emails {counts.get('communications', 0):,})"
    )
    projected: dict[str, float] = {}
    for step in ("plan", "piece", "assemble"):
        ran = [figures for figures in steps if figures["step"] == step]
        operations: Counter[str] = Counter()
        for figures in ran:
            operations.update(figures["operations"])
        dynamodb = {name.split(":", 1)[1]: n for name, n in operations.items() if name.startswith("dynamodb:")}
        others = {name: n for name, n in operations.items() if not name.startswith("dynamodb:")}
        cpu = sum(figures["cpu"] for figures in ran)
        queries = dynamodb.get("Query", 0)
        # Pieces read histories READERS at a time; the plan's counting Queries and the assembly's reads are serial.
        projected[step] = cpu + queries * DYNAMODB_QUERY_S / (READERS if step == "piece" else 1)
        peak = max(figures["rss_peak_kb"] for figures in ran) / 1024
        print(
            f"   {step + f' ({len(ran)} invocation(s))':44} {cpu:>10.1f} s   CPU; wall here "
            f"{sum(f['wall'] for f in ran):,.1f} s; peak memory {peak:.0f} MB; projected on AWS {projected[step]:.1f} s"
        )
        print(
            f"   {'':44} {'':>12}   DynamoDB "
            + ", ".join(f"{name} {n:,}" for name, n in sorted(dynamodb.items()))
            + "; "
            + ", ".join(f"{name} {n:,}" for name, n in sorted(others.items()))
        )
    per_debt = projected["piece"] / DEBTS
    piece_s = per_debt * DEBTS_PER_PIECE
    print(
        f"   {'one piece of ' + f'{DEBTS_PER_PIECE:,} debts, projected':44} {piece_s:>10.1f} s   "
        f"({per_debt * 1000:.2f} ms a debt: CPU + Queries x {DYNAMODB_QUERY_S * 1000:.0f} ms / {READERS} readers; "
        f"timeout {function.timeout} s)"
    )
    million = 1_000_000
    scale = million / DEBTS
    pieces_needed = -(-million // DEBTS_PER_PIECE)
    concurrency = 5  # the worker's event source mapping's maximum concurrency (stack/functions/exports.py)
    plan_s, assemble_s = projected["plan"] * scale, projected["assemble"] * scale
    total = plan_s + -(-pieces_needed // concurrency) * piece_s + assemble_s
    print(
        f"   {'1,000,000 debts, projected':44} {total:>10.1f} s   (plan {plan_s:.0f} s, {pieces_needed} pieces "
        f"{concurrency} at a time, assembly {assemble_s:.0f} s; longest invocation {max(piece_s, assemble_s):.0f} s)"
    )
    gigabytes = function.memory_size / 1024
    dollars = cost.request_dollars(sum(projected.values()), gigabytes, [])
    print(
        f"   {'its Lambda cost on AWS (bench.cost)':44} {dollars:>10.5f} $   "
        f"(x {gigabytes:g} GB x ${cost.LAMBDA_GB_SECOND}; reads not priced here)"
    )
    print(
        f"   {'archive size (zip, downloaded over HTTP)':44} {downloaded / 1e6:>10.1f} MB   "
        f"(record says {int(shown['size_bytes'] or 0) / 1e6:.1f} MB)"
    )


if __name__ == "__main__":
    raise SystemExit(main())
