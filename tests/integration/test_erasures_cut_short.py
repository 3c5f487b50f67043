"""An erasure whose request dies half-way (after its job is recorded, before it is done) is finished by the
sweeper and the worker: an account's deletion, and a debtor's erasure."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from collectra.privacy import jobs
from collectra.store import keys
from tests.conftest import PASSWORD, Account, Clock, new_debt
from tests.support.erasure import WORKER, sweep
from tests.support.http import Browser, harness
from tests.support.meanwhile import meanwhile
from tests.support.world import get_item


def timeline_text(account: Account, debt_id: str) -> str:
    return json.dumps(account.browser.call("GET", f"/debts/{debt_id}/timeline").json(), ensure_ascii=False)


def resume(clock: Clock) -> None:
    """The sweeper's run once the job has gone quiet, then the worker on all it queued (other tests' unfinished
    jobs too, as Lambda would: nothing is left on the queue)."""
    sweep(clock.now + timedelta(minutes=20))
    harness().drain(WORKER)


def crash() -> None:
    raise RuntimeError("the function was stopped half-way")


def test_an_account_deletion_cut_short_is_finished_by_the_sweeper(account: Account, clock: Clock) -> None:
    with meanwhile("DeleteAccountFunction", "Query", crash):  # its first Query: the workspaces it belongs to
        cut = account.browser.call("DELETE", "/account", {"password": PASSWORD})
    assert cut.status == 500
    assert (get_item(jobs.account_job_key(account.user_id)) or {})["status"] == "running"

    resume(clock)

    assert (get_item(jobs.account_job_key(account.user_id)) or {})["status"] == "done"
    assert get_item(keys.user(account.user_id)) is None
    assert (get_item(keys.workspace(account.workspace_id)) or {})["status"] == "deleted"  # with its last owner
    signing_in = Browser().call("POST", "/auth/login", {"email": account.email, "password": PASSWORD})
    assert signing_in.status == 401


def test_a_debtor_erasure_cut_short_is_finished_by_the_sweeper(
    account: Account, debtor: dict[str, Any], clock: Clock
) -> None:
    debt = new_debt(account, debtor["id"])
    assert account.browser.call("POST", f"/debts/{debt['id']}/cancel").status == 200
    renamed = account.browser.call("PATCH", f"/debtors/{debtor['id']}", {"version": debtor["version"], "name": "E. Z."})
    assert renamed.status == 200, renamed.body  # the correction's entry on the debt's timeline holds the old name
    with meanwhile("DeleteDebtorFunction", "Query", crash):  # its first Query: the debtor's debts, for their traces
        cut = account.browser.call("DELETE", f"/debtors/{debtor['id']}")
    assert cut.status == 500
    job_key = jobs.debtor_job_key(account.workspace_id, debtor["id"])
    assert (get_item(job_key) or {})["status"] == "running"
    assert debtor["name"] in timeline_text(account, debt["id"])

    resume(clock)

    assert (get_item(job_key) or {})["status"] == "done"
    assert debtor["name"] not in timeline_text(account, debt["id"])
