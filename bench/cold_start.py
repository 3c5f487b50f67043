"""Cold start and DynamoDB calls per endpoint, measured on the runtime's dependencies only.

For each route in template.yaml, a fresh interpreter of the runtime environment (.tools/runtime: the
layer's requirements and nothing else, as in Lambda) imports the handler and serves one real request
against the emulator. Its wall time, minus the time spent waiting for the emulator and the Brevo and
Stripe stand-ins, is the cold start; it is set beside `python -c "import boto3"` measured in the same run.

    python -m bench.cold_start          (BENCH_RUNS fresh interpreters per function, 5 by default)
"""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from local.brevo import BrevoStandIn
from local.client import WebClient, http_request
from local.emulator import Emulator, aws_environment, bootstrap
from local.events import EventSources
from local.gateway import Gateway
from local.harness import Harness
from local.http_api import HttpRequest, build_event, new_request_id
from local.stripe import StripeStandIn, stripe_signature
from local.template import Route, load_template, routes

ROOT = Path(__file__).resolve().parents[1]
RUNTIME_PYTHON = ROOT / ".tools" / "runtime" / "bin" / "python"
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
PASSWORD = "bench passphrase 2026"
ORIGIN = "http://localhost:5173"
JSON = {"Content-Type": "application/json"}
DEBT = {
    "invoice_number": "INV-BENCH-1",
    "amount": 12_500,
    "currency": "EUR",
    "issued_on": "2026-10-01",
    "due_on": "2026-11-01",
}
# The functions that call Stripe: the only ones that should import stripe-python.
STRIPE_CALLERS = ("POST /workspace/stripe/connect", "POST /p/{token}/pay", "POST /webhooks/stripe")


@dataclass
class Request:
    """What one cold start serves: the HTTP request and the status that proves it succeeded."""

    method: str
    path: str
    body: Any = None
    cookies: dict[str, str] | None = None
    expected: int = 200
    raw: bytes | None = None  # sent as is instead of `body` as JSON (a form, a signed webhook payload)
    headers: dict[str, str] | None = None  # instead of the app's usual ones (JSON, the CSRF header, its origin)


