"""Two clicks at once on a button that must act once: the second request is handled whole between the first
one's reads and its write (tests.support.meanwhile), so the first meets what the second did, every run."""

from __future__ import annotations

from tests.conftest import Account
from tests.support.erasure import run_jobs_of
from tests.support.meanwhile import meanwhile


def test_connecting_stripe_twice_at_once_answers_the_one_account_both_times(account: Account) -> None:
    def connect() -> dict[str, str]:
        answer = account.browser.call("POST", "/workspace/stripe/connect")
        assert answer.status == 200, answer.body
        return dict(answer.json())

    with meanwhile("ConnectStripeFunction", "TransactWriteItems", connect) as other:
        first = connect()

    assert first["account_id"] == other.answer["account_id"]
    status = account.browser.call("GET", "/workspace/stripe").json()
    assert status["connected"] is True


def test_deleting_a_workspace_twice_at_once_answers_the_one_deletion_both_times(account: Account) -> None:
    def delete() -> dict[str, str]:
        answer = account.browser.call("DELETE", "/workspace", {"password": account.password})
        assert answer.status == 202, answer.body
        return dict(answer.json())

    with meanwhile("DeleteWorkspaceFunction", "TransactWriteItems", delete) as other:
        first = delete()

    assert first == other.answer
    assert first["status"] == "deleting"
    assert run_jobs_of(account.workspace_id) == 1  # one deletion, queued once
