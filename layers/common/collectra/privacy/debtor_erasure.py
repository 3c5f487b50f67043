"""Erasing one debtor's traces beyond their own record: what they wrote, their corrections, their emails.

`debtors.service.erase_debtor` anonymises the debtor and records this job in one transaction, then runs
`finish` in the same request. If the request dies in between, the sweeper hands the job to the worker,
which runs `finish` again: every rule is idempotent, so running it twice changes nothing twice.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from collectra import store
from collectra.debts.service import debts_of_debtor
from collectra.debts.timeline import PREFIX
from collectra.exports import purge
from collectra.privacy import jobs
from collectra.privacy.erasure import in_debtor_erasure
from collectra.privacy.records import ErasureJob
from collectra.store import keys


def finish(job: ErasureJob, *, now: datetime) -> None:
    """Erase the debtor's traces (their debts' timelines, their communications, the workspace's export archives),
    then close the job."""
    workspace_id, debtor_id = str(job["workspace_id"]), str(job["subject_id"])
    replacements: list[dict[str, Any]] = []
    for debt in debts_of_debtor(workspace_id, debtor_id):
        for entry in store.query_all(
            "pk = :p AND begins_with(sk, :prefix)",
            {":p": keys.debt_history(workspace_id, debt["id"]), ":prefix": PREFIX},
        ):
            decision = in_debtor_erasure(entry, debtor_id)
            if decision.item is not None:
                replacements.append(decision.item)
    # A workspace's communications are listed on gsi1; this debtor's are picked out by a filter.
    for communication in store.query_all(
        "gsi1pk = :p",
        {":p": keys.communications_of_workspace(workspace_id), ":debtor": debtor_id},
        index="gsi1",
        filter_expression="debtor_id = :debtor",
    ):
        decision = in_debtor_erasure(communication, debtor_id)
        if decision.item is not None:
            replacements.append(decision.item)
    store.put_many(replacements)
    # Archives exported before hold the debtor as they were: they go too (the business can export again).
    purge.delete_workspace_archives(workspace_id)
    jobs.finish(job, now=now)
