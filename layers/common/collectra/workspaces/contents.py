"""Everything a workspace owns, found by Query alone (never a Scan), for exporting or erasing it.

A workspace owns three kinds of partition, all beginning with `WS#<workspace id>`:
- its main partition `WS#<ws>`: the workspace, memberships, invitations, debtors, debts, the claims on
  invoice numbers and references, the reminder run;
- one history partition per debt (`keys.debt_history`): timeline, ledger, reminder claims (an email's
  record is the claim of its lead debt); found from the debts of the main partition;
- one partition per payment attempt (`WS#<ws>#PAYMENT#<id>`), listed on gsi1 under
  `keys.payments_of_workspace`.

`owned_items` yields every item once with a `Position` just after it: payment attempts, then the main
partition, where each debt's history comes just before the debt itself. So a worker deleting items in
that order never loses the way to what is left (a debt is gone only after its history), and one that
runs out of time resumes from the last position it handled. A payment attempt's partition holds that
one item, so the index's copy (it projects every attribute) is the item; the index is eventually
consistent, as every global index is.

Items elsewhere that point into the workspace (lookups by a Stripe id, a member's list of
workspaces) are not under its partitions: `linked_global_keys` derives their keys from the items that
own them. A member's account itself (`keys.user`, `keys.email`) is the person's, not the workspace's:
`member_user_id` names it and `account_keys` derives its keys once the user is read.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextvars import copy_context
from dataclasses import dataclass
from typing import Any

from collectra import store
from collectra.store import keys

PAYMENTS = "payments"
MAIN = "main"
_PHASES = (PAYMENTS, MAIN)
_DEBT_PREFIX = "DEBT#"
# Items of the main partition asked for at a time (DynamoDB stops a page at 1 MB anyway, ~700 debts): the
# debts of one page have their histories read together, each its own Query, `READERS` side by side.
_MAIN_PAGE = 1000
READERS = 8

Key = dict[str, str]


@dataclass(frozen=True)
class Position:
    """A point in `owned_items`: resuming from it yields what comes after the item it was given with.

    `after` is the exclusive start key within the phase (a gsi1 key for payments, a
    table key in the main partition); `history_of`/`history_after` say how far the history of the next
    debt (the one after `after`) was read. Plain strings only: `as_dict`/`from_dict` carry it in a queue
    message or an item.
    """

    phase: str = PAYMENTS
    after: Key | None = None
    history_of: str | None = None
    history_after: Key | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "phase": self.phase,
            "after": self.after,
            "history_of": self.history_of,
            "history_after": self.history_after,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Position:
        phase = str(data.get("phase", PAYMENTS))
        if phase not in _PHASES:
            raise ValueError(f"unknown phase {phase!r}")
        after, history_after = _key_or_none(data.get("after")), _key_or_none(data.get("history_after"))
        return cls(phase, after, data.get("history_of"), history_after)


def main_partition(workspace_id: str) -> str:
    return keys.workspace(workspace_id)["pk"]


def partitions(workspace_id: str) -> Iterator[str]:
    """Every partition key of the table that holds the workspace's items (each once)."""
    yield main_partition(workspace_id)
    for debt in _pages(main_partition(workspace_id), prefix=_DEBT_PREFIX):
        if is_debt(debt):
            yield keys.debt_history(workspace_id, debt["id"])
    for item in _pages(keys.payments_of_workspace(workspace_id), index="gsi1"):
        yield item["pk"]


def owned_items(
    workspace_id: str, *, start: Position | None = None, readers: int = READERS
) -> Iterator[tuple[dict[str, Any], Position]]:
    """Every item the workspace owns, each with the position just after it (see the module's docstring).

    Memory stays bounded by one page of the main partition and the histories of its debts, whatever the
    size of the workspace; `readers` debts' histories are read at a time.
    """
    position = start or Position()
    phase_index = _PHASES.index(position.phase)
    for phase in _PHASES[phase_index:]:
        after = position.after if phase == position.phase else None
        if phase == MAIN:
            resume = (position.history_of, position.history_after) if position.phase == MAIN else (None, None)
            yield from _main(workspace_id, after, resume, readers)
        else:
            for item in _pages(keys.payments_of_workspace(workspace_id), index="gsi1", start=after):
                yield item, Position(phase, _index_key(item))


