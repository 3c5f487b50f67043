"""The erasure worker: runs one job from the deletion queue as far as its time allows, recording how far.

A workspace's (or a departed member's) job walks every item the workspace owns with
`workspaces.contents.owned_items` and applies the rule of `privacy.erasure` to each. Writes go out 25 at a
time (BatchWriteItem), and after each batch the job records the position just past it, so a run that
crashes, times out or is cut short resumes from there, and a duplicate message re-applies rules that
change nothing the second time. A run about to run out of time stops after a batch and queues the job
again. Finishing a workspace replaces its item with a tombstone and closes the job in one transaction.

Besides each item's own rule, erasing a workspace also:
- deletes the global lookups that point into it (`contents.linked_global_keys`, and an invitation's token);
- takes each member out: their list of workspaces, their sessions there (deleted), and where their next
  sign-in lands (`members.move_next_sign_in`);
- expires the Checkout Sessions its debtors still had open at Stripe (`payments.closing`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from collectra import store
from collectra.clock import iso
from collectra.exports import purge
from collectra.privacy import debtor_erasure, deletion, erasure, jobs
from collectra.privacy.erasure import Decision, Kind, Retention
from collectra.privacy.jobs import JobKind, JobRef
from collectra.privacy.records import ErasureJob
from collectra.store import keys
from collectra.workspaces import contents, members
from collectra.workspaces.lifecycle import is_closed

BATCH = 25  # items decided between two recorded positions (one BatchWriteItem of each kind)
RESERVE_MS = 30_000  # a run stops once less than this is left, after recording its position

RemainingMs = Callable[[], int]


def run(ref: JobRef, *, now: datetime, remaining_ms: RemainingMs) -> str:
    """Run the job a message names: done, continued (queued again to go on), duplicate (done before) or gone."""
    job = cast(ErasureJob | None, store.get(ref.key, consistent=True))
    if job is None:
        return "gone"
    if job.get("status") == "done":
        return "duplicate"
    kind = JobKind(job["kind"])
    if kind is JobKind.ACCOUNT:
        deletion.erase_account(job, now=now)
        return "done"
    if kind is JobKind.DEBTOR:
        debtor_erasure.finish(job, now=now)
        return "done"
    finished = (
        _workspace(job, now=now, remaining_ms=remaining_ms)
        if kind is JobKind.WORKSPACE
        else _member(job, now=now, remaining_ms=remaining_ms)
    )
    if not finished:
        jobs.enqueue([ref])
        return "continued"
    return "done"


@dataclass
class _Batch:
    """The writes decided for up to `BATCH` items, and what else they need done."""

    puts: list[dict[str, Any]] = field(default_factory=list)
    deletes: list[dict[str, str]] = field(default_factory=list)
    departures: list[str] = field(default_factory=list)  # members taken out of the workspace
    checkout_sessions: list[str] = field(default_factory=list)
    items: int = 0

    def add(self, item: dict[str, Any], decision: Decision, linked: list[dict[str, str]]) -> None:
        self.items += 1
        if decision.action == "keep":
            return
        self.deletes += linked
        if decision.action == "delete":
            self.deletes.append({"pk": item["pk"], "sk": item["sk"]})
        elif decision.item is not None:
            self.puts.append(decision.item)


def _walk(
    job: ErasureJob,
    decide: Callable[[dict[str, Any], _Batch], None],
    *,
    now: datetime,
    remaining_ms: RemainingMs,
    before_writes: Callable[[_Batch], None] = lambda _: None,
    after_writes: Callable[[_Batch], None] = lambda _: None,
) -> bool:
    """Apply `decide` to every item of the workspace from the job's position; False if time ran out first."""
    workspace_id = str(job["workspace_id"])
    position_read = job.get("position")
    start = contents.Position.from_dict(position_read) if position_read else None
    batch, position = _Batch(), None
    for item, position in contents.owned_items(workspace_id, start=start):
        decide(item, batch)
        if batch.items >= BATCH:
            _write(batch, before_writes, after_writes)
            jobs.record_progress(job, position.as_dict(), batch.items, now=now)
            batch = _Batch()
            if remaining_ms() < RESERVE_MS:
                return False
    if batch.items and position is not None:
        _write(batch, before_writes, after_writes)
        jobs.record_progress(job, position.as_dict(), batch.items, now=now)
    return True


