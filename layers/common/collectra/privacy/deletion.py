"""Deleting an account or a workspace: what happens at once, in the request, and what the worker finishes.

A workspace's deletion starts with one transaction: the workspace is marked `deleting` (from then on no
session, link, reminder or payment acts on it: `workspaces.lifecycle`) and its job is recorded. The worker
(`privacy.worker`) then erases or anonymises every item it owns, resumably. Asking again changes nothing.

An account's deletion ends its sessions at once (its `session_version` moves on, in the transaction that
records its job), then, still in the request: each workspace it is the last owner of is deleted with it,
it leaves the others (a job anonymises it on their timelines), and the account itself goes: profile, email
claim, sessions, pending emailed tokens. A crash half-way leaves the job for the sweeper to finish.
"""

from __future__ import annotations

from contextlib import suppress
from datetime import datetime
from typing import Any, cast

from collectra import config, store
from collectra.access import Role
from collectra.auth import passwords
from collectra.clock import iso
from collectra.errors import Conflict, InvalidInput, NotFound
from collectra.privacy import jobs
from collectra.privacy.jobs import JobKind
from collectra.privacy.records import ErasureJob
from collectra.store import keys
from collectra.workspaces import members
from collectra.workspaces.lifecycle import DELETING, is_closed


def check_password(user: dict[str, Any], password: str) -> None:
    """Deleting needs the password, like changing it: a session left open on a shared computer is not enough."""
    if not passwords.verify_password(user["password_hash"], password):
        raise InvalidInput(
            "The password is not right.",
            code="wrong_password",
            details=[{"field": "body.password", "message": "does not match"}],
        )


def retain_until(now: datetime) -> int:
    """When a workspace deleted now may lose its accounting records: the retention period later (epoch s)."""
    years = config.accounting_retention_years()
    try:
        later = now.replace(year=now.year + years)
    except ValueError:  # 29 February, in a year that has none
        later = now.replace(year=now.year + years, day=28)
    return int(later.timestamp())


# ---------------------------------------------------------------- a workspace


def request_workspace_deletion(workspace_id: str, *, by: str, now: datetime) -> ErasureJob:
    """Mark the workspace as being deleted and record its job (one transaction), then queue the job.

    Idempotent: a workspace already being deleted (or deleted) answers its existing job.
    """
    key = jobs.workspace_job_key(workspace_id)
    until = retain_until(now)
    job = jobs.new_job(
        key, JobKind.WORKSPACE, workspace_id=workspace_id, subject_id=workspace_id, now=now, retain_until=until
    )
    try:
        store.transact(
            [
                store.update_op(
                    keys.workspace(workspace_id),
                    "SET #status = :deleting, deletion_requested_at = :now, deletion_requested_by = :by, "
                    "retain_until = :until",
                    {":deleting": DELETING, ":now": iso(now), ":by": by, ":until": until},
                    condition="attribute_exists(pk) AND attribute_not_exists(#status)",
                    names={"#status": "status"},
                ),
                store.put_op(job, "attribute_not_exists(pk)"),
            ]
        )
    except Conflict:
        existing = store.get(key, consistent=True)
        if existing is None:
            raise NotFound("There is no such workspace.", code="workspace_not_found") from None
        return cast(ErasureJob, existing)
    jobs.enqueue_quietly([jobs.ref_of(job)])
    return job


def delete_workspace(user: dict[str, Any], workspace_id: str, password: str, *, now: datetime) -> ErasureJob:
    """An owner deletes the workspace; their account stays, and their next sign-in lands in another
    workspace they belong to (or tells them they have none)."""
    check_password(user, password)
    job = request_workspace_deletion(workspace_id, by=user["id"], now=now)
    store.delete_many([keys.user_workspace(user["id"], workspace_id)])
    members.move_next_sign_in(user["id"], away_from=workspace_id)
    return job


# ---------------------------------------------------------------- an account


