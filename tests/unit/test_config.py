"""Each setting is read and checked on its own, from the invocation's environment, when it is asked for."""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextvars import copy_context
from typing import Any

import pytest

from collectra import config

GOOD = {
    "ENVIRONMENT": "dev",
    "TABLE_NAME": "collectra-dev",
    "WEB_ORIGIN": "https://app.collectra.example",
    "PUBLIC_BASE_URL": "https://pay.collectra.example",
    "BREVO_API_URL": "https://api.brevo.com",
    "STRIPE_CHECKOUT_ORIGIN": "https://checkout.stripe.com",
    "ACCOUNTING_RETENTION_YEARS": "7",
    "EXPORT_RETENTION_DAYS": "3",
    "REMINDER_QUEUE_URL": "https://sqs.us-east-1.amazonaws.com/123456789012/collectra-dev-reminders",
}


def test_each_setting_reads_its_own_variable() -> None:
    with config.environment_of(GOOD):
        assert config.table_name() == "collectra-dev"
        assert config.web_origin() == "https://app.collectra.example"
        assert config.accounting_retention_years() == 7
        assert config.export_retention_days() == 3
        assert config.queue_url("REMINDER_QUEUE_URL").endswith("/collectra-dev-reminders")
        assert config.livemode() is False


def test_a_function_needs_only_the_variables_of_what_it_does() -> None:
    with config.environment_of({"TABLE_NAME": "collectra-dev"}):
        assert config.table_name() == "collectra-dev"
        with pytest.raises(config.ConfigurationError, match="JWT_SECRET_NAME"):
            config.jwt_secret_name()


def test_optional_settings_have_their_defaults() -> None:
    with config.environment_of({}):
        assert config.email_sender_name() == "Collectra"
        assert config.accounting_retention_years() == 10
        assert config.aws_read_timeout() == 5
        assert config.metrics_namespace() == "Collectra"
        assert config.origin_verify_secret_name() is None


@pytest.mark.parametrize(
    ("setting", "variable", "value"),
    [
        (config.table_name, "TABLE_NAME", ""),
        (config.environment, "ENVIRONMENT", "staging"),
        (config.web_origin, "WEB_ORIGIN", "https://app.example/path"),
        (config.public_base_url, "PUBLIC_BASE_URL", ""),
        (config.brevo_api_url, "BREVO_API_URL", "brevo"),
        (config.stripe_checkout_origin, "STRIPE_CHECKOUT_ORIGIN", "checkout.stripe.com"),
        (config.accounting_retention_years, "ACCOUNTING_RETENTION_YEARS", "31"),
        (config.export_retention_days, "EXPORT_RETENTION_DAYS", ""),
        (lambda: config.queue_url("EXPORT_QUEUE_URL"), "EXPORT_QUEUE_URL", ""),
    ],
)
def test_a_wrong_variable_fails_loudly_naming_it(setting: Callable[[], Any], variable: str, value: str) -> None:
    with config.environment_of({**GOOD, variable: value}), pytest.raises(config.ConfigurationError, match=variable):
        setting()


def test_threads_that_copy_the_context_read_the_invocations_environment() -> None:
    seen: dict[str, str | BaseException] = {}

    def read(label: str) -> None:
        try:
            seen[label] = config.table_name()
        except config.ConfigurationError as error:
            seen[label] = error

    with config.environment_of({"TABLE_NAME": "invocation-table"}):
        carried = threading.Thread(target=copy_context().run, args=(read, "carried"))
        bare = threading.Thread(target=read, args=("bare",))
        for thread in (carried, bare):
            thread.start()
        for thread in (carried, bare):
            thread.join()

    assert seen["carried"] == "invocation-table"
    assert seen["bare"] != "invocation-table"  # a thread of its own reads os.environ, not the invocation's
