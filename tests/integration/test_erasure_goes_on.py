"""A workspace erasure that runs short of time records how far it got and queues itself again; the next run
goes on from there and finishes."""

from __future__ import annotations

import uuid

from collectra.privacy import jobs
from tests.conftest import PASSWORD, Account
from tests.support.erasure import deliver, receive_for, run_jobs_of
from tests.support.world import get_item

HEADER = "N° facture;Nom du client;Courriel;Montant;Devise;Date d'échéance\n"


def test_an_erasure_short_of_time_queues_itself_again_and_the_next_run_finishes(account: Account) -> None:
    mark = uuid.uuid4().hex[:8]
    rows = "".join(f"F-{n:03d};Client {n};client-{n}-{mark}@example.fr;100,00;EUR;31/12/2026\n" for n in range(10))
    imported = account.browser.call(
        "POST", "/debts/import?locale=fr", raw_body=HEADER + rows, headers={"content-type": "text/csv"}
    )
    assert (imported.status, imported.json()["created"]) == (200, 10), imported.body  # some 50 items to erase
    assert account.browser.call("DELETE", "/workspace", {"password": PASSWORD}).status == 202
    [message] = receive_for(account.workspace_id)
    job_key = jobs.workspace_job_key(account.workspace_id)

    assert not deliver(message, remaining_ms=1_000)["batchItemFailures"]  # one batch, then no time left

    midway = get_item(job_key) or {}
    assert (midway["status"], midway["processed"]) == ("running", 25)
    assert len(receive_for(account.workspace_id)) == 1  # queued again by the worker itself
    assert run_jobs_of(account.workspace_id) == 1
    assert (get_item(job_key) or {})["status"] == "done"
