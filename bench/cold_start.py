"""Cold starts as deployed, and DynamoDB calls per endpoint: what `sam build` made, run as Lambda runs it.

Every function of template.yaml, from .aws-sam/build: its code directory and the layer as built, copied with
their timestamps into a temporary tree made read-only (as /var/task and /opt are), run by a fresh interpreter
of the function's runtime version (pyenv's, `-S`: the standard library and nothing of the dev environment),
sys.path as Lambda sets it, PYTHONDONTWRITEBYTECODE=1 (Lambda cannot write bytecode beside the code either).
A function with a scenario here serves one real request against the emulator ("invoke"); the others import
their handler module ("import"). Measured per cold start: the process's CPU time (interpreter start-up
included), its instructions where perf can count them, and its wall time minus the time spent waiting for
the emulator and the Brevo and Stripe stand-ins; each set beside the same for `import boto3` from the same
layer, in the same kind of interpreter, in the same run. Ratios are of CPU time: wall time on a shared
machine is noise (it is printed beside).

The layer is built for Lambda's arm64: its few compiled extensions are swapped, in the copy only, for the
same versions' wheels for this machine (pip, cached in .aws-sam/bench-native). Python code and bytecode are
the build's own.

    python -m bench.cold_start   (BENCH_RUNS cold starts per function, 3 by default; BENCH_BUILD: another
                                  sam build output, e.g. an older commit's, measured the same way)
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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
from local.template import (
    LambdaFunction,
    Route,
    lambda_functions,
    load_template,
    queue_consumers,
    routes,
    scheduled_functions,
)

ROOT = Path(__file__).resolve().parents[1]
BUILD = Path(os.environ.get("BENCH_BUILD", ROOT / ".aws-sam" / "build"))
NATIVE_CACHE = ROOT / ".aws-sam" / "bench-native"
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
TARGET, HASHING_TARGET, READ_GOAL = 2.0, 2.3, 1.6
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


def function_environment(world: World, function: LambdaFunction) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", ""),
        **function.environment,
        **aws_environment(world.emulator.url),
        "POWERTOOLS_TRACE_DISABLED": "true",  # no X-Ray daemon here; the SDK is still imported as in AWS
        "POWERTOOLS_LOG_LEVEL": "WARNING",
        "PYTHONDONTWRITEBYTECODE": "1",
    }


@dataclass(frozen=True)
class Measured:
    """One function's cold starts: medians over the runs (seconds), and what its last run saw."""

    function: LambdaFunction
    trigger: str  # the route key, "schedule" or "queue <name>"
    invoked: bool  # served one real event (else imported its handler module)
    cpu: float
    wall: float
    instructions: float | None
    modules: int
    dynamodb: list[str]
    stripe: bool
    hashes_password: bool  # its invocation hashed or verified a password (argon2)

    def ratio(self, baseline: Measured) -> float:
        return self.cpu / baseline.cpu

    @property
    def target(self) -> float:
        return HASHING_TARGET if self.hashes_password else TARGET


def runtime_versions(template: dict[str, Any]) -> dict[str, str]:
    """Each function's Python version ("3.11"), from its Runtime or the Globals'."""
    default = ((template.get("Globals") or {}).get("Function") or {}).get("Runtime", "")
    return {
        logical_id: str(resource.get("Properties", {}).get("Runtime", default)).removeprefix("python")
        for logical_id, resource in template["Resources"].items()
        if resource.get("Type") == "AWS::Serverless::Function"
    }


def interpreter(version: str) -> Path:
    """The runtime version's own interpreter: pyenv's, or pythonX.Y on the PATH (never the dev venv's)."""
    found = sorted(Path.home().glob(f".pyenv/versions/{version}.*/bin/python{version}"))
    on_path = shutil.which(f"python{version}")
    if not found and on_path is None:
        raise RuntimeError(f"no Python {version} here (pyenv install {version}): the template's runtime")
    return found[-1] if found else Path(on_path or "")


def _distributions_with_extensions(layer: Path) -> list[str]:
    """`name==version` of each distribution in the layer whose wheel is platform-specific."""
    found = []
    for wheel in sorted(layer.glob("*.dist-info/WHEEL")):
        tags = [line.split(":", 1)[1].strip() for line in wheel.read_text().splitlines() if line.startswith("Tag:")]
        if tags and not all(tag.endswith("-any") for tag in tags):
            metadata = (wheel.parent / "METADATA").read_text().splitlines()
            fields = dict(line.split(": ", 1) for line in metadata if ": " in line and not line.startswith(" "))
            found.append(f"{fields['Name']}=={fields['Version']}")
    return found


