"""List latency with 1,000 and with 100,000 debts in a workspace, and DynamoDB calls per endpoint.

Two accounts are signed up through the gateway; their debtors and debts are then written straight into
the emulator (batch_write_item, 25 items a call) with the application's own item builders, so the items
are exactly what the API writes (without the timeline entries and invoice-number claims, which no list
reads). Each list request is served in this process, warm, RUNS times per workspace.

The 1,000-debt workspace is measured before the 100,000 debts are written (a small table) and again after
(the same table as the large workspace: the control the ratio is taken against, so that only the size of
the workspace differs). moto's Query is not an index: it walks and sorts every item of the table, so its
share (and the total) grows with the table; DynamoDB's does not. Hence the target is on the handler's own
time, and on the Query's ScannedCount.
"""

from __future__ import annotations

import gc
import os
import random
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bench.cold_start import World
from bench.cost import Pricer, projections, write_units
from bench.inprocess import Served, cookies_of, in_process, median_p95, pricer, serve
from collectra import config
from local.client import WebClient
from local.emulator import client as emulator_client

RUNS = int(os.environ.get("BENCH_LIST_RUNS", "30"))
SMALL = 1_000
LARGE = int(os.environ.get("BENCH_LIST_LARGE", "100000"))  # printed with every figure
SMALL_DEBTORS, LARGE_DEBTORS = 100, 2_000
BUSY_DEBTS = 60  # the first debtor's share: a full page of 50 in either workspace
SEED_BUDGET_S = 180.0
TARGET_RATIO = 1.3
TARGET_READS = 2
# Weights of each status among seeded debts (open ones are half, so `status=open` pages are full).
STATUSES = {"open": 50, "partially_paid": 15, "paid": 20, "disputed": 5, "cancelled": 5, "written_off": 5}
OPEN_STATES = ("open", "partially_paid", "disputed")


@dataclass
class Seeded:
    label: str
    client: WebClient
    workspace: dict[str, Any]
    debtor_ids: list[str]
    open_debt_ids: list[str] = field(default_factory=list)
    debts: int = 0
    seconds: float = 0.0
    truncated: bool = False

    def cookies(self) -> dict[str, str]:
        """Fresh cookies (a refresh through the gateway): the access token lives 15 minutes."""
        assert self.client.call("POST", "/auth/refresh").status == 200
        return cookies_of(self.client)


