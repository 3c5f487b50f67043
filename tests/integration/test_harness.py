"""Each function runs in the tests with exactly its own environment, and every AWS call it makes, on its own
thread or on the threads it starts, is seen as that function's (local.harness)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest

from collectra.config import ConfigurationError
from local.harness import AwsCall, observing
from tests.conftest import Account
from tests.support.http import Browser, harness
from tests.support.reminders import plan


def test_a_route_declared_without_a_variable_its_code_needs_fails_naming_it(
    account: Account, caplog: pytest.LogCaptureFixture
) -> None:
    with harness().redeployed({"TABLE_NAME": None}, functions=["GetWorkspaceFunction"]):
        answer = account.browser.call("GET", "/workspace")
        # The other functions still have theirs: the variable is the one function's own.
        assert account.browser.call("GET", "/auth/me").status == 200

    assert answer.status == 500
    [failure] = [record.exc_info[1] for record in caplog.records if record.exc_info]
    assert isinstance(failure, ConfigurationError) and "TABLE_NAME" in str(failure)
    assert account.browser.call("GET", "/workspace").status == 200


def test_a_worker_declared_without_a_variable_its_code_needs_fails_naming_it(emulator: object) -> None:
    with (
        harness().redeployed({"TABLE_NAME": None}, functions=["ReminderPlannerFunction"]),
        pytest.raises(ConfigurationError, match="TABLE_NAME"),
    ):
        plan(datetime.now(UTC))


def test_a_function_reads_its_own_environment_not_another_functions(account: Account) -> None:
    # The Brevo webhook's secret name is declared by its function alone: no other may read it.
    assert "BREVO_WEBHOOK_SECRET_NAME" in harness().environment("BrevoWebhookFunction")
    assert "BREVO_WEBHOOK_SECRET_NAME" not in harness().environment("GetWorkspaceFunction")


def test_calls_made_on_the_threads_a_handler_starts_are_that_functions(account: Account) -> None:
    calls: list[tuple[str | None, str, int]] = []

    def record(call: AwsCall) -> None:
        calls.append((call.function, call.operation, threading.get_ident()))

    with observing(record):
        assert account.browser.call("GET", "/workspace/summary").status == 200

    assert calls, "the summary reads the table"
    assert {function for function, _, _ in calls} == {"WorkspaceSummaryFunction"}
    assert {thread for _, _, thread in calls} - {threading.get_ident()}, "its reads run on threads of its own"


def test_concurrent_invocations_of_different_functions_each_see_their_own(account: Account) -> None:
    calls: list[AwsCall] = []
    requests = [("GET", "/workspace/summary"), ("GET", "/debtors"), ("GET", "/auth/me")] * 4

    def serve(request: tuple[str, str]) -> int:
        browser = Browser()
        browser.jar = dict(account.browser.jar)
        return browser.call(*request).status

    # The debtors' list alone lacks its table: it fails every time, and only it, however the threads interleave.
    with (
        harness().redeployed({"TABLE_NAME": None}, functions=["ListDebtorsFunction"]),
        observing(calls.append),
        ThreadPoolExecutor(max_workers=6) as pool,
    ):
        statuses = list(pool.map(serve, requests))

    assert statuses == [200, 500, 200] * 4
    assert {call.function for call in calls if call.service == "dynamodb"} == {"WorkspaceSummaryFunction", "MeFunction"}