def native_overlay(layer: Path, python: Path, version: str) -> Path:
    """This machine's builds of the layer's compiled extensions (same versions), installed once per set."""
    wanted = _distributions_with_extensions(layer)
    target = NATIVE_CACHE / version / "-".join(sorted(wanted)).replace("==", "-")
    if not target.exists():
        partial = target.with_name(target.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        subprocess.run(
            [
                *(str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps"),
                *("--only-binary=:all:", "--no-compile", "--target", str(partial), *wanted),
            ],
            check=True,
        )
        partial.rename(target)
    return target


def _binary(path: Path) -> bool:
    return path.suffix == ".so" or any(part.endswith(".libs") for part in path.parts)


@contextmanager
def deployed(build: Path, versions: set[str]) -> Iterator[Path]:
    """A read-only copy of the build, timestamps kept: <tree>/opt/python (the layer), <tree>/var/task/<id>, and
    <tree>/compiled/python: the layer again, every module compiled (the baseline's, whatever the build ships).
    The layer is built for one version: that version's interpreter gets its extensions."""
    with tempfile.TemporaryDirectory(prefix="collectra-bench-") as temporary:
        tree = Path(temporary)
        layer = tree / "opt" / "python"
        shutil.copytree(build / "CommonLayer" / "python", layer, symlinks=True)
        [version] = versions
        overlay = native_overlay(layer, interpreter(version), version)
        for path in [p for p in layer.rglob("*") if _binary(p.relative_to(layer))]:
            shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)
        for source in overlay.rglob("*"):
            relative = source.relative_to(overlay)
            if source.is_file() and _binary(relative):
                (layer / relative).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, layer / relative)
        compiled = tree / "compiled" / "python"
        shutil.copytree(layer, compiled, symlinks=True)
        compile_all = ["-m", "compileall", "-q", "-f", "-j", "0", "--invalidation-mode", "unchecked-hash"]
        subprocess.run([str(interpreter(version)), *compile_all, str(compiled)], check=True)
        for function in sorted(p for p in build.iterdir() if p.is_dir() and p.name != "CommonLayer"):
            shutil.copytree(function, tree / "var" / "task" / function.name, symlinks=True)
        (tree / "var" / "task" / "_empty").mkdir()
        subprocess.run(["chmod", "-R", "a-w", str(tree / "opt"), str(compiled.parent), str(tree / "var")], check=True)
        try:
            yield tree
        finally:
            subprocess.run(["chmod", "-R", "u+w", str(tree)], check=True)


def _perf_counts_instructions() -> bool:
    if shutil.which("perf") is None:
        return False
    done = subprocess.run(
        ["perf", "stat", "-x,", "-e", "instructions:u", "true"], capture_output=True, text=True, check=False
    )
    return done.returncode == 0 and done.stderr.strip().split(",", 1)[0].isdigit()


PERF = _perf_counts_instructions()


@dataclass(frozen=True)
class Run:
    """What one cold start reported (bench/child.py) and cost."""

    result: dict[str, Any]
    wall: float  # minus the waiting for the emulator and the stand-ins
    instructions: float | None


def run_child(
    python: Path,
    tree: Path,
    task: str,
    module: str,
    function: str,
    *,
    event: Any,
    environment: dict[str, str],
    layer: str = "opt",
) -> Run:
    command = [str(python), "-S", str(ROOT / "bench" / "child.py")]
    command += [str(tree / "var" / "task" / task), str(tree / layer / "python"), module, function]
    with tempfile.NamedTemporaryFile("r", suffix=".perf") as counts:
        if PERF:
            command = ["perf", "stat", "-x,", "-e", "instructions:u", "-o", counts.name, *command]
        started = time.perf_counter()
        done = subprocess.run(
            command,
            input="" if event is None else json.dumps(event),
            capture_output=True,
            text=True,
            env=environment,
            cwd=tree / "var" / "task" / task,
            check=False,
        )
        elapsed = time.perf_counter() - started
        lines = [line for line in done.stdout.splitlines() if line.startswith("BENCH-RESULT ")]
        if done.returncode or not lines:
            raise RuntimeError(f"{task} {module}.{function} failed:\n{done.stderr[-2000:]}")
        result = json.loads(lines[-1].removeprefix("BENCH-RESULT "))
        instructions = None
        if PERF:
            rows = [line.split(",") for line in counts.read().splitlines() if "instructions" in line]
            instructions = float(rows[0][0]) if rows and rows[0][0].isdigit() else None
    return Run(result, elapsed - result["waited"], instructions)