def _debt_fields(number: int, rng: random.Random) -> tuple[dict[str, Any], str, int]:
    due = date(2025, 1, 1) + timedelta(days=rng.randrange(900))
    amount = rng.randrange(1_000, 500_000)
    status = rng.choices(list(STATUSES), weights=list(STATUSES.values()))[0]
    paid = {"partially_paid": amount // 3, "paid": amount}.get(status, 0)
    fields = {
        "invoice_number": f"INV-{number:06d}",
        "amount": amount,
        "currency": "EUR",
        "issued_on": (due - timedelta(days=30)).isoformat(),
        "due_on": due.isoformat(),
    }
    return fields, status, paid


def seed(world: World, label: str, size: int, debtor_count: int, *, budget: float) -> Seeded:
    """A new account whose workspace holds `size` debts over `debtor_count` debtors (fewer if over budget)."""
    from collectra.debtors.service import new_debtor_item
    from collectra.debts.records import with_indexes
    from collectra.debts.service import new_debt_item
    from collectra.store.codec import to_attributes

    client, _ = world.new_account()
    workspace = client.call("GET", "/workspace").json()
    now = datetime.now(UTC)
    debtors = [
        new_debtor_item(workspace, {"name": f"Debtor {k:05d}", "email": f"debtor{k:05d}@example.com"}, now=now)
        for k in range(debtor_count)
    ]
    seeded = Seeded(label, client, workspace, [d["id"] for d in debtors])
    dynamodb, table = emulator_client("dynamodb", world.emulator.url), config.table_name()

    def write(items: Sequence[Mapping[str, Any]]) -> None:
        request = {table: [{"PutRequest": {"Item": to_attributes(item)}} for item in items]}
        while request:
            request = dynamodb.batch_write_item(RequestItems=request).get("UnprocessedItems") or {}

    rng, batch, started = random.Random(size), [], time.perf_counter()
    for number in range(size):
        debtor = debtors[0] if number < BUSY_DEBTS else debtors[number % debtor_count]
        fields, status, paid = _debt_fields(number, rng)
        debt = new_debt_item(workspace["id"], debtor["id"], fields, now=now, source="api")
        debt |= {"status": status, "amount_paid": paid}
        batch.append(with_indexes(workspace["id"], debt))
        if status in OPEN_STATES:
            debtor["open_debts"] += 1
            if status == "open":
                seeded.open_debt_ids.append(debt["id"])
        if len(batch) == 25 or number == size - 1:
            write(batch)
            seeded.debts, batch = number + 1, []
            if time.perf_counter() - started > budget and number < size - 1:
                seeded.truncated = True
                break
    for start in range(0, len(debtors), 25):
        write(debtors[start : start + 25])
    seeded.seconds = time.perf_counter() - started
    return seeded


LISTS: list[tuple[str, str, dict[str, str]]] = [
    ("GET /debts?limit=50", "/debts", {"limit": "50"}),
    ("GET /debts?limit=50&sort=outstanding", "/debts", {"limit": "50", "sort": "outstanding"}),
    ("GET /debts?status=open&limit=50", "/debts", {"status": "open", "limit": "50"}),
    ("GET /debts?debtor_id=…&limit=50", "/debts", {"debtor_id": "", "limit": "50"}),
    ("GET /debtors?limit=50", "/debtors", {"limit": "50"}),
]


@dataclass
class Timing:
    own: tuple[float, float]  # median, p95 (seconds)
    total: tuple[float, float]
    scanned: int | None
    count: int | None
    calls: int


@dataclass
class Phase:
    """The lists of one workspace, timed while the table held `table_items` items."""

    seeded: Seeded
    table_items: int
    timings: dict[str, Timing]


def table_items(world: World) -> int:
    dynamodb = emulator_client("dynamodb", world.emulator.url)
    return int(dynamodb.describe_table(TableName=config.table_name())["Table"]["ItemCount"])


def time_lists(world: World, seeded: Seeded) -> Phase:
    # moto shares this process: its items are kept out of the garbage collector's passes, so that walking
    # them is not counted as the handler's time (in Lambda the heap holds the handler's objects only).
    gc.collect()
    gc.freeze()
    cookies, timings = seeded.cookies(), {}
    for label, path, template in LISTS:
        query = {name: value or seeded.debtor_ids[0] for name, value in template.items()}
        serve("GET", path, cookies, query=query)  # warm-up: imports the handler, creates the client
        runs: list[Served] = [serve("GET", path, cookies, query=query) for _ in range(RUNS)]
        last = runs[-1].query()
        timings[label] = Timing(
            median_p95([r.own for r in runs]),
            median_p95([r.total for r in runs]),
            last.scanned if last else None,
            last.count if last else None,
            max(len(r.calls) for r in runs),
        )
    return Phase(seeded, table_items(world), timings)


def route_calls(seeded: Seeded, pricer: Pricer) -> list[tuple[str, Served]]:
    """One request of each debts/debtors route, on an open debt and the busiest debtor of the workspace,
    its DynamoDB calls priced."""

    def priced(method: str, path: str, cookies: dict[str, str], **options: Any) -> Served:
        return serve(method, path, cookies, pricer=pricer, **options)

    cookies, debt_id, debtor_id = seeded.cookies(), seeded.open_debt_ids[0], seeded.debtor_ids[0]
    rows: list[tuple[str, Served]] = [("GET /debts", priced("GET", "/debts", cookies, query={"limit": "50"}))]
    rows.append(("GET /debtors", priced("GET", "/debtors", cookies, query={"limit": "50"})))
    got = priced("GET", f"/debts/{debt_id}", cookies)
    rows.append(("GET /debts/{id}", got))
    rows.append(("GET /debtors/{id}", priced("GET", f"/debtors/{debtor_id}", cookies)))
    created = {
        "debtor_id": debtor_id,
        "invoice_number": "BENCH-CREATED-1",
        "amount": 12_345,
        "currency": "EUR",
        "due_on": date.today().isoformat(),
    }
    rows.append(("POST /debts", priced("POST", "/debts", cookies, body=created, expected=201)))
    body = {"version": got.json()["version"], "description": "Corrected by the bench"}
    rows.append(("PATCH /debts/{id}", priced("PATCH", f"/debts/{debt_id}", cookies, body=body)))
    payment = {"amount": 100, "received_on": date.today().isoformat()}
    rows.append(
        ("POST /debts/{id}/payments", priced("POST", f"/debts/{debt_id}/payments", cookies, body=payment, expected=201))
    )
    rows.append(("POST /debts/{id}/pause", priced("POST", f"/debts/{debt_id}/pause", cookies, body={})))
    rows.append(("GET /debts/{id}/timeline", priced("GET", f"/debts/{debt_id}/timeline", cookies)))
    link = priced("POST", f"/debtors/{debtor_id}/link", cookies, expected=201)
    rows.append(("POST /debtors/{id}/link", link))
    token = link.json()["url"].rsplit("/p/", 1)[1]
    rows.append(("GET /p/{token}", priced("GET", f"/p/{token}", {})))
    return rows


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f}"


def _ratio(large: float | None, small: float | None) -> str:
    return f"{large / small:.2f}" if large is not None and small else "-"


