"""The emulated world every integration test runs in: moto in server mode holding the template's own
table and secrets, and the Brevo stand-in, reached exactly as in AWS (AWS_ENDPOINT_URL, BREVO_API_URL).

Handlers run in this process through local.harness, each with exactly its own function's environment."""

from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest

from collectra import config
from local.brevo import BrevoStandIn
from local.emulator import Emulator, bootstrap
from local.gateway import Gateway
from local.harness import AwsCall, Harness, observing
from local.stripe import StripeStandIn
from local.template import load_template
from tests.support.http import ROOT, Browser, serving
from tests.support.verification import verify_by_link

BREVO_KEY = "xkeysib-test-key"
STRIPE_KEY = "sk_test_collectra_tests"
STRIPE_WEBHOOK_SECRET = "whsec_collectra_tests"
BREVO_WEBHOOK_TOKEN = "brevo-webhook-token-for-tests"
WEB_ORIGIN = "https://app.collectra.example"

# Records every AWS call the handlers make, for tests/iam/test_least_privilege.py.
pytest_plugins = ["tests.support.least_privilege"]


@pytest.fixture(scope="session")
def brevo() -> Iterator[BrevoStandIn]:
    stand_in = BrevoStandIn(port=0, api_key=BREVO_KEY)
    stand_in.start()
    yield stand_in
    stand_in.stop()


@pytest.fixture(scope="session")
def stripe_api() -> Iterator[StripeStandIn]:
    """Stripe for the functions run in this process; it records events, and tests deliver them (in any order)."""
    stand_in = StripeStandIn(port=0, api_key=STRIPE_KEY, webhook_secret=STRIPE_WEBHOOK_SECRET)
    stand_in.start()
    yield stand_in
    stand_in.stop()


SECRETS = {
    "BrevoApiKeySecretName": BREVO_KEY,
    "StripeApiKeySecretName": STRIPE_KEY,
    "StripeWebhookSecretName": STRIPE_WEBHOOK_SECRET,
    "BrevoWebhookSecretName": BREVO_WEBHOOK_TOKEN,
}


@pytest.fixture(scope="session")
def emulator(brevo: BrevoStandIn, stripe_api: StripeStandIn) -> Iterator[Emulator]:
    """Started once; every test makes its own users, so tests do not see each other's data."""
    overrides = {
        "BrevoApiUrl": brevo.url,
        "WebOrigin": WEB_ORIGIN,
        "StripeApiUrl": stripe_api.url,
        "StripeCheckoutOrigin": stripe_api.url,
    }
    template = load_template(ROOT / "template.yaml")
    with Emulator(port=0) as running:
        bootstrap(running.url, template, overrides, secret_values=SECRETS)
        harness = Harness(ROOT / "template.yaml", endpoint_url=running.url, overrides=overrides)
        # A test that reaches into the system itself (reading the table, making a link's token) does it as no one
        # function: with every function's variables, on the tests' own thread. Each handler gets its own.
        with harness, serving(harness), config.environment_of(harness.everyones_environment()):
            yield running


@pytest.fixture
def browser(emulator: Emulator) -> Browser:
    return Browser()


@pytest.fixture
def unique_email() -> str:
    return f"person-{uuid.uuid4().hex[:12]}@example.com"