class World:
    """The emulator, the Brevo and Stripe stand-ins, and a gateway used only to prepare accounts, tokens and
    sessions. The Stripe stand-in only records its events (no webhook URL): `deliver` sends one, signed."""

    def __init__(self) -> None:
        self.brevo = BrevoStandIn(port=0)
        self.stripe = StripeStandIn(port=0)
        self.emulator = Emulator(port=0)

    def __enter__(self) -> World:
        self.brevo.start()
        self.stripe.start()
        self.emulator.start()
        self.overrides = {
            "BrevoApiUrl": self.brevo.url,
            "WebOrigin": ORIGIN,
            "StripeApiUrl": self.stripe.url,
            "StripeCheckoutOrigin": self.stripe.url,
        }
        template = load_template(ROOT / "template.yaml")
        secret_values = {
            "BrevoApiKeySecretName": self.brevo.api_key,
            "StripeApiKeySecretName": self.stripe.api_key,
            "StripeWebhookSecretName": self.stripe.webhook_secret,
        }
        bootstrap(self.emulator.url, template, self.overrides, secret_values=secret_values)
        self.routes = routes(template, self.overrides)
        self.gateway = Gateway(
            ROOT / "template.yaml",
            overrides=self.overrides,
            endpoint_url=self.emulator.url,
            port=0,
            log=open(os.devnull, "w"),
            access_log=False,
        )
        self.gateway.start()
        # The same functions, served in this process by the benchmarks that time handlers (bench.inprocess).
        self.harness = Harness(ROOT / "template.yaml", endpoint_url=self.emulator.url, overrides=self.overrides)
        self.harness.__enter__()
        # Not started: `deliver_reset_emails` runs the reset-email worker on demand, as Lambda would.
        self.events = EventSources(
            ROOT / "template.yaml", endpoint_url=self.emulator.url, overrides=self.overrides, log=open(os.devnull, "w")
        )
        return self

    def __exit__(self, *_: object) -> None:
        self.harness.__exit__()
        self.events.stop()
        self.gateway.stop()
        self.emulator.stop()
        self.stripe.stop()
        self.brevo.stop()

    def client(self) -> WebClient:
        return WebClient(self.gateway.url)

    def deliver_reset_emails(self) -> None:
        """`POST /auth/password/forgot` only queues: hand the queue to its worker so the link is emailed."""
        for poller in self.events.pollers:
            if poller.consumer.logical_id == "ResetEmailWorkerFunction":
                poller.drain(30.0)

    def new_account(self, *, signed_in: bool = True) -> tuple[WebClient, str]:
        client, email = self.client(), f"bench-{uuid.uuid4().hex[:12]}@example.com"
        body = {"email": email, "password": PASSWORD, "name": "Bench Person", "workspace_name": "Bench Ltd"}
        assert client.call("POST", "/auth/signup", body).status == 201
        if not signed_in:
            client.jar.clear()
        return client, email

    def emailed_token(self, email: str, purpose: str) -> str:
        for message in self.brevo.outbox():
            if message["to"][0]["email"] == email and purpose in message["textContent"]:
                return re.search(purpose + r"\?token=([A-Za-z0-9_\-]+)", message["textContent"]).group(1)  # type: ignore[union-attr]
        raise LookupError(f"no {purpose} email for {email}")

    def stripe_control(self, path: str, body: dict[str, Any] | None = None) -> Any:
        """One of the Stripe stand-in's control endpoints (`/_control/<path>`), POSTed as JSON."""
        status, _, raw = http_request(
            self.stripe.url, "POST", f"/_control/{path}", json.dumps(body or {}).encode(), JSON
        )
        if status != 200:
            raise RuntimeError(f"the Stripe stand-in answered {status} to {path}: {raw[:300]!r}")
        return json.loads(raw)

    def signature(self, payload: bytes, at: int | None = None) -> str:
        """The Stripe-Signature header Stripe would send with `payload`, made with the stand-in's secret."""
        return stripe_signature(payload, [self.stripe.webhook_secret], at=int(time.time()) if at is None else at)

    def deliver(self, event: dict[str, Any]) -> str:
        """An event the stand-in recorded, POSTed signed to the gateway's webhook route; the result it reports."""
        payload = json.dumps(event, indent=2).encode()  # as the stand-in (and Stripe) sends it
        answer = self.client().call(
            "POST", "/webhooks/stripe", raw=payload, headers=webhook_headers(self.signature(payload))
        )
        if answer.status != 200:
            raise RuntimeError(f"the webhook answered {answer.status} to {event['type']}: {answer.body[:300]!r}")
        return str(answer.json()["result"])

    def connect_stripe(self, client: WebClient, *, enabled: bool = True) -> str:
        """Connect the client's workspace to a Stripe account and (enabled) let Stripe's account.updated say
        that charges are enabled, delivered to the gateway's webhook; the connected account's id."""
        answer = client.call("POST", "/workspace/stripe/connect")
        assert answer.status == 200, answer.body
        account_id = str(answer.json()["account_id"])
        if enabled:
            changed = self.stripe_control(
                f"accounts/{account_id}/update", {"charges_enabled": True, "details_submitted": True}
            )
            for entry in changed["events"]:
                assert self.deliver(entry["event"]) == "applied"
        return account_id


def webhook_headers(signature: str) -> dict[str, str]:
    """What Stripe sends with an event, besides the payload."""
    return {
        "content-type": "application/json; charset=utf-8",
        "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
        "stripe-signature": signature,
    }


