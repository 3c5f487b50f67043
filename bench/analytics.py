"""GET /workspace/analytics/summary with 1,000 and with 100,000 debts: its DynamoDB calls and its time.

Two accounts are signed up through the gateway. Each workspace's figures are seeded as the debt writes leave
them: every debt's deltas (`debts.aggregates.delta`: its creation at a random moment of the last two years, then,
for most, payments, write-offs and disputes later) are folded by the figures' own code (`analytics.figures.fold`)
into the closing state at today's midnight, the item the first read of the day writes; today's changes (the same
number in both workspaces: what a day brings, not the ledger) are written as the shards of their quarters. The
summary never reads a debt, so none is written. Each request is served in this process, warm, RUNS times.
"""

from __future__ import annotations

import gc
import json
import os
import random
import time
import zlib
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from bench.cold_start import World
from bench.inprocess import Served, cookies_of, in_process, median_p95, serve
from collectra import store
from collectra.analytics.closings import midnight
from collectra.analytics.figures import Figures, fold
from collectra.debts import aggregates
from collectra.debts.records import Debt
from collectra.debts.service import new_debt_item, today_in
from collectra.debts.states import Status
from collectra.store import keys

RUNS = int(os.environ.get("BENCH_ANALYTICS_RUNS", "30"))
SMALL, LARGE = 1_000, int(os.environ.get("BENCH_ANALYTICS_LARGE", "100000"))
TODAY_CHANGES = 300  # debts written today in either workspace
TARGET_RATIO = 1.3
TARGET_CALLS = 2
PATH = "/workspace/analytics/summary"


def _history(
    workspace_id: str, number: int, rng: random.Random, now: datetime
) -> list[tuple[datetime, dict[str, int]]]:
    """One debt's life as the writes record it: (when, delta) for its creation and what happened to it after."""
    created = now - timedelta(minutes=rng.randrange(60 * 24 * 730))
    due = created.date() + timedelta(days=rng.choice((14, 30, 45, 60)))
    fields = {
        "invoice_number": f"INV-{number:06d}",
        "amount": rng.randrange(1_000, 500_000),
        "currency": rng.choice(("EUR", "EUR", "EUR", "USD")),
        "issued_on": created.date().isoformat(),
        "due_on": due.isoformat(),
    }
    debt = new_debt_item(workspace_id, f"dbt_{number % 500}", fields, now=created, source="api")
    changes = [(created, aggregates.delta(None, debt, now=created))]
    later = created + timedelta(days=rng.randrange(1, 120))
    fate = rng.random()
    if later < now and fate < 0.7:  # paid, by page or by hand, sometimes after a reminder
        after = cast(Debt, {**debt, "amount_paid": debt["amount"], "status": Status.PAID.value})
        if fate < 0.3:
            after |= {"reminder_step": 0, "last_reminded_at": (later - timedelta(days=2)).isoformat()}
        changes.append((later, aggregates.delta(debt, after, now=later, by_page=fate < 0.4)))
    elif later < now and fate < 0.8:
        status = rng.choice((Status.WRITTEN_OFF, Status.DISPUTED))
        changes.append((later, aggregates.delta(debt, cast(Debt, {**debt, "status": status.value}), now=later)))
    return changes


def seed(world: World, label: str, size: int) -> tuple[dict[str, str], dict[str, Any], float, int]:
    """A new account whose figures stand as `size` debts' writes leave them (the closing state as `closings`
    writes it); its cookies, workspace, the seconds it took and the closing state's size in bytes."""
    client, _ = world.new_account()
    workspace = client.call("GET", "/workspace").json()
    zone, now, started = ZoneInfo(workspace["time_zone"]), datetime.now(UTC), time.perf_counter()
    today = today_in(workspace, now)
    opening = midnight(today, zone)
    rng = random.Random(size)
    before: list[tuple[str, dict[str, int]]] = []
    for number in range(size):
        for at, counters in _history(workspace["id"], number, rng, opening):
            before.append((aggregates.quarter_of(at), counters))
    figures = fold(Figures(), before, zone)
    figures.at = aggregates.instant(opening)
    state = zlib.compress(json.dumps(figures.as_dict(), separators=(",", ":"), sort_keys=True).encode())
    shards: defaultdict[tuple[str, int], defaultdict[str, int]] = defaultdict(lambda: defaultdict(int))
    for number in range(TODAY_CHANGES):  # today's: the same in both workspaces
        at = opening + (now - opening) * rng.random()
        for _, counters in _history(workspace["id"], size + number, rng, at)[:1]:
            for name, amount in counters.items():
                shards[(aggregates.quarter_of(at), number % aggregates.SHARDS)][name] += amount
    store.put_many(
        [
            {**keys.analytics_closing(workspace["id"], figures.at), "figures": state},
            *(
                {**keys.analytics_deltas(workspace["id"], quarter, shard), **counters}
                for (quarter, shard), counters in shards.items()
            ),
        ]
    )
    return cookies_of(client), workspace, time.perf_counter() - started, len(state)


def timed(cookies: dict[str, dict[str, str]]) -> dict[str, list[Served]]:
    """RUNS requests of each workspace, taken in turns: a machine busy with something else slows both alike."""
    gc.collect()
    gc.freeze()
    for jar in cookies.values():
        serve("GET", PATH, jar)  # warm-up: imports the handler, creates the client
    runs: dict[str, list[Served]] = {label: [] for label in cookies}
    for _ in range(RUNS):
        for label, jar in cookies.items():
            runs[label].append(serve("GET", PATH, jar))
    return runs


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f}"


def main() -> int:
    with World() as world, in_process(world):
        print(
            f"Analytics summary: {PATH}, warm handler in this process, {RUNS} requests each, the two workspaces in "
            "turns; ms, median / p95."
        )
        seeded = {label: seed(world, label, size) for label, size in (("small", SMALL), ("large", LARGE))}
        runs = timed({label: cookies for label, (cookies, *_) in seeded.items()})
        print(
            f"{'workspace':10} {'debts':>8} {'seed s':>7} {'state KB':>8} {'own med':>8} {'own p95':>8} "
            f"{'tot med':>8} {'tot p95':>8} {'calls':>5}  operations"
        )
        for (label, (_, _, seconds, state)), size in zip(seeded.items(), (SMALL, LARGE), strict=True):
            served = runs[label]
            own, total = median_p95([r.own for r in served]), median_p95([r.total for r in served])
            calls = max(len(r.calls) for r in served)
            print(
                f"{label:10} {size:8,} {seconds:7.1f} {state / 1024:8.1f} {_ms(own[0])} {_ms(own[1])} "
                f"{_ms(total[0])} {_ms(total[1])} {calls:5d}  {served[-1].operations()}"
            )
        small, large = (median_p95([r.own for r in runs[label]])[0] for label in ("small", "large"))
        calls = max(len(r.calls) for served in runs.values() for r in served)
        ratio = large / small
        verdict = "met" if ratio <= TARGET_RATIO and calls <= TARGET_CALLS else "MISSED"
        print(
            f"Ratio {LARGE:,} / {SMALL:,} debts, own time: {ratio:.2f} (target <= {TARGET_RATIO}); DynamoDB calls "
            f"per summary: {calls} (target <= {TARGET_CALLS}, the caller's own read included): {verdict}. "
            f"Today's {TODAY_CHANGES} changes are read as their quarters' shards; the rest is one closing state."
        )
    return 0 if verdict == "met" else 1


if __name__ == "__main__":
    raise SystemExit(main())