def _median(values: list[float | None]) -> float | None:
    known = [value for value in values if value is not None]
    return statistics.median(known) if known else None


def measure(
    function: LambdaFunction,
    trigger: str,
    runs: list[Run],
) -> Measured:
    last = runs[-1].result
    return Measured(
        function=function,
        trigger=trigger,
        invoked=last["answer"] is not None,
        cpu=statistics.median(run.result["cpu_total"] for run in runs),
        wall=statistics.median(run.wall for run in runs),
        instructions=_median([run.instructions for run in runs]),
        modules=last["modules"],
        dynamodb=[call.split(":", 1)[1] for call in last["calls"] if call.startswith("dynamodb:")],
        stripe=last["imports_stripe"],
        hashes_password=last["hashed_password"],
    )


def import_profile(python: Path, tree: Path, function: LambdaFunction, top: int = 8) -> list[tuple[str, float]]:
    """Import time by top-level package (summed self times) for one handler, from `python -X importtime`, in
    the deployed tree (compilation included where the layer has no bytecode)."""
    module = function.handler.rpartition(".")[0]
    paths = [str(tree / "var" / "task" / function.logical_id), str(tree / "opt" / "python")]
    done = subprocess.run(
        [str(python), "-S", "-X", "importtime", "-c", f"import sys; sys.path[:0] = {paths!r}; import {module}"],
        capture_output=True,
        text=True,
        env={"PATH": os.environ.get("PATH", ""), "POWERTOOLS_TRACE_DISABLED": "true", "PYTHONDONTWRITEBYTECODE": "1"},
        check=True,
    )
    by_package: dict[str, float] = {}
    for line in done.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+\d+ \|\s*(\S+)", line)
        if match:
            package = match.group(2).split(".")[0]
            by_package[package] = by_package.get(package, 0.0) + int(match.group(1)) / 1e6
    return sorted(by_package.items(), key=lambda kv: -kv[1])[:top]


def _instructions(value: float | None) -> str:
    return "n/a" if value is None else f"{value / 1e6:.0f}M"


def report(rows: list[Measured], baseline: Measured, as_built: Measured) -> None:
    print(
        f"Cold starts as deployed ({BUILD}): median of {RUNS} fresh interpreters per function, each of the "
        "function's runtime, on a read-only copy of the build, PYTHONDONTWRITEBYTECODE=1."
    )
    print(
        f"Baseline `import boto3` from the same layer's files, compiled (as Lambda's own boto3 is), same run: CPU "
        f"{baseline.cpu * 1000:.0f} ms, wall {baseline.wall * 1000:.0f} ms, instructions "
        f"{_instructions(baseline.instructions)}, {baseline.modules} modules"
        + ("" if PERF else " (instructions: perf cannot count them on this machine)")
    )
    print(
        f"`import boto3` from the layer as built: CPU {as_built.cpu * 1000:.0f} ms "
        f"({as_built.ratio(baseline):.2f}x the compiled one; 1.0 when the layer ships its bytecode)"
    )
    print("x boto3 is CPU time over the baseline's; invoke = one real event served, import = handler module only.\n")
    print(
        f"{'function':30} {'trigger':36} {'measured':8} {'CPU ms':>7} {'x boto3':>7} {'target':>6} {'wall ms':>7} "
        f"{'instr':>6} {'modules':>7} {'stripe':>6} {'DDB calls':>9}  operations"
    )
    for row in sorted(rows, key=lambda r: -r.ratio(baseline)):
        verdict = "" if row.ratio(baseline) <= row.target else " !"
        print(
            f"{row.function.logical_id:30} {row.trigger[:36]:36} {'invoke' if row.invoked else 'import':8} "
            f"{row.cpu * 1000:7.0f} {row.ratio(baseline):7.2f} {row.target:6.1f}{verdict:2}"
            f"{row.wall * 1000:5.0f} {_instructions(row.instructions):>6} {row.modules:7d} "
            f"{'yes' if row.stripe else 'no':>6} {len(row.dynamodb) if row.invoked else '-':>9}  "
            f"{', '.join(row.dynamodb) or '-'}"
        )
    ratios = sorted(row.ratio(baseline) for row in rows)
    worst = max(rows, key=lambda row: row.ratio(baseline))
    missed = [row.function.logical_id for row in rows if row.ratio(baseline) > row.target]
    print(
        f"\nWorst: {worst.function.logical_id} ({worst.trigger}) at {worst.ratio(baseline):.2f}x boto3; "
        f"median {statistics.median(ratios):.2f}x over {len(rows)} functions."
    )
    print(
        f"Targets (<= {TARGET}x, <= {HASHING_TARGET}x where the invocation hashed a password): "
        f"{len(rows) - len(missed)} of {len(rows)} met" + (f"; missed: {', '.join(missed)}" if missed else "")
    )
    reads = [row for row in rows if row.trigger.startswith("GET ")]
    if reads:
        over = [row.function.logical_id for row in reads if row.ratio(baseline) > READ_GOAL]
        median = statistics.median(row.ratio(baseline) for row in reads)
        met = f"{len(reads) - len(over)} of {len(reads)} met"
        print(f"Read routes (GET), goal <= {READ_GOAL}x: median {median:.2f}x, {met}")
    invoked = [row for row in rows if row.invoked]
    auth = [row for row in invoked if row.trigger.split(" ")[-1].startswith("/auth/")]
    if auth:
        print(
            f"Most DynamoDB calls by one auth endpoint: {max(len(row.dynamodb) for row in auth)} "
            "(target <= 3 per auth endpoint)"
        )
    busiest = max(invoked, key=lambda row: len(row.dynamodb))
    print(f"Most DynamoDB calls by any endpoint measured: {len(busiest.dynamodb)} ({busiest.trigger})")
    importing = sorted(row.trigger for row in invoked if row.stripe)
    callers = sorted(key for key in STRIPE_CALLERS if key in {row.trigger for row in invoked})
    print(
        f"Functions importing stripe (invoked): {len(importing)} of {len(invoked)}: {', '.join(importing) or 'none'} "
        f"(target: exactly the Stripe callers measured, {', '.join(callers) or 'none'}): "
        + ("met" if importing == callers else "MISSED")
    )