def scenarios(world: World) -> dict[str, Callable[[], Request]]:
    """Per route key, how to set up one fresh request that succeeds."""

    def signed_in() -> dict[str, str]:
        return world.new_account()[0].jar

    def verify() -> Request:
        _, email = world.new_account()
        return Request(
            "POST", "/auth/verify-email", {"token": world.emailed_token(email, "verify-email")}, expected=204
        )

    def reset() -> Request:
        _, email = world.new_account()
        world.client().call("POST", "/auth/password/forgot", {"email": email})
        world.deliver_reset_emails()
        token = world.emailed_token(email, "reset-password")
        return Request("POST", "/auth/password/reset", {"token": token, "password": "a new passphrase"}, expected=204)

    def login() -> Request:
        _, email = world.new_account()
        return Request("POST", "/auth/login", {"email": email, "password": PASSWORD})

    def forgot() -> Request:
        return Request("POST", "/auth/password/forgot", {"email": world.new_account()[1]}, expected=202)

    def signup() -> Request:
        body = {
            "email": f"bench-{uuid.uuid4().hex}@example.com",
            "password": PASSWORD,
            "name": "N",
            "workspace_name": "W",
        }
        return Request("POST", "/auth/signup", body, expected=201)

    def stripe_webhook() -> Request:
        # Stripe's account.updated for a workspace connected through the gateway, signed as Stripe signs it.
        client, _ = world.new_account()
        account_id = world.connect_stripe(client, enabled=False)
        changes = {"charges_enabled": True, "details_submitted": True}
        [entry] = world.stripe_control(f"accounts/{account_id}/update", changes)["events"]
        payload = json.dumps(entry["event"], indent=2).encode()
        return Request("POST", "/webhooks/stripe", raw=payload, headers=webhook_headers(world.signature(payload)))

    def pay() -> Request:
        # A connected workspace with charges enabled, a debtor with one debt, and the Pay form of their page.
        client, _ = world.new_account()
        world.connect_stripe(client)
        debtor = client.call("POST", "/debtors", {"name": "Bench Debtor", "email": "debtor@example.com"})
        assert debtor.status == 201, debtor.body
        debt = client.call("POST", "/debts", {"debtor_id": debtor.json()["id"], **DEBT})
        assert debt.status == 201, debt.body
        link = client.call("POST", f"/debtors/{debtor.json()['id']}/link")
        assert link.status == 201, link.body
        token = str(link.json()["url"]).rsplit("/p/", 1)[1]
        page = world.client().call("GET", f"/p/{token}").body.decode()
        csrf = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        form = urlencode({"csrf_token": csrf, "debt_id": debt.json()["id"]}).encode()
        headers = {"content-type": "application/x-www-form-urlencoded", "origin": "null"}
        return Request("POST", f"/p/{token}/pay", raw=form, headers=headers, expected=303)

    return {
        "POST /auth/signup": signup,
        "POST /auth/login": login,
        "POST /auth/verify-email": verify,
        "POST /auth/verify-email/resend": lambda: Request(
            "POST", "/auth/verify-email/resend", cookies=signed_in(), expected=202
        ),
        "POST /auth/refresh": lambda: Request("POST", "/auth/refresh", cookies=signed_in()),
        "POST /auth/logout": lambda: Request("POST", "/auth/logout", cookies=signed_in(), expected=204),
        "GET /auth/me": lambda: Request("GET", "/auth/me", cookies=signed_in()),
        "PUT /auth/preferences": lambda: Request("PUT", "/auth/preferences", {"theme": "dark"}, cookies=signed_in()),
        "POST /auth/password/forgot": forgot,
        "POST /auth/password/reset": reset,
        "POST /auth/password/change": lambda: Request(
            "POST",
            "/auth/password/change",
            {"current_password": PASSWORD, "new_password": "another passphrase"},
            cookies=signed_in(),
        ),
        "GET /workspace": lambda: Request("GET", "/workspace", cookies=signed_in()),
        "PATCH /workspace": lambda: Request("PATCH", "/workspace", {"locale": "fr"}, cookies=signed_in()),
        "GET /workspace/stripe": lambda: Request("GET", "/workspace/stripe", cookies=signed_in()),
        "POST /workspace/stripe/connect": lambda: Request("POST", "/workspace/stripe/connect", cookies=signed_in()),
        "POST /webhooks/stripe": stripe_webhook,
        "POST /p/{token}/pay": pay,
    }


def event_for(route: Route, request: Request) -> dict[str, Any]:
    headers = [("content-type", "application/json"), ("x-requested-with", "collectra"), ("origin", ORIGIN)]
    if request.headers is not None:
        headers = list(request.headers.items())
    headers += [("cookie", f"{name}={value}") for name, value in (request.cookies or {}).items()]
    body = json.dumps(request.body).encode() if request.body is not None else b""
    if request.raw is not None:
        body = request.raw
    http = HttpRequest(request.method, request.path, headers, body, source_ip="198.51.100.20")
    return build_event(http, route, {}, new_request_id())


def function_environment(world: World, route: Route) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", ""),
        **route.environment,
        **aws_environment(world.emulator.url),
        "POWERTOOLS_TRACE_DISABLED": "true",  # no X-Ray daemon here; the SDK is still imported as in AWS
        "POWERTOOLS_LOG_LEVEL": "WARNING",
    }


def cold_start(world: World, route: Route, request: Request) -> tuple[float, list[str], bool]:
    module, _, function = route.handler.rpartition(".")
    command = [
        str(RUNTIME_PYTHON),
        str(ROOT / "bench" / "child.py"),
        str(ROOT / route.code_uri),
        str(ROOT / "layers" / "common"),
        module,
        function,
    ]
    started = time.perf_counter()
    done = subprocess.run(
        command,
        input=json.dumps(event_for(route, request)),
        capture_output=True,
        text=True,
        env=function_environment(world, route),
        check=False,
    )
    elapsed = time.perf_counter() - started
    lines = [line for line in done.stdout.splitlines() if line.startswith("BENCH-RESULT ")]
    if done.returncode or not lines:
        raise RuntimeError(f"{route.route_key} failed:\n{done.stderr[-2000:]}")
    result = json.loads(lines[-1].removeprefix("BENCH-RESULT "))
    status = result["answer"]["statusCode"]
    if status != request.expected:
        raise RuntimeError(f"{route.route_key} answered {status}, expected {request.expected}")
    dynamodb = [call.split(":", 1)[1] for call in result["calls"] if call.startswith("dynamodb:")]
    return elapsed - result["waited"], dynamodb, result["imports_stripe"]