def _write(batch: _Batch, before: Callable[[_Batch], None], after: Callable[[_Batch], None]) -> None:
    before(batch)
    store.put_many(batch.puts)
    store.delete_many(batch.deletes)
    after(batch)


# ---------------------------------------------------------------- a workspace


def _workspace(job: ErasureJob, *, now: datetime, remaining_ms: RemainingMs) -> bool:
    workspace_id = str(job["workspace_id"])
    workspace = store.get(keys.workspace(workspace_id), consistent=True)
    retention = Retention(erased_at=str(job["requested_at"]), expires_at=int(job["retain_until"]))
    account_id = (workspace or {}).get("stripe_account_id")
    purge.delete_workspace_archives(workspace_id)  # copies of what is being erased: first, and on every resume

    def decide(item: dict[str, Any], batch: _Batch) -> None:
        kind = erasure.kind_of(item)
        linked = contents.linked_global_keys(item) if kind is not Kind.WORKSPACE else []
        if kind is Kind.INVITATION and isinstance(item.get("token_key"), dict):
            linked.append({"pk": str(item["token_key"]["pk"]), "sk": str(item["token_key"]["sk"])})
        if kind is Kind.MEMBERSHIP and item.get("user_id"):
            batch.departures.append(str(item["user_id"]))
        if kind is Kind.DEBTOR and account_id:
            from collectra.payments.closing import open_sessions

            batch.checkout_sessions += open_sessions(item, now=now)
        batch.add(item, erasure.in_workspace_deletion(item, retention), linked)

    def stop_payments(batch: _Batch) -> None:
        if batch.checkout_sessions and account_id:
            from collectra.payments.closing import expire_sessions

            expire_sessions(str(account_id), batch.checkout_sessions)

    def take_members_out(batch: _Batch) -> None:
        for user_id in batch.departures:
            _depart(user_id, workspace_id)

    walked = _walk(
        job, decide, now=now, remaining_ms=remaining_ms, before_writes=stop_payments, after_writes=take_members_out
    )
    if not walked:
        return False
    workspace = store.get(keys.workspace(workspace_id), consistent=True)
    operations: list[store.Operation] = [jobs.finish_op(job, now=now)]
    if workspace is not None:
        store.delete_many(contents.linked_global_keys(workspace))
        operations.insert(0, store.put_op(erasure.tombstone(workspace, retention, deleted_at=iso(now))))
    store.transact(operations)
    return True


def _depart(user_id: str, workspace_id: str) -> None:
    """A member of a deleted workspace: their sessions there end, and their next sign-in lands elsewhere."""
    start = None
    while True:
        page = store.query(
            "pk = :pk AND begins_with(sk, :prefix)",
            {":pk": keys.user(user_id)["pk"], ":prefix": "SESSION#", ":ws": workspace_id},
            filter_expression="workspace_id = :ws",
            start_key=start,
        )
        # Deleted rather than revoked: a missing session is as dead, and nothing is left pointing here.
        store.delete_many([{"pk": session["pk"], "sk": session["sk"]} for session in page.items])
        if page.last_key is None:
            break
        start = page.last_key
    members.move_next_sign_in(user_id, away_from=workspace_id)


# ---------------------------------------------------------------- a member gone, the workspace going on


def _member(job: ErasureJob, *, now: datetime, remaining_ms: RemainingMs) -> bool:
    workspace = store.get(keys.workspace(str(job["workspace_id"])), consistent=True)
    if is_closed(workspace):  # the workspace's own deletion erases everything, this member's traces with it
        jobs.finish(job, now=now)
        return True
    user_id = str(job["subject_id"])

    def decide(item: dict[str, Any], batch: _Batch) -> None:
        batch.add(item, erasure.in_member_erasure(item, user_id), [])

    if not _walk(job, decide, now=now, remaining_ms=remaining_ms):
        return False
    jobs.finish(job, now=now)
    return True