def report_seeding(seeded: Seeded, wanted: int) -> None:
    rate = (seeded.debts + len(seeded.debtor_ids)) / seeded.seconds if seeded.seconds else 0.0
    print(
        f"  {seeded.label}: {seeded.debts:,} debts over {len(seeded.debtor_ids):,} debtors written in "
        f"{seeded.seconds:.1f} s ({rate:,.0f} items/s)"
    )
    if seeded.truncated:
        print(
            f"  moto is too slow for {wanted:,} debts within {SEED_BUDGET_S:.0f} s: stopped at {seeded.debts:,}; "
            "the figures below use that size."
        )


def report_lists(before: Phase, large: Phase, after: Phase) -> None:
    print(
        f"\nList latency: warm handler in this process, {RUNS} requests each after one warm-up; ms, median / p95. "
        "own = handler time minus time inside botocore's Endpoint._send (the emulator)."
    )
    print(
        f"{'request':38} {'debts':>8} {'table':>8} {'own med':>8} {'own p95':>8} {'tot med':>8} {'tot p95':>8} "
        f"{'scanned':>8} {'count':>6} {'DDB':>4}"
    )
    for label, *_ in LISTS:
        for phase in (before, large, after):
            t = phase.timings[label]
            print(
                f"{label:38} {phase.seeded.debts:8,} {phase.table_items:8,} {_ms(t.own[0])} {_ms(t.own[1])} "
                f"{_ms(t.total[0])} {_ms(t.total[1])} {t.scanned if t.scanned is not None else '-':>8} "
                f"{t.count if t.count is not None else '-':>6} {t.calls:4d}"
            )
    print(
        "debts = the workspace's, table = items in the whole table then. total includes moto, whose Query walks "
        "and sorts every item of the table (it is not an index): it grows with the table, DynamoDB's does not."
    )
    small, big = before.seeded.debts, large.seeded.debts
    print(
        f"\nRatio {big:,} / {small:,} debts (target < {TARGET_RATIO}: cost grows with the page, not the ledger). "
        "own and total are set against the small workspace timed on the same, full table (the verdict's basis); "
        "own early against it timed before the large seed, when moto's heap was small."
    )
    print(f"{'request':38} {'own med':>8} {'own early':>9} {'scanned':>8} {'total med':>10}  verdict")
    for label, *_ in LISTS:
        s, s0, g = after.timings[label], before.timings[label], large.timings[label]
        own = g.own[0] / s.own[0]
        scanned = g.scanned / s.scanned if g.scanned is not None and s.scanned else None
        ok = own < TARGET_RATIO and (scanned is None or scanned < TARGET_RATIO)
        print(
            f"{label:38} {own:8.2f} {g.own[0] / s0.own[0]:9.2f} {_ratio(g.scanned, s.scanned):>8} "
            f"{g.total[0] / s.total[0]:10.2f}  {'met' if ok else 'MISSED'}"
        )


def report_routes(seeded: Seeded, rows: list[tuple[str, Served]]) -> None:
    print(
        f"\nDynamoDB calls per endpoint: one request each, on the {seeded.debts:,}-debt workspace; "
        f"reads = GetItem, BatchGetItem, Query (target reads <= {TARGET_READS})."
    )
    print(f"{'route':28} {'status':>6} {'reads':>5} {'writes':>6} {'WRU tbl+idx':>11} {'$ per M':>8}  operations")
    for label, served in rows:
        dollars = served.dollars() * 1e6
        table, index = write_units(served.recorded.priced)
        units = f"{table:g}+{index:g}" if table or index else "-"
        print(
            f"{label:28} {served.status:6d} {served.reads:5d} {served.writes:6d} {units:>11} {dollars:8.2f}  "
            f"{served.operations()}"
        )
    print(
        "($ per million requests on AWS, bench.cost: Lambda duration and requests, DynamoDB units. WRU: write units "
        f"of the table + of its indexes ({projections()}).)"
    )
    over = [f"{label} ({served.reads} reads)" for label, served in rows if served.reads > TARGET_READS]
    print(f"Routes over the read target: {', '.join(over) or 'none'}")


def main() -> int:
    with World() as world, in_process(world):
        print(f"Seeding (batch_write_item, 25 items a call; {SEED_BUDGET_S:.0f} s budget for the large workspace):")
        small = seed(world, "small", SMALL, SMALL_DEBTORS, budget=SEED_BUDGET_S)
        report_seeding(small, SMALL)
        before = time_lists(world, small)
        routes = route_calls(small, pricer(world))
        large = seed(world, "large", LARGE, LARGE_DEBTORS, budget=SEED_BUDGET_S)
        report_seeding(large, LARGE)
        timed_large = time_lists(world, large)
        after = time_lists(world, small)  # the control: the same table, only the workspace differs
        report_lists(before, timed_large, after)
        report_routes(small, routes)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
