"""An inbox item as stored, where it sits in the indexes, and the writes every producer and resolver makes.

An item's id derives from (kind, source): `source` names what produced it (a timeline entry, a Stripe event, a
reminder's claim), so a retried producer finds its item already there and adds nothing. The item holds ids, not
copies of the debtor's data: the list joins names at read time, so correcting or erasing a debtor leaves nothing
stale here, and `detail` carries only the few words the list shows.

Indexes (keys in `store.keys`): gsi1 lists a state's items newest first with every attribute (the default view,
one Query); gsi2, gsi3 and gsi4 list a state's items of one kind, one assignee, or both (a Query, then the items by
BatchGetItem); gsi5 holds a state's items sorted by debtor, kind and debt, so the open count is one Select=COUNT
Query over small entries (of an item's attributes gsi5 projects only its ids, times and version), "open items of
these kinds for this debt" one Query of the debtor's range, and a debtor's erasure finds all theirs. Each
list's sort key is `<created_at>#<id>`, so `created_between` is a key range of the two state lists.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Sequence
from datetime import datetime
from typing import Any, Literal, NotRequired, TypedDict, cast, get_args

from collectra import store
from collectra.clock import iso
from collectra.errors import Contention
from collectra.store import contention, keys

Kind = Literal[
    "question",
    "dispute",
    "already_paid",
    "broken_promise",
    "undeliverable_address",
    "reminder_failed",
    "payment_failed",
    "refund",
    "dispute_lost",
    "plan_proposed",  # a debtor's payment plan awaits approval (`plans.service`)
    "plan_broken",  # an instalment was missed past the grace days: what remains is due at once
    "instalment_failed",  # an automatic instalment charge failed or needs the debtor (closed once it is paid)
]
KINDS: tuple[str, ...] = get_args(Kind)
State = Literal["open", "done"]
STATES: tuple[str, ...] = get_args(State)

OPENING = "inbox_item"  # the name `open_op`'s condition fails by in a caller's transaction: the item was there
DETAIL_TEXT_LIMIT = 280  # characters of one text in `detail`: the list shows a line, never a whole message
_NO_DEBT = "-"
_CHANGE_ATTEMPTS = 5  # re-reads of an item others changed meanwhile before giving up (Contention)


class InboxItem(TypedDict):
    pk: str
    sk: str
    id: str
    workspace_id: str
    kind: str  # a `Kind`
    state: str  # a `State`
    debtor_id: str
    debt_id: str | None
    detail: dict[str, Any]
    assignee_id: str | None
    created_at: str
    updated_at: str
    closed_at: str | None
    closed_reason: str | None
    version: int
    answering: NotRequired[dict[str, Any]]  # a question's answer being sent (`reminders.answers`): id, by, at, message
    answered_with: NotRequired[str]  # the answer that closed a question (`reminders.answers`)
    gsi1pk: NotRequired[str]
    gsi1sk: NotRequired[str]
    gsi2pk: NotRequired[str]
    gsi2sk: NotRequired[str]
    gsi3pk: NotRequired[str]
    gsi3sk: NotRequired[str]
    gsi4pk: NotRequired[str]
    gsi4sk: NotRequired[str]
    gsi5pk: NotRequired[str]
    gsi5sk: NotRequired[str]


def item_id(kind: str, source: str) -> str:
    """The id of the item `source` opens of `kind`: the same producer event always names the same item."""
    digest = hashlib.sha256(f"{kind}\n{source}".encode()).hexdigest()
    return f"inb_{digest[:26]}"


def debtor_entry_key(debtor_id: str, kind: str, debt_id: str | None, identifier: str) -> str:
    """An item's gsi5 sort key: a debtor's items of one state together, then by kind and debt."""
    return f"{debtor_id}#{kind}#{debt_id or _NO_DEBT}#{identifier}"


def placed(workspace_id: str, item: InboxItem) -> InboxItem:
    """`item` with every index field recomputed from its state, kind, assignee and links (absent where it is not
    listed), ready to write whole or to compare with what is stored."""
    kept = {name: value for name, value in item.items() if not name.startswith("gsi")}
    state, kind, assignee = item["state"], item["kind"], item["assignee_id"]
    listed = f"{item['created_at']}#{item['id']}"
    fields: dict[str, str] = {
        "gsi1pk": keys.inbox_items(workspace_id, state),
        "gsi1sk": listed,
        "gsi2pk": keys.inbox_items(workspace_id, state, kind=kind),
        "gsi2sk": listed,
    }
    if assignee is not None:
        fields |= {
            "gsi3pk": keys.inbox_items(workspace_id, state, assignee_id=assignee),
            "gsi3sk": listed,
            "gsi4pk": keys.inbox_items(workspace_id, state, kind=kind, assignee_id=assignee),
            "gsi4sk": listed,
        }
    fields |= {
        "gsi5pk": keys.inbox_items_by_debtor(workspace_id, state),
        "gsi5sk": debtor_entry_key(item["debtor_id"], kind, item["debt_id"], item["id"]),
    }
    return cast(InboxItem, {**kept, **fields})


def _short(detail: dict[str, Any] | None) -> dict[str, Any]:
    return {
        name: value[:DETAIL_TEXT_LIMIT] if isinstance(value, str) else value for name, value in (detail or {}).items()
    }


def new_item(
    workspace_id: str,
    *,
    kind: str,
    source: str,
    debtor_id: str,
    debt_id: str | None = None,
    now: datetime,
    detail: dict[str, Any] | None = None,
) -> InboxItem:
    if kind not in KINDS:
        raise ValueError(f"unknown inbox kind {kind!r}")
    identifier = item_id(kind, source)
    key = keys.inbox_item(workspace_id, identifier)
    at = iso(now)
    item: InboxItem = {
        "pk": key["pk"],
        "sk": key["sk"],
        "id": identifier,
        "workspace_id": workspace_id,
        "kind": kind,
        "state": "open",
        "debtor_id": debtor_id,
        "debt_id": debt_id,
        "detail": _short(detail),
        "assignee_id": None,
        "created_at": at,
        "updated_at": at,
        "closed_at": None,
        "closed_reason": None,
        "version": 1,
    }
    return placed(workspace_id, item)


def open_op(
    workspace_id: str,
    *,
    kind: str,
    source: str,
    debtor_id: str,
    debt_id: str | None = None,
    now: datetime,
    detail: dict[str, Any] | None = None,
) -> store.Operation:
    """The Put of a new open item, for the caller's own transaction. It holds only if the item is not there yet:
    a transaction retried after it committed fails by the name `OPENING` (`store.ConditionsFailed`)."""
    item = new_item(
        workspace_id, kind=kind, source=source, debtor_id=debtor_id, debt_id=debt_id, now=now, detail=detail
    )
    return store.put_op(item, "attribute_not_exists(pk)", name=OPENING)


def open_item(
    workspace_id: str,
    *,
    kind: str,
    source: str,
    debtor_id: str,
    debt_id: str | None = None,
    now: datetime,
    detail: dict[str, Any] | None = None,
) -> bool:
    """Opens the item on its own (one conditional Put); False when `source` had already opened it."""
    operation = open_op(
        workspace_id, kind=kind, source=source, debtor_id=debtor_id, debt_id=debt_id, now=now, detail=detail
    )
    try:
        store.transact([operation])
    except store.ConditionsFailed:
        return False
    return True


def get(workspace_id: str, identifier: str, *, consistent: bool = False) -> InboxItem | None:
    """The item, or None. A BatchGetItem of one key: the call every function reading its caller already may make."""
    [item] = store.batch_get([keys.inbox_item(workspace_id, identifier)], consistent=consistent)
    return cast(InboxItem | None, item)


Change = Callable[[InboxItem], InboxItem | None]


def change(
    workspace_id: str,
    identifier: str,
    decide: Change,
    *,
    also: Sequence[store.Operation] = (),
) -> tuple[InboxItem, bool] | None:
    """Applies `decide` to the item as stored (None: leave it) and writes what changed, on the condition that the
    item is still the version read; when someone changed it meanwhile it is read again and `decide` applied to
    that, so concurrent changes of different fields (one member closing, another assigning) both land. `also`
    joins the same transaction (a check that the assignee is a member). Returns the item as it now is and whether
    this call changed it, or None when there is no such item."""
    for _ in range(_CHANGE_ATTEMPTS):
        before = get(workspace_id, identifier, consistent=True)
        if before is None:
            return None
        decided = decide(before)
        if decided is None:
            return before, False
        after = placed(workspace_id, cast(InboxItem, {**decided, "version": before["version"] + 1}))
        write = store.changes_op(before, after, "version = :version", {":version": before["version"]}, name="item")
        try:
            store.transact([write, *also])
        except store.ConditionsFailed as failed:
            if failed.failed != frozenset({"item"}):
                raise
            continue
        return after, True
    raise Contention(
        "Others were changing this inbox item at that moment. Please try again.",
        retry_after=contention.RETRY_AFTER_S,
    )


def closed(item: InboxItem, *, reason: str, now: datetime) -> InboxItem | None:
    """`item` closed for `reason` at `now`; None when it is already closed."""
    if item["state"] != "open":
        return None
    at = iso(now)
    return cast(InboxItem, {**item, "state": "done", "closed_at": at, "closed_reason": reason, "updated_at": at})


def close_matching(
    workspace_id: str,
    *,
    kinds: Collection[str],
    debt_id: str | None = None,
    debtor_id: str | None = None,
    reason: str,
    now: datetime,
    debt_ids: Collection[str] = (),
) -> int:
    """Closes the open items of `kinds` linked to `debt_id` (or to any of `debt_ids`) or to its debtor alone (a
    question about all their debts, an email about several debts), or any of the debtor's when no debt is given;
    returns how many this call closed. One Query of the debtor's open items (and a read of the debt when its
    debtor is not given), then a read and a conditional write per item closed: nothing when none is open."""
    debts = {*debt_ids, *([debt_id] if debt_id else [])}
    if debtor_id is None:
        if debt_id is None:
            raise ValueError("close_matching needs a debt or a debtor")
        [debt] = store.batch_get([keys.debt(workspace_id, debt_id)])
        if debt is None:
            return 0
        debtor_id = str(debt["debtor_id"])
    entries = store.query_all(
        "gsi5pk = :pk AND begins_with(gsi5sk, :debtor)",
        {":pk": keys.inbox_items_by_debtor(workspace_id, "open"), ":debtor": f"{debtor_id}#"},
        index="gsi5",
    )
    closing = 0
    for entry in entries:
        _, kind, linked_debt, identifier = str(entry["gsi5sk"]).split("#")
        if kind not in kinds or (debts and linked_debt not in {*debts, _NO_DEBT}):
            continue
        outcome = change(workspace_id, identifier, lambda item: closed(item, reason=reason, now=now))
        closing += bool(outcome and outcome[1])
    return closing


def open_count(workspace_id: str) -> int:
    """How many items are open: one Select=COUNT Query of the small open entries (a 1 MB page holds thousands)."""
    return store.count("gsi5pk = :pk", {":pk": keys.inbox_items_by_debtor(workspace_id, "open")}, index="gsi5")


def keys_of_debtor(workspace_id: str, debtor_id: str) -> list[dict[str, str]]:
    """The keys of every item about the debtor, open or done: one Query a state (for their erasure)."""
    return [
        {"pk": entry["pk"], "sk": entry["sk"]}
        for state in STATES
        for entry in store.query_all(
            "gsi5pk = :pk AND begins_with(gsi5sk, :debtor)",
            {":pk": keys.inbox_items_by_debtor(workspace_id, state), ":debtor": f"{debtor_id}#"},
            index="gsi5",
        )
    ]


def created_between(workspace_id: str, start: datetime, end: datetime) -> list[dict[str, Any]]:
    """The items created in [start, end), whatever their state now, oldest first: one Query per state (an item
    that changes state between the two can be missed, never counted twice)."""
    found: dict[str, dict[str, Any]] = {}
    for state in STATES:
        found |= {
            item["id"]: item
            for item in store.query_all(
                "gsi1pk = :pk AND gsi1sk BETWEEN :start AND :end",
                {":pk": keys.inbox_items(workspace_id, state), ":start": iso(start), ":end": iso(end)},
                index="gsi1",
            )
        }
    return sorted(found.values(), key=lambda item: (item["created_at"], item["id"]))
