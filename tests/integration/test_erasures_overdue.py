"""The erasure sweeper counts the erasures asked for over an hour ago and still unfinished, on every run."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from tests.conftest import PASSWORD, Account, Clock
from tests.support.erasure import run_jobs_of, sweep
from tests.support.metrics_printed import printed_metrics


def test_an_erasure_unfinished_an_hour_after_it_was_asked_for_is_counted_overdue(
    account: Account, clock: Clock, capsys: pytest.CaptureFixture[str]
) -> None:
    # A moment of this test's own: the session's other unfinished erasures were all asked for before it.
    clock.advance(days=900, minutes=random.randrange(100_000))
    # Given an account deletion whose erasure no worker has run yet
    assert account.new_browser().call("DELETE", "/account", {"password": PASSWORD}).status in (200, 202, 204)

    capsys.readouterr()
    before = sweep(clock.now + timedelta(minutes=59))["overdue"]
    after = sweep(clock.now + timedelta(minutes=61))["overdue"]
    printed = printed_metrics(capsys.readouterr().out)

    assert after - before == 1  # this one, once its hour is over
    assert printed["ErasuresOverdue"] == [before, after]  # every run says it, however many

    run_jobs_of(account.user_id)
    run_jobs_of(account.workspace_id)  # the sole owner's workspace goes with the account
    assert sweep(clock.now + timedelta(minutes=62))["overdue"] == after - 1  # finished: no longer overdue
