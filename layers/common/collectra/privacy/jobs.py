"""Erasure jobs: the record that an erasure was asked for, how far it got, and that it finished.

A job is written in the same transaction as the change that starts the erasure (the workspace marked as
being deleted, the debtor anonymised, the account's sessions ended), so there is never an erasure under
way that nothing remembers. While unfinished it is listed on gsi1 (`keys.unfinished_erasures`); the
worker records its position as it goes, and the sweeper puts jobs that have not moved for a while back on
the deletion queue. So a crash, a timeout or a lost message delays an erasure, never leaves it half-done
for good. Finishing takes the job off that list and lets the TTL remove it later.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, cast

from collectra import queues, store
from collectra.clock import iso
from collectra.privacy.records import ErasureJob, unfinished_index
from collectra.store import keys

DONE_KEPT_FOR = timedelta(days=30)  # a finished job stays a while, to answer a repeated request the same
STALE_AFTER = timedelta(minutes=15)  # a job not touched for this long is resumed by the sweeper
OVERDUE_AFTER = timedelta(hours=1)  # an erasure not finished an hour after it was asked for needs a person


class JobKind(StrEnum):
    WORKSPACE = "workspace"
    MEMBER = "member"
    DEBTOR = "debtor"
    ACCOUNT = "account"


@dataclass(frozen=True)
class JobRef:
    """Which job a queue message names."""

    pk: str
    sk: str

    @property
    def key(self) -> dict[str, str]:
        return {"pk": self.pk, "sk": self.sk}

    def as_message(self) -> str:
        return json.dumps({"pk": self.pk, "sk": self.sk})

    @classmethod
    def from_message(cls, body: str) -> JobRef:
        data = json.loads(body)
        if not isinstance(data, dict) or not isinstance(data.get("pk"), str) or not isinstance(data.get("sk"), str):
            raise ValueError("an erasure message names a job by its pk and sk")
        return cls(data["pk"], data["sk"])


def workspace_job_key(workspace_id: str) -> dict[str, str]:
    return keys.erasure_job(keys.workspace(workspace_id)["pk"], "WORKSPACE")


def member_job_key(workspace_id: str, user_id: str) -> dict[str, str]:
    return keys.erasure_job(keys.workspace(workspace_id)["pk"], f"MEMBER#{user_id}")


def debtor_job_key(workspace_id: str, debtor_id: str) -> dict[str, str]:
    return keys.erasure_job(keys.workspace(workspace_id)["pk"], f"DEBTOR#{debtor_id}")


def account_job_key(user_id: str) -> dict[str, str]:
    return keys.erasure_job(keys.user(user_id)["pk"], "ACCOUNT")


def new_job(
    key: dict[str, str],
    kind: JobKind,
    *,
    workspace_id: str | None,
    subject_id: str,
    now: datetime,
    retain_until: int | None = None,
) -> ErasureJob:
    """A job item, ready to write with `attribute_not_exists(pk)` (a second request finds the first job)."""
    requested = iso(now)
    listed = unfinished_index(requested, key)
    job: ErasureJob = {
        "pk": key["pk"],
        "sk": key["sk"],
        "gsi1pk": listed["gsi1pk"],
        "gsi1sk": listed["gsi1sk"],
        "kind": kind.value,
        "subject_id": subject_id,
        "status": "running",
        "requested_at": requested,
        "touched_at": requested,
        "processed": 0,
        "position": None,
    }
    if workspace_id:
        job["workspace_id"] = workspace_id
    if retain_until is not None:
        job["retain_until"] = retain_until
    return job


def record_progress(job: ErasureJob, position: dict[str, Any] | None, processed: int, *, now: datetime) -> None:
    """How far the job got (one UpdateItem); a re-run starts from there."""
    store.update(
        {"pk": job["pk"], "sk": job["sk"]},
        "SET #position = :position, touched_at = :now ADD #processed :count",
        names={"#position": "position", "#processed": "processed"},
        values={":position": position, ":now": iso(now), ":count": processed},
        condition="attribute_exists(pk)",
    )


def finish_op(job: ErasureJob, *, now: datetime) -> store.Operation:
    """The job is done: off the list of unfinished ones, removed by TTL after a while (for a transaction).

    A workspace's job stays as long as the accounting records it left: it tells that they were anonymised."""
    expires = int(job.get("retain_until") or (now + DONE_KEPT_FOR).timestamp())
    return store.update_op(
        {"pk": job["pk"], "sk": job["sk"]},
        "SET #status = :done, finished_at = :now, touched_at = :now, expires_at = :expires REMOVE gsi1pk, gsi1sk",
        {":done": "done", ":now": iso(now), ":expires": expires},
        names={"#status": "status"},
    )


def finish(job: ErasureJob, *, now: datetime) -> None:
    store.transact([finish_op(job, now=now)])


def stale(now: datetime, *, limit: int = 100) -> list[ErasureJob]:
    """Unfinished jobs that have not moved for `STALE_AFTER` (one Query a page, the oldest first)."""
    found: list[ErasureJob] = []
    start = None
    while len(found) < limit:
        page = store.query(
            "gsi1pk = :p",
            {":p": keys.unfinished_erasures(), ":stale": iso(now - STALE_AFTER)},
            index="gsi1",
            filter_expression="touched_at < :stale",
            start_key=start,
            limit=limit,
        )
        found += cast(list[ErasureJob], page.items)
        if page.last_key is None:
            break
        start = page.last_key
    return found[:limit]


def overdue(now: datetime) -> int:
    """How many unfinished jobs were asked for more than `OVERDUE_AFTER` ago (Select=COUNT on the list of unfinished
    ones, which is sorted by request time: no item is read back)."""
    cutoff = iso(now - OVERDUE_AFTER)
    return store.count(
        "gsi1pk = :p AND gsi1sk < :cutoff", {":p": keys.unfinished_erasures(), ":cutoff": cutoff}, index="gsi1"
    )


def enqueue(refs: list[JobRef]) -> None:
    """Ask the worker to run (or go on with) these jobs; raises when SQS refuses any."""
    queues.send("DELETION_QUEUE_URL", [ref.as_message() for ref in refs])


def enqueue_quietly(refs: list[JobRef]) -> None:
    """Enqueue after the job is recorded: if SQS fails now, the sweeper sends it later, so the request succeeds."""
    from collectra.observability import logger

    try:
        enqueue(refs)
    except Exception:
        logger.exception("an erasure job could not be queued; the sweeper will resume it")


def ref_of(job: ErasureJob) -> JobRef:
    return JobRef(str(job["pk"]), str(job["sk"]))
