"""An erasure job as stored: kept where its subject lives, listed (gsi1) while it is unfinished so the
sweeper resumes it. Key strings come from `store.keys`."""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict

from collectra.store import keys


class ErasureJob(TypedDict):
    pk: str
    sk: str
    kind: str  # a `privacy.jobs.JobKind`
    subject_id: str
    status: str  # "running", then "done"
    requested_at: str
    touched_at: str  # the sweeper resumes a job that has not moved for a while
    processed: int
    position: dict[str, Any] | None  # how far it got: a re-run starts from there
    workspace_id: NotRequired[str]
    retain_until: NotRequired[int]
    finished_at: NotRequired[str]
    expires_at: NotRequired[int]
    gsi1pk: NotRequired[str]  # only while unfinished
    gsi1sk: NotRequired[str]


def unfinished_index(requested_at: str, key: dict[str, str]) -> dict[str, str]:
    """An unfinished job's place in the sweeper's list, by request time."""
    return {"gsi1pk": keys.unfinished_erasures(), "gsi1sk": f"{requested_at}#{key['pk']}#{key['sk']}"}