def triggers(template: dict[str, Any], world: World) -> dict[str, str]:
    """What invokes each function: its first route key, else its schedule, else its queue."""
    found: dict[str, str] = {}
    for route in world.routes:
        found.setdefault(route.logical_id, route.route_key)
    for scheduled in scheduled_functions(template, world.overrides):
        found.setdefault(scheduled.function.logical_id, f"schedule {scheduled.schedule}")
    for consumer in queue_consumers(template, world.overrides):
        found.setdefault(consumer.function.logical_id, f"queue {consumer.queue_name}")
    return found


def main() -> int:
    if not (BUILD / "CommonLayer").is_dir():
        print(f"no build in {BUILD}: run `make bench` (it builds first)", file=sys.stderr)
        return 1
    template = load_template(ROOT / "template.yaml")
    versions = runtime_versions(template)
    with World() as world, deployed(BUILD, set(versions.values())) as tree:
        plans = scenarios(world)
        functions = lambda_functions(template, world.overrides)
        invoked_by = {route.logical_id: route for route in world.routes if route.route_key in plans}
        kinds = triggers(template, world)
        baselines: dict[str, list[Run]] = {"compiled": [], "opt": []}
        rows: list[Measured] = []
        for logical_id, function in sorted(functions.items()):
            python = interpreter(versions[logical_id])
            module, _, handler = function.handler.rpartition(".")
            route = invoked_by.get(logical_id)
            runs = []
            environment = function_environment(world, function)
            for _ in range(RUNS):
                for layer, measured in baselines.items():
                    boto3 = run_child(
                        python, tree, "_empty", "boto3", "-", event=None, environment=environment, layer=layer
                    )
                    measured.append(boto3)
                request = None if route is None else plans[route.route_key]()
                event = None if route is None or request is None else event_for(route, request)
                run = run_child(
                    python,
                    tree,
                    logical_id,
                    module,
                    "-" if route is None else handler,
                    event=event,
                    environment=environment,
                )
                if request is not None and run.result["answer"]["statusCode"] != request.expected:
                    raise RuntimeError(f"{logical_id} answered {run.result['answer']['statusCode']}")
                runs.append(run)
            rows.append(measure(function, kinds.get(logical_id, "-"), runs))
        baseline = measure(functions[sorted(functions)[0]], "import boto3", baselines["compiled"])
        as_built = measure(functions[sorted(functions)[0]], "import boto3", baselines["opt"])
        report(rows, baseline, as_built)
        worst = max(rows, key=lambda row: row.ratio(baseline))
        print(f"\nWhere {worst.function.logical_id}'s import time goes (python -X importtime, self time by package):")
        for package, seconds in import_profile(interpreter(versions[worst.function.logical_id]), tree, worst.function):
            print(f"  {package:28} {seconds * 1000:7.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
