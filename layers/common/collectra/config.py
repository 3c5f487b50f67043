"""The function's configuration: the only module that reads the environment.

Each setting is read, and checked, when something first asks for it, so a function needs exactly the
variables of what it does: one declared without a variable its code needs fails the request that needs
it, with a ConfigurationError naming the variable (a deployment problem, not a request problem). Reading
a variable costs well under a microsecond, so nothing is cached: no settings object is built at cold
start (a pydantic model of them cost ~45 ms of every cold start; a dataclass of them still required
every variable of every function).

Where several functions run in one process (the tests, the benches: local.harness), each invocation reads
the environment of its own function: `environment_of(variables)` sets it for the current context, which
threads the handler starts inherit when they run their work in a copy of it (contextvars.copy_context);
everywhere else, as on Lambda, it is os.environ.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar

_ORIGIN = re.compile(r"^https?://[^/\s]+$")
_URL = re.compile(r"^https?://[^\s]+$")
_ORIGIN_HINT = "scheme://host[:port]"

_invocation_environment: ContextVar[Mapping[str, str] | None] = ContextVar("collectra_environment", default=None)


class ConfigurationError(RuntimeError):
    """The function's environment is wrong: a deployment problem, not a request problem."""


@contextmanager
def environment_of(variables: Mapping[str, str]) -> Iterator[None]:
    """Read the configuration from `variables` instead of os.environ, in this context (and its copies)."""
    token = _invocation_environment.set(variables)
    try:
        yield
    finally:
        _invocation_environment.reset(token)


def _value(name: str) -> str:
    variables = _invocation_environment.get()
    return (os.environ if variables is None else variables).get(name, "")


def _invalid(name: str, expected: str = "") -> ConfigurationError:
    return ConfigurationError(f"missing or invalid configuration: {name}{f' ({expected})' if expected else ''}")


def _required(name: str) -> str:
    value = _value(name)
    if not value:
        raise _invalid(name)
    return value


def _matching(name: str, pattern: re.Pattern[str], expected: str) -> str:
    value = _value(name)
    if not pattern.match(value):
        raise _invalid(name, expected)
    return value


def _whole_number(name: str, low: int, high: int, default: int, unit: str) -> int:
    text = _value(name).strip() or str(default)
    if not text.isdigit() or not low <= int(text) <= high:
        raise _invalid(name, f"a whole number of {unit}, {low} to {high}")
    return int(text)


def environment() -> str:
    """ "dev" or "prod": which of Stripe's modes this deployment accepts (see `livemode`)."""
    value = _value("ENVIRONMENT")
    if value not in ("dev", "prod"):
        raise _invalid("ENVIRONMENT", "dev or prod")
    return value


def livemode() -> bool:
    return environment() == "prod"


def table_name() -> str:
    return _required("TABLE_NAME")


def web_origin() -> str:
    """The web app's origin, the one other origin whose state-changing requests are accepted (CSRF)."""
    return _matching("WEB_ORIGIN", _ORIGIN, _ORIGIN_HINT)


def public_base_url() -> str:
    """The API's own origin, where debtors' pages and the web app (/app/) are served."""
    return _matching("PUBLIC_BASE_URL", _ORIGIN, f"{_ORIGIN_HINT}, where debtors' pages are served")


def jwt_secret_name() -> str:
    return _required("JWT_SECRET_NAME")


def page_link_secret_name() -> str:
    return _required("PAGE_LINK_SECRET_NAME")


def brevo_api_key_secret_name() -> str:
    return _required("BREVO_API_KEY_SECRET_NAME")


def brevo_api_url() -> str:
    return _matching("BREVO_API_URL", _URL, "a URL")


def brevo_webhook_secret_name() -> str:
    return _required("BREVO_WEBHOOK_SECRET_NAME")


def email_sender_address() -> str:
    return _required("EMAIL_SENDER_ADDRESS")


def email_sender_name() -> str:
    return _value("EMAIL_SENDER_NAME") or "Collectra"


def stripe_api_key_secret_name() -> str:
    return _required("STRIPE_API_KEY_SECRET_NAME")


def stripe_webhook_secret_name() -> str:
    return _required("STRIPE_WEBHOOK_SECRET_NAME")


def stripe_api_url() -> str:
    return _matching("STRIPE_API_URL", _URL, "a URL")


def stripe_checkout_origin() -> str:
    return _matching("STRIPE_CHECKOUT_ORIGIN", _ORIGIN, f"{_ORIGIN_HINT}, where Stripe Checkout pages are")


def accounting_retention_years() -> int:
    """How long the anonymised accounting records of a deleted workspace are kept (invoices, payments)."""
    return _whole_number("ACCOUNTING_RETENTION_YEARS", 1, 30, 10, "years")


def export_bucket() -> str:
    return _required("EXPORT_BUCKET")


def export_retention_days() -> int:
    """How long an export archive is kept: the bucket's lifecycle rule, and its record's TTL."""
    return _whole_number("EXPORT_RETENTION_DAYS", 1, 30, 0, "days")


def queue_url(variable: str) -> str:
    """The URL of the queue the environment variable `variable` names (REMINDER_QUEUE_URL, ...)."""
    return _matching(variable, _URL, "a queue's URL")


def origin_verify_secret_name() -> str | None:
    """The secret CloudFront sends to prove a request came through it; None where nothing is in front."""
    return _value("ORIGIN_VERIFY_SECRET_NAME") or None


def metrics_namespace() -> str:
    """The template sets it; the default only matters where nothing did: metrics must never fail a request."""
    return _value("POWERTOOLS_METRICS_NAMESPACE") or "Collectra"


def service_name() -> str:
    """Powertools' `service` dimension, as the shared Metrics reads it (the template sets it)."""
    return _value("POWERTOOLS_SERVICE_NAME") or "collectra"


def aws_read_timeout() -> int:
    """Seconds a DynamoDB call may take before it is retried: 5 on AWS, more for the local emulator."""
    return _whole_number("COLLECTRA_AWS_READ_TIMEOUT", 1, 600, 5, "seconds")