class Clock:
    """The `clock` fixture's "now", which a test moves on."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """Move "now" for every rule that reads the clock (handlers ask `collectra.clock.utcnow`)."""
    from collectra import clock as clock_module

    moved = Clock(clock_module.utcnow())
    monkeypatch.setattr(clock_module, "utcnow", moved)
    return moved


@pytest.fixture
def dynamodb_calls(emulator: Emulator) -> Iterator[list[str]]:
    """The DynamoDB operations made while the test runs, in order."""
    calls: list[str] = []

    def record(call: AwsCall) -> None:
        if call.service == "dynamodb":
            calls.append(call.operation)

    with observing(record):
        yield calls


PASSWORD = "a long passphrase"


class Account:
    def __init__(self, email: str, browser: Browser, body: dict[str, Any]) -> None:
        self.email = email
        self.password = PASSWORD
        self.browser = browser
        self.user_id: str = body["user"]["id"]
        self.workspace_id: str = body["workspace"]["id"]

    def new_browser(self) -> Browser:
        """Another device signed in to the same account."""
        return self.new_browser_for(self.email)

    def new_browser_for(self, email: str) -> Browser:
        """Another device signed in to the same account with `email` (after the account's address changed)."""
        other = Browser()
        assert other.call("POST", "/auth/login", {"email": email, "password": self.password}).status == 200
        return other


@pytest.fixture
def account(browser: Browser, unique_email: str, brevo: BrevoStandIn) -> Account:
    """A signed-up, signed-in user who owns a workspace, their address verified by the emailed link."""
    body = {"email": unique_email, "password": PASSWORD, "name": "Grace Hopper", "workspace_name": "Hopper & Co"}
    answer = browser.call("POST", "/auth/signup", body)
    assert answer.status == 201, answer.body
    verify_by_link(browser, brevo, unique_email)
    return Account(unique_email, browser, answer.json())


@pytest.fixture
def unverified_account(browser: Browser, unique_email: str) -> Account:
    """A signed-up, signed-in owner who has not (yet) followed the link that verifies their address."""
    body = {"email": unique_email, "password": PASSWORD, "name": "Mallory", "workspace_name": "Mallory Ltd"}
    answer = browser.call("POST", "/auth/signup", body)
    assert answer.status == 201, answer.body
    return Account(unique_email, browser, answer.json())


@pytest.fixture
def debtor(account: Account) -> dict[str, Any]:
    """A debtor of the account's workspace."""
    answer = account.browser.call(
        "POST",
        "/debtors",
        {
            "name": "Émile Zola",
            "email": "emile@example.fr",
            "locale": "fr",
            "external_ref": f"C-{uuid.uuid4().hex[:6]}",
        },
    )
    assert answer.status == 201, answer.body
    return dict(answer.json())


def new_debt(account: Account, debtor_id: str, **fields: Any) -> dict[str, Any]:
    body = {
        "debtor_id": debtor_id,
        "invoice_number": f"INV-{uuid.uuid4().hex[:8]}",
        "amount": 12_500,
        "currency": "EUR",
        "issued_on": "2026-10-01",
        "due_on": "2026-11-01",
    } | fields
    answer = account.browser.call("POST", "/debts", body)
    assert answer.status == 201, answer.body
    return dict(answer.json())


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def gateway(emulator: Emulator, brevo: BrevoStandIn) -> Iterator[Gateway]:
    """The local HTTP API serving template.yaml; its own origin is where debtors' pages are served.

    It has a Stripe of its own (`gateway.stripe`), which delivers its events to the gateway's webhook route.
    """
    port = _free_port()
    stripe = StripeStandIn(
        port=0,
        api_key=STRIPE_KEY,
        webhook_secret=STRIPE_WEBHOOK_SECRET,
        webhook_url=f"http://127.0.0.1:{port}/webhooks/stripe",
    )
    stripe.start()
    running = Gateway(
        ROOT / "template.yaml",
        overrides={
            "BrevoApiUrl": brevo.url,
            "WebOrigin": WEB_ORIGIN,
            "PublicBaseUrl": f"http://127.0.0.1:{port}",
            "StripeApiUrl": stripe.url,
            "StripeCheckoutOrigin": stripe.url,
        },
        endpoint_url=emulator.url,
        port=port,
        access_log=False,
    )
    running.start()
    running.stripe = stripe  # type: ignore[attr-defined]
    yield running
    running.stop()
    stripe.stop()


@pytest.fixture
def own_reminders_only(account: Account, monkeypatch: pytest.MonkeyPatch) -> None:
    """The planner sees only this test's workspace: the session's emulator holds every other test's debts,
    and the planner (global by design) would otherwise email all of them on a test's first run."""
    from tests.support.reminders import planner_sees

    planner_sees(monkeypatch, lambda debt: debt["workspace_id"] == account.workspace_id)
