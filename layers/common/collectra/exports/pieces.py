"""The pieces an export is read in, each by its own invocation of the worker, side by side.

One Query per debt (its history) is what an export costs: about 3.3 ms a debt on Lambda, so one invocation (15
minutes) reads some 250,000 debts. So the export is cut into pieces: piece `00000` is the requester's account and,
for a workspace export, `owned_items` from its start (payments, then the main partition, whose debts' histories hold
the emails' records) through the first boundary; piece `0000k` from boundary k (excluded) through boundary k+1, the
last one to the end. Boundaries are debts of the main partition, one every `DEBTS_PER_PIECE`, found by counting
pages (Select=COUNT: no item read) so planning costs ~1,000 small Queries for 1,000,000 debts.

A piece whose invocation runs short of time is cut where it got to: the rest becomes a new piece named after
it (`<name>.1`, which sorts right after it and before the next), queued at once. The cut is recorded on the
export's record on condition that no earlier delivery of the same piece cut it first, so the pieces never
overlap: a delivery that finds its piece cut reads exactly up to the cut.

The pieces live on the export's record (`pieces`: name -> where it starts, where it stops, its part once
read). A piece is done when its part is recorded, once (a condition): a redelivered or concurrent delivery
finds it done, or fails its condition and deletes its own part, which no one will read. The archive takes
each entity's records from the parts in the pieces' names' order: the order a single reader would have met
them in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any, NotRequired, TypedDict, cast

from collectra import store
from collectra.errors import Conflict
from collectra.store import keys
from collectra.workspaces.contents import MAIN, Position, main_partition, owned_items

DEBTS_PER_PIECE = 50_000  # ~170 s of one invocation (bench.exports); smaller pieces balance better
_COUNT_PAGE = 1000  # debts counted per Query while planning: the same pages as `owned_items` reads
MARGIN_MS = 60_000  # stop reading with this much time left: enough to pack and upload what was read
FIRST = "00000"


class Piece(TypedDict):
    account: bool  # the requester's own partition first
    start: dict[str, Any] | None  # where in `owned_items` it starts (a Position); None: no workspace
    through: str | None  # the sort key of the last main-partition item it reads; None: to the end
    cut: NotRequired[dict[str, Any]]  # where a delivery stopped it (a Position); the rest is `<name>.1`
    part: NotRequired[str]  # its part's key in the bucket, once read
    done_at: NotRequired[str]


def plan(workspace_id: str | None, *, remaining_ms: Callable[[], int] | None = None) -> dict[str, Piece]:
    """The pieces of an export of the account and, if `workspace_id`, its workspace. Short of time, the rest of
    the main partition is one last piece (it is cut as it is read)."""
    if workspace_id is None:
        return {FIRST: {"account": True, "start": None, "through": None}}
    main = main_partition(workspace_id)
    boundaries: list[str] = []
    counted = 0
    pages = store.count_pages(
        "pk = :pk AND begins_with(sk, :debt)", {":pk": main, ":debt": "DEBT#"}, limit=min(_COUNT_PAGE, DEBTS_PER_PIECE)
    )
    for found, last in pages:
        counted += found
        if last is None:
            break
        if counted >= DEBTS_PER_PIECE:
            boundaries.append(str(last["sk"]))
            counted = 0
        if remaining_ms is not None and remaining_ms() < MARGIN_MS:
            break
    starts = [Position().as_dict()] + [Position(MAIN, {"pk": main, "sk": sk}).as_dict() for sk in boundaries]
    ends: list[str | None] = [*boundaries, None]
    return {
        f"{number:05d}": {"account": number == 0, "start": start, "through": through}
        for number, (start, through) in enumerate(zip(starts, ends, strict=True))
    }


def rest_of(name: str) -> str:
    """The name of the piece that continues `name` after a cut."""
    return f"{name}.1"


def items(user_id: str, workspace_id: str | None, piece: Piece) -> Iterator[tuple[dict[str, Any], Position | None]]:
    """The stored items of the piece, each with its position in `owned_items` (None in the account's partition),
    up to the piece's cut if it has one."""
    if piece["account"]:
        partition, start = keys.user(user_id)["pk"], None
        while True:
            page = store.query("pk = :pk", {":pk": partition}, start_key=start)
            for item in page.items:
                yield item, None
            if page.last_key is None:
                break
            start = page.last_key
    if piece["start"] is None or workspace_id is None:
        return
    cut, through = piece.get("cut"), piece["through"]
    for item, position in owned_items(workspace_id, start=Position.from_dict(piece["start"])):
        yield item, position
        if cut is not None and position.as_dict() == cut:
            return
        if cut is None and through is not None and _is_main_item(position, through):
            return


def _is_main_item(position: Position, sort_key: str) -> bool:
    return position.phase == MAIN and position.history_of is None and (position.after or {}).get("sk") == sort_key


def cut(user_id: str, export_id: str, name: str, piece: Piece, at: Position) -> None:
    """Stop the piece at `at` and add the rest as a new piece; `Conflict` if a delivery cut it first, or the
    export is no longer running."""
    rest: Piece = {"account": False, "start": at.as_dict(), "through": piece["through"]}
    store.update(
        keys.export(user_id, export_id),
        "SET pieces.#piece.cut = :at, pieces.#rest = :rest",
        names={"#piece": name, "#rest": rest_of(name), "#state": "state"},
        values={":at": at.as_dict(), ":rest": rest, ":running": "running"},
        condition="#state = :running AND attribute_not_exists(pieces.#piece.cut)",
    )


def finish(
    user_id: str, export_id: str, name: str, *, part: str, cut_at: Mapping[str, Any] | None, done_at: str
) -> dict[str, Any] | None:
    """Record the piece's part, if it is not done yet, the export still running and the piece stops where this
    delivery stopped; the record as it now is, or None."""
    condition = "#state = :running AND attribute_exists(pieces.#piece) AND attribute_not_exists(pieces.#piece.part)"
    values: dict[str, Any] = {":part": part, ":at": done_at, ":running": "running"}
    if cut_at is None:
        condition += " AND attribute_not_exists(pieces.#piece.cut)"
    else:
        condition += " AND pieces.#piece.cut = :cut"
        values[":cut"] = dict(cut_at)
    try:
        return store.update(
            keys.export(user_id, export_id),
            "SET pieces.#piece.part = :part, pieces.#piece.done_at = :at",
            names={"#piece": name, "#state": "state"},
            values=values,
            condition=condition,
            return_new=True,
        )
    except Conflict:
        return None


def in_order(pieces: Mapping[str, Piece]) -> list[tuple[str, Piece]]:
    return sorted(pieces.items())


def all_read(pieces: Mapping[str, Any]) -> bool:
    return bool(pieces) and all("part" in piece for piece in pieces.values())


def of(record: Mapping[str, Any]) -> dict[str, Piece]:
    return cast(dict[str, Piece], record.get("pieces") or {})


def register(user_id: str, export_id: str, pieces: Mapping[str, Piece]) -> dict[str, Piece]:
    """Record the export's pieces, unless an earlier delivery of its plan did: the pieces recorded."""
    try:
        store.update(
            keys.export(user_id, export_id),
            "SET pieces = :pieces",
            names={"#state": "state"},
            values={":pieces": dict(pieces), ":running": "running"},
            condition="#state = :running AND attribute_not_exists(pieces)",
        )
    except Conflict:
        record = store.get(keys.export(user_id, export_id), consistent=True)
        return of(record or {})
    return dict(pieces)