def boto3_baseline() -> float:
    started = time.perf_counter()
    subprocess.run([str(RUNTIME_PYTHON), "-c", "import boto3, os; os._exit(0)"], check=True)
    return time.perf_counter() - started


def import_profile(route: Route, top: int = 8) -> list[tuple[str, float]]:
    """Import time by top-level package (summed self times) for one handler, from `python -X importtime`."""
    module = route.handler.rpartition(".")[0]
    code = (
        f"import sys; sys.path[:0] = [{str(ROOT / route.code_uri)!r}, {str(ROOT / 'layers/common')!r}]; import {module}"
    )
    done = subprocess.run(
        [str(RUNTIME_PYTHON), "-X", "importtime", "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "POWERTOOLS_TRACE_DISABLED": "true"},
        check=True,
    )
    by_package: dict[str, float] = defaultdict(float)
    for line in done.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+\d+ \|\s*(\S+)", line)
        if match:
            by_package[match.group(2).split(".")[0]] += int(match.group(1)) / 1e6
    return sorted(by_package.items(), key=lambda kv: -kv[1])[:top]


def report(rows: list[tuple[Route, float, list[str], bool]], baseline: float) -> None:
    print(f"Cold start: median of {RUNS} fresh interpreters per function, emulator time excluded.")
    print(
        'Baseline `python -c "import boto3"` (same runtime environment, same run, neither counting interpreter '
        f"teardown): {baseline * 1000:.0f} ms\n"
    )
    print(f"{'route':34} {'function':28} {'cold ms':>8} {'x boto3':>8} {'stripe':>7} {'DDB calls':>9}  operations")
    for route, seconds, operations, stripe in rows:
        print(
            f"{route.route_key:34} {route.logical_id:28} {seconds * 1000:8.0f} {seconds / baseline:8.2f} "
            f"{'yes' if stripe else 'no':>7} {len(operations):9d}  {', '.join(operations) or '-'}"
        )
    worst = max(rows, key=lambda row: row[1])
    print(f"\nWorst cold start: {worst[0].route_key} at {worst[1] / baseline:.2f}x boto3 (target <= 2.0, goal 1.6)")
    auth = [row for row in rows if row[0].path.startswith("/auth/")]
    if auth:
        print(
            f"Most DynamoDB calls by one auth endpoint: {max(len(row[2]) for row in auth)} "
            "(target <= 3 per auth endpoint)"
        )
    busiest = max(rows, key=lambda row: len(row[2]))
    print(f"Most DynamoDB calls by any endpoint measured: {len(busiest[2])} ({busiest[0].route_key})")
    importing = [row[0].route_key for row in rows if row[3]]
    measured = {row[0].route_key for row in rows}
    callers = [key for key in STRIPE_CALLERS if key in measured]
    verdict = "met" if sorted(importing) == sorted(callers) else "MISSED"
    print(
        f"Functions importing stripe: {len(importing)} of {len(rows)} measured: {', '.join(importing) or 'none'} "
        f"(target: exactly the Stripe callers measured, {', '.join(callers) or 'none'}): {verdict}"
    )


def main() -> int:
    if not RUNTIME_PYTHON.exists():
        print("the runtime environment is missing: run `make bench`", file=sys.stderr)
        return 1
    with World() as world:
        plans = scenarios(world)
        missing = sorted({r.route_key for r in world.routes} - set(plans))
        baselines: list[float] = []
        rows: list[tuple[Route, float, list[str], bool]] = []
        for route in (r for r in world.routes if r.route_key in plans):
            times: list[float] = []
            operations: list[str] = []
            stripe = False
            for _ in range(RUNS):
                baselines.append(boto3_baseline())
                seconds, operations, stripe = cold_start(world, route, plans[route.route_key]())
                times.append(seconds)
            rows.append((route, statistics.median(times), operations, stripe))
        baseline = statistics.median(baselines)
        report(rows, baseline)
        if missing:
            print(f"\nNot measured yet (no scenario): {', '.join(missing)}")
        worst = max(rows, key=lambda row: row[1])
        print(f"\nWhere {worst[0].logical_id}'s import time goes (python -X importtime, self time by package):")
        for package, seconds in import_profile(worst[0]):
            print(f"  {package:28} {seconds * 1000:7.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
