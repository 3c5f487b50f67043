"""CSV import throughput: a 10,000-row file, imported twice by a fresh account, with DynamoDB calls per row.

The file is posted to POST /debts/import as an accounting tool's export would be (text/csv), and served by
the import handler in this process. "Own" time excludes the time inside botocore's Endpoint._send (the
emulator); in AWS each of those calls is a network round trip of its own (a few ms), which the wall time
here does not represent either. The second import of the same file must change nothing.
"""

from __future__ import annotations

import gc
import os
from datetime import date, timedelta

from bench.cold_start import World
from bench.inprocess import Served, cookies_of, in_process, pricer, serve

ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "10000"))  # printed with every figure
CUSTOMERS = 2_000
CSV = {"content-type": "text/csv"}
HEADER = "Invoice Number,Customer,Email,Amount,Currency,Due Date"


def csv_file(rows: int = ROWS, customers: int = CUSTOMERS) -> str:
    lines = [HEADER]
    for n in range(rows):
        customer = n % customers
        amount = 10 + (n * 7919) % 500_000 / 100
        due = date(2026, 1, 1) + timedelta(days=n % 365)
        lines.append(
            f"INV-{n:06d},Customer {customer:04d},customer{customer:04d}@example.com,{amount:.2f},EUR,{due.isoformat()}"
        )
    return "\n".join(lines) + "\n"


def report(runs: list[tuple[str, Served]], rows: int, timeout: int) -> None:
    print(
        f"\nCSV import: one {rows:,}-row file ({min(rows, CUSTOMERS):,} customers), POST /debts/import served in "
        "this process; own = handler time minus time inside botocore's Endpoint._send (the emulator)."
    )
    print(
        f"{'run':7} {'wall s':>7} {'rows/s':>7} {'own s':>7} {'own rows/s':>10} {'DDB calls':>9} {'per row':>7} "
        f"{'created':>7} {'updated':>7} {'unchanged':>9} {'rejected':>8}  operations"
    )
    for label, served in runs:
        answer = served.json()
        print(
            f"{label:7} {served.total:7.1f} {rows / served.total:7.0f} {served.own:7.1f} {rows / served.own:10.0f} "
            f"{len(served.calls):9,} {len(served.calls) / rows:7.2f} {answer['created']:7,} {answer['updated']:7,} "
            f"{answer['unchanged']:9,} {answer['rejected']:8,}  {served.operations()}"
        )
    for label, served in runs:
        print(f"{label} import's cost on AWS (bench.cost): ${served.dollars() * 1000 / rows:.4f} per 1,000 rows")
    second = runs[-1][1].json()
    changed = second["created"] + second["updated"]
    print(f"Second import changed {changed} debts (expected 0). ImportDebtsFunction's timeout: {timeout} s.")
    print(
        "moto copies the whole table for every operation of a transaction (to roll back); here it copies only the "
        "items each transaction touches (local/moto_rollback.py): emulator time only, subtracted from own anyway."
    )


def main() -> int:
    text = csv_file()
    with World() as world, in_process(world):
        route = next(r for r in world.routes if r.route_key == "POST /debts/import")
        warm_up, _ = world.new_account()  # another account: imports the handler, creates its clients
        serve("POST", "/debts/import", cookies_of(warm_up), raw_body=csv_file(1, 1), headers=CSV)
        client, _ = world.new_account()
        priced = pricer(world)
        gc.collect()
        gc.freeze()  # as in bench.lists: moto's objects (this process) are not the handler's to collect
        runs: list[tuple[str, Served]] = []
        for label in ("first", "second"):
            assert client.call("POST", "/auth/refresh").status == 200  # a fresh 15-minute access token
            runs.append(
                (label, serve("POST", "/debts/import", cookies_of(client), raw_body=text, headers=CSV, pricer=priced))
            )
        report(runs, ROWS, route.timeout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
