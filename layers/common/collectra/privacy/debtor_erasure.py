"""Erasing a debtor: their record, then their traces beyond it (what they wrote, their corrections, their emails).

`erase_debtor` anonymises the debtor and records this job in one transaction, then runs `finish` in the same
request. If the request dies in between, the sweeper hands the job to the worker, which runs `finish` again:
every rule is idempotent, so running it twice changes nothing twice.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from collectra import store
from collectra.clock import iso
from collectra.debtors.records import Debtor
from collectra.debts.service import debts_of_debtor
from collectra.debts.timeline import PREFIX
from collectra.errors import Conflict
from collectra.exports import purge
from collectra.inbox import items as inbox
from collectra.plans import service as plans
from collectra.privacy import jobs
from collectra.privacy.erasure import erased_debtor, in_debtor_erasure
from collectra.privacy.records import ErasureJob
from collectra.reminders.claims import CLAIM_PREFIX
from collectra.store import keys


def finish(job: ErasureJob, *, now: datetime) -> None:
    """Erase the debtor's traces (their debts' timelines, their communications, their payment plans, their inbox
    items, the workspace's export archives), then close the job.

    Reads only this debtor's: their debts (gsi3), then each debt's history partition, where its timeline, its
    claims and the emails about it (an email's record is its lead claim, `reminders.records.Communication`) are.
    A debt never changes debtor, so every email to them is under one of their debts."""
    workspace_id, debtor_id = str(job["workspace_id"]), str(job["subject_id"])
    replacements: list[dict[str, Any]] = []
    for debt in debts_of_debtor(workspace_id, debtor_id):
        for prefix in (PREFIX, CLAIM_PREFIX):
            for item in store.query_all(
                "pk = :p AND begins_with(sk, :prefix)",
                {":p": keys.debt_history(workspace_id, debt["id"]), ":prefix": prefix},
            ):
                decision = in_debtor_erasure(item, debtor_id)
                if decision.item is not None:
                    replacements.append(decision.item)
    store.put_many(replacements)
    # Their payment plans: what they agreed to pay and when, and the business's notes on it (the ledger keeps what
    # was paid). An erased debtor has no open debt, so no plan of theirs is running.
    store.delete_many(
        [
            keys.plan(workspace_id, plan["id"])
            for plan in plans.plans_of_debtor(workspace_id, debtor_id)
            if in_debtor_erasure(plan, debtor_id).action == "delete"
        ]
    )
    # What needed a person about them (their questions' words among it) goes with them.
    store.delete_many(inbox.keys_of_debtor(workspace_id, debtor_id))
    # Archives exported before hold the debtor as they were: they go too (the business can export again).
    purge.delete_workspace_archives(workspace_id)
    jobs.finish(job, now=now)


def erase_debtor(workspace_id: str, current: Debtor, *, now: datetime) -> Debtor:
    """Erase the debtor's personal data, keeping the accounting trail; refused while debts are open.

    The debtor becomes an anonymous record its debts still point to, and its link stops working, in one
    transaction that also records the erasure's job. Then what ties the person elsewhere goes by the rules
    of `privacy.erasure` (`finish`): what they wrote, their corrections' values, their
    communications. If this request dies in between, asking again, or the sweeper, finishes it.
    """
    job_key = jobs.debtor_job_key(workspace_id, current["id"])
    if current.get("erased"):
        found = cast(ErasureJob | None, store.get(job_key, consistent=True))
        if found is not None and found.get("status") != "done":
            finish(found, now=now)
        return current
    if current.get("open_debts", 0) > 0:
        raise Conflict(
            f"This debtor still has {current['open_debts']} open debt(s): settle, cancel or write them off first.",
            code="debtor_has_open_debts",
        )
    erased = cast(Debtor, erased_debtor(current, erased_at=iso(now)))
    job = jobs.new_job(job_key, jobs.JobKind.DEBTOR, workspace_id=workspace_id, subject_id=current["id"], now=now)
    operations = [
        store.put_op(erased, "version = :seen AND open_debts = :zero", {":seen": current["version"], ":zero": 0}),
        store.put_op(job),
    ]
    if reference := current.get("external_ref"):
        operations.append(store.delete_op(keys.external_ref(workspace_id, reference)))
    try:
        store.transact(operations)
    except Conflict as error:
        raise Conflict("This debtor changed meanwhile. Reload and try again.", code="version_conflict") from error
    finish(job, now=now)
    return erased
