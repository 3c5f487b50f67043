"""Aging by debtor as of any date: what each debtor owed, per currency, in the five buckets, from the debts' history.

A page reads one page of the workspace's debtors (by name, gsi1), each one's debts (gsi3, one Query each, run at
the same time), the debts themselves (one BatchGetItem a hundred), and the history of only those debts changed
since the report's instant (one Query each, at the same time): `replay` takes back what was recorded after it.
Nothing scans. For today's report nothing has changed after the instant (the end of today), so no history is read,
and debtors without an open debt are left out by the first Query's filter.

The instant is the end of the `as_of` date in the workspace's time zone; a debt's days past due are counted on that
date (`formulas.aging_bucket`). Money is never added across currencies: a debtor owing in two currencies has a row
for each. A row whose total is zero is left out, so a page may hold fewer rows than debtors read (like any list
with a filter): follow the cursor until it is null.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextvars import copy_context
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from collectra import store
from collectra.analytics.formulas import BUCKETS, aging_bucket
from collectra.analytics.replay import LEDGER_PREFIX, TIMELINE_PREFIX, Standing, changed_since, standing_at
from collectra.clock import iso
from collectra.debts.service import listed_debts_of_debtor, today_in
from collectra.debts.states import OPEN_STATES
from collectra.errors import InvalidInput
from collectra.listing import decode_cursor, encode_cursor
from collectra.store import keys
from collectra.workspaces.records import Workspace

PARALLEL_READS = 8  # Queries in flight at once: a page's round trips overlap without crowding the table
_HISTORY_END = TIMELINE_PREFIX + "~"  # "~" sorts after every id character: the ledger and timeline entries


@dataclass
class AgingRow:
    """What one debtor owed in one currency, in minor units, by bucket."""

    debtor_id: str
    debtor_name: str
    currency: str
    buckets: dict[str, int] = field(default_factory=lambda: dict.fromkeys(BUCKETS, 0))

    @property
    def total(self) -> int:
        return sum(self.buckets.values())


def instant_after(workspace: Workspace, as_of: date) -> str:
    """The end of `as_of` in the workspace's time zone (the next day's midnight there), as a UTC instant."""
    midnight = datetime.combine(as_of + timedelta(days=1), time(), tzinfo=ZoneInfo(workspace["time_zone"]))
    return iso(midnight)


def check_as_of(workspace: Workspace, as_of: date | None, *, now: datetime) -> date:
    """The report's date: today (the workspace's) by default; a day not over yet cannot be reported on."""
    today = today_in(workspace, now)
    if as_of is None:
        return today
    if as_of > today:
        raise InvalidInput(
            f"as_of ({as_of}) is after today ({today}): a report covers days that have begun.",
            details=[{"field": "query.as_of"}],
        )
    return as_of


def aging_page(
    workspace: Workspace,
    *,
    as_of: date,
    now: datetime,
    currency: str | None,
    cursor: str | None,
    limit: int,
) -> tuple[list[AgingRow], str | None]:
    """One page of the aging by debtor as of `as_of` (not after today): the rows of up to `limit` debtors."""
    workspace_id = workspace["id"]
    instant = instant_after(workspace, as_of)
    live = instant > iso(now)  # nothing recorded after the instant yet: the debts as they are now
    partition = keys.debtors_by_name(workspace_id)
    page = store.query(
        "gsi1pk = :p",
        {":p": partition, **({":zero": 0} if live else {})},
        index="gsi1",
        filter_expression="open_debts > :zero" if live else None,
        limit=limit,
        start_key=decode_cursor(cursor, index="gsi1", partition=partition),
    )
    debtors = store.whole(page.items, index="gsi1")
    listed = _in_parallel(lambda debtor: listed_debts_of_debtor(workspace_id, str(debtor["id"])), debtors)
    wanted = [
        entry
        for entries in listed
        for entry in entries
        if str(entry["created_at"]) < instant
        and (currency is None or entry["currency"] == currency)
        and (not live or entry["status"] in OPEN_STATES)  # a debt settled now was settled then
    ]
    debts = store.whole(wanted, index="gsi3")
    changed = [debt for debt in debts if changed_since(debt, instant)]
    histories = dict(
        zip(
            (debt["id"] for debt in changed),
            _in_parallel(lambda debt: _history_since(workspace_id, str(debt["id"])), changed),
            strict=True,
        )
    )
    standings = [standing_at(debt, histories.get(debt["id"], []), instant) for debt in debts]
    return _rows(debtors, [s for s in standings if s is not None], as_of), encode_cursor(page.last_key)


def aging_rows(workspace: Workspace, *, as_of: date, now: datetime, currency: str | None) -> Iterator[AgingRow]:
    """Every row of the aging as of `as_of`, page after page (the accountant's file)."""
    cursor: str | None = None
    while True:
        rows, cursor = aging_page(workspace, as_of=as_of, now=now, currency=currency, cursor=cursor, limit=100)
        yield from rows
        if cursor is None:
            return


def _history_since(workspace_id: str, debt_id: str) -> list[dict[str, Any]]:
    """The debt's ledger and timeline entries (one Query a page; they sort between "L#" and "T#~")."""
    return store.query_all(
        "pk = :p AND sk BETWEEN :first AND :last",
        {":p": keys.debt_history(workspace_id, debt_id), ":first": LEDGER_PREFIX, ":last": _HISTORY_END},
    )


def _rows(debtors: list[dict[str, Any]], standings: list[Standing], as_of: date) -> list[AgingRow]:
    rows: dict[tuple[str, str], AgingRow] = {}
    names = {str(debtor["id"]): str(debtor.get("name") or "") for debtor in debtors}
    for standing in standings:
        owed = standing.receivable
        if not owed:
            continue
        key = (standing.debtor_id, standing.currency)
        if key not in rows:
            rows[key] = AgingRow(standing.debtor_id, names.get(standing.debtor_id, ""), standing.currency)
        row = rows[key]
        row.buckets[aging_bucket(date.fromisoformat(standing.due_on), as_of)] += owed
    order = {debtor_id: position for position, debtor_id in enumerate(names)}
    return sorted(rows.values(), key=lambda row: (order[row.debtor_id], row.currency))


def _in_parallel[T, R](read: Callable[[T], R], items: list[T]) -> list[R]:
    """`read` of each item, in order, a few at a time."""
    if len(items) <= 1:
        return [read(item) for item in items]
    with ThreadPoolExecutor(max_workers=min(PARALLEL_READS, len(items))) as pool:
        # Copied here, in the invocation's thread (its configuration, and whatever observes it): one copy a read,
        # since a context runs in one thread at a time.
        running = [pool.submit(copy_context().run, read, item) for item in items]
        return [future.result() for future in running]