def delete_account(user: dict[str, Any], password: str, *, now: datetime) -> dict[str, Any]:
    """Delete the signed-in user's account; returns what became of their workspaces."""
    check_password(user, password)
    key = jobs.account_job_key(user["id"])
    job = jobs.new_job(key, JobKind.ACCOUNT, workspace_id=None, subject_id=user["id"], now=now)
    try:
        store.transact(
            [
                store.put_op(job, "attribute_not_exists(pk)"),
                # Every session of the account ends with this write, before anything else is erased.
                store.update_op(keys.user(user["id"]), "ADD session_version :one", {":one": 1}, "attribute_exists(pk)"),
            ]
        )
    except Conflict:
        job = cast(ErasureJob, store.get(key, consistent=True)) or job  # a deletion already under way: finish it
    return erase_account(job, now=now)


def erase_account(job: ErasureJob, *, now: datetime) -> dict[str, Any]:
    """Everything an account deletion does after its sessions ended; running it again finishes what is left."""
    user_id = str(job["subject_id"])
    deleted, left = [], []
    for membership in store.partition_items(keys.user(user_id)["pk"], "WORKSPACE#", consistent=True):
        workspace_id = str(membership["workspace_id"])
        if _last_owner_or_leave(workspace_id, user_id, now=now):
            deleted.append(workspace_id)
        else:
            left.append(workspace_id)
    _erase_account_items(user_id)
    jobs.finish(job, now=now)
    return {"workspaces_deleted": deleted, "workspaces_left": left}


def _last_owner_or_leave(workspace_id: str, user_id: str, *, now: datetime) -> bool:
    """Delete the workspace if the user is its last owner (True), else take them out of it (False)."""
    workspace, membership = store.batch_get(
        [keys.workspace(workspace_id), keys.membership(workspace_id, user_id)], consistent=True
    )
    if workspace is None or membership is None or is_closed(workspace):
        return bool(workspace is not None and is_closed(workspace))  # its own deletion takes care of the rest
    owner = membership.get("role") == Role.OWNER.value
    if owner and int(workspace.get("owner_count", 1)) <= 1:
        request_workspace_deletion(workspace_id, by=user_id, now=now)
        return True
    operations = [
        store.delete_op(keys.membership(workspace_id, user_id)),
        store.delete_op(keys.user_workspace(user_id, workspace_id)),
    ]
    if owner:
        operations.append(members.owner_count_op(workspace_id, -1))
    member_job = jobs.new_job(
        jobs.member_job_key(workspace_id, user_id),
        JobKind.MEMBER,
        workspace_id=workspace_id,
        subject_id=user_id,
        now=now,
    )
    try:
        store.transact([*operations, store.put_op(member_job, "attribute_not_exists(pk)")])
    except Conflict:
        # Another owner left at the same moment, or this one already did: read again and decide again.
        if store.get(jobs.member_job_key(workspace_id, user_id), consistent=True) is None:
            return _last_owner_or_leave(workspace_id, user_id, now=now)
        return False
    jobs.enqueue_quietly([jobs.ref_of(member_job)])
    return False


def _erase_account_items(user_id: str) -> None:
    """The account's own items: pending emailed tokens, the email claim, then the user's partition
    (sessions, list of workspaces, and last the profile, which is what a retry starts from)."""
    user = store.get(keys.user(user_id), consistent=True)
    tokens = store.query_all("gsi1pk = :p", {":p": keys.tokens_of_user(user_id)}, index="gsi1")
    store.delete_many([{"pk": token["pk"], "sk": token["sk"]} for token in tokens])
    if user is not None and user.get("email"):
        with suppress(Conflict):  # the address is already someone else's (or no one's)
            store.transact([store.delete_op(keys.email(str(user["email"])), "user_id = :user", {":user": user_id})])
    partition = keys.user(user_id)["pk"]
    own = [
        {"pk": item["pk"], "sk": item["sk"]}
        for item in store.partition_items(partition, consistent=True)
        if not str(item["sk"]).startswith("ERASURE#") and item["sk"] != keys.user(user_id)["sk"]
    ]
    store.delete_many(own)
    store.delete_many([keys.user(user_id)])