def is_debt(item: Mapping[str, Any]) -> bool:
    """A debt of the main partition (whose history partition comes with it)."""
    return str(item.get("sk", "")).startswith(_DEBT_PREFIX)


def linked_global_keys(item: Mapping[str, Any]) -> list[Key]:
    """Keys of items outside the workspace's partitions that exist only to point at `item` (lookups).

    Erasing the workspace erases them too; an export does not need them (they repeat what `item` says).
    """
    sk = str(item.get("sk", ""))
    linked: list[Key] = []
    if sk == "WORKSPACE" and item.get("stripe_account_id"):
        linked.append(keys.stripe_account(str(item["stripe_account_id"])))
    elif sk.startswith("MEMBER#"):
        linked.append(keys.user_workspace(str(item["user_id"]), str(item["workspace_id"])))
    elif sk == "PAYMENT" and item.get("payment_intent_id"):
        linked.append(keys.payment_intent(str(item["payment_intent_id"])))
    elif sk.startswith("INVITE#") and isinstance(item.get("token_key"), Mapping):
        token = item["token_key"]  # the invitation's emailed single-use token (its key holds only a hash)
        linked.append({"pk": str(token["pk"]), "sk": str(token["sk"])})
    return linked


def member_user_id(item: Mapping[str, Any]) -> str | None:
    """The user a membership item names (their account is theirs: it outlives the workspace)."""
    return str(item["user_id"]) if str(item.get("sk", "")).startswith("MEMBER#") else None


def account_keys(user: Mapping[str, Any]) -> list[Key]:
    """The global items of an account: the user and the claim on their address. Their sessions and list of
    workspaces are the rest of the user's partition (`keys.user(id)["pk"]`), found by Query."""
    return [keys.user(str(user["id"])), keys.email(str(user["email"]))]


def _main(
    workspace_id: str, after: Key | None, resume: tuple[str | None, Key | None], readers: int
) -> Iterator[tuple[dict[str, Any], Position]]:
    partition = main_partition(workspace_id)
    previous = after
    resume_debt, resume_after = resume
    with ThreadPoolExecutor(max_workers=max(1, readers)) as pool:
        start = after
        while True:
            page = store.query("pk = :pk", {":pk": partition}, limit=_MAIN_PAGE, start_key=start)
            debts = [item for item in page.items if is_debt(item)]

            def history(debt: dict[str, Any]) -> list[dict[str, Any]]:
                begin = resume_after if debt["id"] == resume_debt else None
                return list(_pages(keys.debt_history(workspace_id, debt["id"]), start=begin))

            # Each read runs in a copy of this invocation's context: its configuration, and whatever observes it.
            reading = [pool.submit(copy_context().run, history, debt) for debt in debts]
            histories = {debt["id"]: read.result() for debt, read in zip(debts, reading, strict=True)}
            for item in page.items:
                if is_debt(item):
                    for entry in histories[item["id"]]:
                        yield entry, Position(MAIN, previous, item["id"], _table_key(entry))
                previous = _table_key(item)
                yield item, Position(MAIN, previous)
            if page.last_key is None:
                return
            start = page.last_key


def _pages(
    partition: str, *, index: str | None = None, prefix: str | None = None, start: Key | None = None
) -> Iterator[dict[str, Any]]:
    attribute = f"{index}pk" if index else "pk"
    condition = f"{attribute} = :pk"
    values = {":pk": partition}
    if prefix:
        condition += " AND begins_with(sk, :prefix)"
        values[":prefix"] = prefix
    while True:
        page = store.query(condition, values, index=index, start_key=start)
        yield from page.items
        if page.last_key is None:
            return
        start = page.last_key


def _table_key(item: Mapping[str, Any]) -> Key:
    return {"pk": str(item["pk"]), "sk": str(item["sk"])}


def _index_key(item: Mapping[str, Any]) -> Key:
    return {**_table_key(item), "gsi1pk": str(item["gsi1pk"]), "gsi1sk": str(item["gsi1sk"])}


def _key_or_none(value: Any) -> Key | None:
    if value is None:
        return None
    if not isinstance(value, Mapping) or not all(isinstance(v, str) for v in value.values()):
        raise ValueError("a position's keys are maps of strings")
    return {str(k): str(v) for k, v in value.items()}
