"""Reading a workspace's figures as of a business day: one Query, and a closing state written once a day.

The analytics items of a workspace sort by time (`keys.analytics_deltas`, `keys.analytics_closing`). Read
backwards from the end of the day asked for, one Query meets that day's shards of deltas, then the closing state
of an earlier midnight: the figures are that state with those deltas folded on (`figures.fold`). So the read is
one Query of at most a day's shards (96 quarters x `aggregates.SHARDS`, and only those written) and one closing
state, however many debts the workspace has; no Scan, no debt read.

The first read after a day is over writes that day's closing state (a conditional Put: two readers at once
write the same figures, and the second is refused harmlessly), so the next reads start from it. A day counts
as over only `GRACE` after its midnight: a function that writes debts stamps its changes with its invocation's
`now` (the import and the reminder sender run up to 120 s), so one stamped before midnight may still be
committing after it, and a closing state written before it landed would leave it out for good.
Past days never change afterwards (figures are booked by when a change was recorded), so a report re-run later
reads the same figures.
"""

from __future__ import annotations

import json
import zlib
from contextlib import suppress
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from collectra import store
from collectra.analytics.figures import Figures, fold
from collectra.debts.aggregates import instant
from collectra.errors import Conflict
from collectra.store import keys

GRACE = timedelta(minutes=15)  # longer than any function that writes debts may run (template.yaml's Timeout)
_CLOSING = "#C"


def midnight(day: date, zone: ZoneInfo) -> datetime:
    """When the business day `day` starts (the first instant of it that exists, across a clock change)."""
    return datetime.combine(day, time(), zone)


def figures_as_of(workspace_id: str, zone: ZoneInfo, day: date, *, now: datetime) -> Figures:
    """The figures at the end of the business day `day` (or now, if it is today), months before it closed."""
    start, end = midnight(day, zone), midnight(day + timedelta(days=1), zone)
    base, deltas = _read_back(workspace_id, instant(end))
    before = [delta for delta in deltas if delta[0] < instant(start)]
    figures = fold(base, before, zone)
    if before and now >= start + GRACE:
        figures.at = instant(start)
        _close(workspace_id, figures)
    figures = fold(figures, [delta for delta in deltas if delta[0] >= instant(start)], zone)
    if deltas and now >= end + GRACE:
        figures.at = instant(end)
        _close(workspace_id, figures)
    figures.advance(day)
    return figures


def _read_back(workspace_id: str, until: str) -> tuple[Figures, list[tuple[str, dict[str, int]]]]:
    """The latest closing state at or before `until`, and every shard of deltas after it and before `until`."""
    partition = keys.workspace(workspace_id)["pk"]
    deltas: list[tuple[str, dict[str, int]]] = []
    start: dict[str, Any] | None = None
    while True:
        page = store.query(
            "pk = :p AND sk BETWEEN :low AND :high",
            {
                ":p": partition,
                ":low": keys.ANALYTICS_PREFIX,
                ":high": keys.analytics_closing(workspace_id, until)["sk"],
            },
            forward=False,
            start_key=start,
        )
        for item in page.items:
            sk = str(item["sk"])
            if sk.endswith(_CLOSING):
                return Figures.from_dict(json.loads(zlib.decompress(item["figures"]))), deltas
            counters = {name: int(value) for name, value in item.items() if name not in ("pk", "sk")}
            deltas.append((sk.removeprefix(keys.ANALYTICS_PREFIX).split("#", 1)[0], counters))
        if page.last_key is None:
            return Figures(), deltas
        start = page.last_key


def _close(workspace_id: str, figures: Figures) -> None:
    item = {
        **keys.analytics_closing(workspace_id, figures.at),
        # Compressed: dates and figures repeat, so it is a quarter of the JSON's size, in reads and in time.
        "figures": zlib.compress(json.dumps(figures.as_dict(), separators=(",", ":"), sort_keys=True).encode()),
    }
    with suppress(Conflict):  # another reader closed the same day, with the same figures
        store.put(item, condition="attribute_not_exists(pk)")
