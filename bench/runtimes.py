"""Which Python runtime: cold starts of a few handlers under each candidate version, with and without bytecode.

    python -m bench.runtimes 3.11 3.12 3.13    (BENCH_RUNS fresh interpreters per cell, 3 by default;
                                                BENCH_VALGRIND=1 adds one run per cell under valgrind's
                                                cachegrind for its instruction count; BENCH_HANDLERS="sign-in,
                                                GET /auth/me" measures those only; each measurement is
                                                printed to stderr as it is taken, the table at the end)

Each version needs `.tools/runtime-<version>`, a virtual environment of that Python with the layer's
requirements and nothing else:

    python3.13 -m venv .tools/runtime-3.13 && .tools/runtime-3.13/bin/pip install -r layers/common/requirements.txt

What runs is laid out as Lambda lays it out: that environment's site-packages and `collectra` copied into one
directory (the layer's /opt/python) and the functions' folders into another (/var/task), each either without
any bytecode ("source": what `sam build`'s pip workflow ships) or compiled by that version's compileall with
unchecked-hash invalidation ("bytecode": what a makefile build with compileall ships). The interpreter is the
version's own (its standard library compiled, as in Lambda's runtime), the layer on PYTHONPATH, and
PYTHONDONTWRITEBYTECODE=1 (Lambda's /opt and /var/task are read-only). bench/child.py imports the handler and
serves one event against the emulator, as bench.cold_start does.

Per cell: the child's CPU time (its rusage: user + system, the emulator runs in this process and is not in it),
its wall time minus the time it waited for the emulator and the stand-ins, and with BENCH_VALGRIND=1 the
instructions it executed. `import boto3` from the same version's layer with bytecode is the baseline of each
version, measured in the same run. Servers listen on BENCH_PORT (45100 by default) and the two ports after it.
"""

from __future__ import annotations

import io
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.reminders import DUE_ON, NOW, PLANNER, SENDER, ZONE
from local.brevo import BrevoStandIn
from local.emulator import Emulator, aws_environment, bootstrap
from local.emulator import client as emulator_client
from local.harness import Browser, Harness
from local.stripe import StripeStandIn
from local.template import LambdaFunction, load_template

ROOT = Path(__file__).resolve().parents[1]
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
VALGRIND = os.environ.get("BENCH_VALGRIND") == "1"
HANDLERS = [name.strip() for name in os.environ.get("BENCH_HANDLERS", "").split(",") if name.strip()]
PORT = int(os.environ.get("BENCH_PORT", "45100"))
PASSWORD = "bench passphrase 2026"
ORIGIN = "http://localhost:5173"
MODES = ("source", "bytecode")
# What pip puts beside the requirements and Lambda's layer does not have.
NOT_SHIPPED = ("__pycache__", "*.pyc", "pip", "pip-*", "_distutils_hack", "distutils-precedence.pth")


@dataclass(frozen=True)
class Runtime:
    """One candidate version: its interpreter and its laid-out layer and functions, per mode."""

    version: str
    python: Path  # the base interpreter (the venv's `home`), not the venv's: only the copied layer is on the path
    trees: dict[str, Path]  # mode -> the directory holding opt/ (the layer) and task/ (the functions' folders)

    def layer(self, mode: str) -> Path:
        return self.trees[mode] / "opt"

    def code(self, mode: str, function: LambdaFunction) -> Path:
        return self.trees[mode] / "task" / Path(function.code_uri).name


@dataclass
class Cell:
    cpu: list[float]
    wall: list[float]
    instructions: int | None = None


def base_python(version: str) -> Path:
    venv = ROOT / ".tools" / f"runtime-{version}"
    config = dict(line.split(" = ", 1) for line in (venv / "pyvenv.cfg").read_text().splitlines() if " = " in line)
    return Path(config["home"]) / f"python{version}"


def lay_out(version: str, into: Path) -> Runtime:
    """The layer and the functions as Lambda would hold them, without bytecode and compiled."""
    python = base_python(version)
    site = next((ROOT / ".tools" / f"runtime-{version}" / "lib").glob("python3.*/site-packages"))
    trees: dict[str, Path] = {}
    for mode in MODES:
        tree = into / f"{version}-{mode}"
        shutil.copytree(site, tree / "opt", ignore=shutil.ignore_patterns(*NOT_SHIPPED))
        shutil.copytree(
            ROOT / "layers/common/collectra", tree / "opt/collectra", ignore=shutil.ignore_patterns(*NOT_SHIPPED)
        )
        shutil.copytree(ROOT / "functions", tree / "task", ignore=shutil.ignore_patterns(*NOT_SHIPPED, "*.md"))
        if mode == "bytecode":
            subprocess.run(
                [str(python), "-m", "compileall", "-q", "-j", "0", "--invalidation-mode", "unchecked-hash", str(tree)],
                check=True,
            )
        trees[mode] = tree
    return Runtime(version, python, trees)


# ------------------------------------------------------------------------------------------ the local stack


class Stack:
    """The emulator and the Brevo and Stripe stand-ins on this benchmark's ports, and the functions in this
    process (local.harness) to prepare accounts, debts, links and queued reminders."""

    def __init__(self) -> None:
        self.brevo = BrevoStandIn(port=PORT)
        self.stripe = StripeStandIn(port=PORT + 1)
        self.emulator = Emulator(port=PORT + 2)

    def __enter__(self) -> Stack:
        self.brevo.start()
        self.stripe.start()
        self.emulator.start()
        overrides = {
            "BrevoApiUrl": self.brevo.url,
            "WebOrigin": ORIGIN,
            "StripeApiUrl": self.stripe.url,
            "StripeCheckoutOrigin": self.stripe.url,
        }
        secret_values = {
            "BrevoApiKeySecretName": self.brevo.api_key,
            "StripeApiKeySecretName": self.stripe.api_key,
            "StripeWebhookSecretName": self.stripe.webhook_secret,
        }
        bootstrap(self.emulator.url, load_template(ROOT / "template.yaml"), overrides, secret_values=secret_values)
        self.harness = Harness(ROOT / "template.yaml", endpoint_url=self.emulator.url, overrides=overrides)
        self.harness.__enter__()
        return self

    def __exit__(self, *_: object) -> None:
        self.harness.__exit__()
        self.emulator.stop()
        self.stripe.stop()
        self.brevo.stop()

    def emailed_token(self, email: str, purpose: str) -> str:
        for message in self.brevo.outbox():
            if message["to"][0]["email"] == email and purpose in message["textContent"]:
                return re.search(purpose + r"\?token=([A-Za-z0-9_\-]+)", message["textContent"]).group(1)  # type: ignore[union-attr]
        raise LookupError(f"no {purpose} email for {email}")

    def new_account(self, *, verified: bool = False) -> tuple[Browser, str]:
        browser, email = Browser(self.harness), f"bench-{uuid.uuid4().hex[:12]}@example.com"
        body = {"email": email, "password": PASSWORD, "name": "Bench Person", "workspace_name": "Bench Ltd"}
        assert browser.call("POST", "/auth/signup", body).status == 201
        if verified:
            token = self.emailed_token(email, "verify-email")
            assert browser.call("POST", "/auth/verify-email", {"token": token}).status == 204
        return browser, email

    def debtor_with_debt(self, browser: Browser) -> str:
        """A debtor owing one debt, in the signed-in workspace; the debtor's id."""
        debtor = browser.call("POST", "/debtors", {"name": "Bench Debtor", "email": "debtor@example.com"})
        assert debtor.status == 201, debtor.body
        debt = {
            "debtor_id": debtor.json()["id"],
            "invoice_number": "INV-BENCH-1",
            "amount": 12_500,
            "currency": "EUR",
            "issued_on": "2026-10-01",
            "due_on": "2026-11-01",
        }
        assert browser.call("POST", "/debts", debt).status == 201
        return str(debtor.json()["id"])


# ------------------------------------------------------------------------------------------ one event per handler


@dataclass(frozen=True)
class Scenario:
    logical_id: str
    prepare: Callable[[], dict[str, Any]]  # a fresh event the handler serves successfully
    succeeded: Callable[[Any], bool]


def scenarios(stack: Stack) -> dict[str, Scenario]:
    harness = stack.harness
    addresses = iter(range(10, 250))  # a fresh client address per sign-in: the throttle counts by address

    def http(method: str, path: str, browser: Browser | None = None, body: Any = None) -> dict[str, Any]:
        cookies = {k: v for k, v in (browser.jar if browser else {}).items() if k != "refresh_token"}
        headers = {"x-requested-with": "collectra", "origin": ORIGIN}
        ip = f"198.51.100.{next(addresses)}"
        return harness.http_event(method, path, body=body, cookies=cookies, headers=headers, source_ip=ip)

    def sign_in() -> dict[str, Any]:
        _, email = stack.new_account()
        return http("POST", "/auth/login", body={"email": email, "password": PASSWORD})

    def me() -> dict[str, Any]:
        return http("GET", "/auth/me", stack.new_account()[0])

    def debts() -> dict[str, Any]:
        browser, _ = stack.new_account()
        stack.debtor_with_debt(browser)
        return http("GET", "/debts", browser)

    def debtor_page() -> dict[str, Any]:
        browser, _ = stack.new_account()
        link = browser.call("POST", f"/debtors/{stack.debtor_with_debt(browser)}/link")
        assert link.status == 201, link.body
        token = str(link.json()["url"]).rsplit("/p/", 1)[1]
        return harness.http_event("GET", f"/p/{token}", headers={"accept": "text/html"})

    def reminder() -> dict[str, Any]:
        return queued_reminder(stack)

    def status(expected: int) -> Callable[[Any], bool]:
        return lambda answer: isinstance(answer, dict) and answer.get("statusCode") == expected

    return {
        "sign-in": Scenario(harness.route("POST /auth/login").logical_id, sign_in, status(200)),
        "GET /auth/me": Scenario(harness.route("GET /auth/me").logical_id, me, status(200)),
        "GET /debts": Scenario(harness.route("GET /debts").logical_id, debts, status(200)),
        "GET /p/{token}": Scenario(harness.route("GET /p/{token}").logical_id, debtor_page, status(200)),
        "sender": Scenario(SENDER, reminder, lambda answer: answer == {"batchItemFailures": []}),
    }


def queued_reminder(stack: Stack) -> dict[str, Any]:
    """One debt whose first reminder is due at bench.reminders' NOW, planned by the planner (in this process);
    the SQS event that hands its message to the sender, taken off the queue."""
    from collectra.clock import iso
    from collectra.debtors.service import new_debtor_item
    from collectra.debts.records import with_indexes
    from collectra.debts.service import new_debt_item
    from collectra.reminders.policy import DEFAULT, day_opening
    from collectra.store.codec import to_attributes

    browser, _ = stack.new_account(verified=True)
    workspace = browser.call("GET", "/workspace").json()
    fields = {
        "name": "Due debtor",
        "email": f"due-{uuid.uuid4().hex[:8]}@example.fr",
        "time_zone": ZONE,
        "locale": "fr",
    }
    debtor = new_debtor_item(workspace, fields, now=NOW)
    debt_fields = {
        "invoice_number": "INV-DUE",
        "amount": 4_200,
        "currency": "EUR",
        "issued_on": "2027-02-01",
        "due_on": DUE_ON.isoformat(),
    }
    debt = new_debt_item(workspace["id"], debtor["id"], debt_fields, now=NOW, source="api")
    debt["next_reminder_at"] = iso(day_opening(DEFAULT, ZONE, NOW.date()))
    debtor["open_debts"] += 1
    dynamodb = emulator_client("dynamodb", stack.emulator.url)
    for item in (debtor, with_indexes(workspace["id"], debt)):
        dynamodb.put_item(TableName=stack.harness.environment(PLANNER)["TABLE_NAME"], Item=to_attributes(item))
    stack.harness.run_schedule(PLANNER, NOW)
    messages = stack.harness.receive(SENDER, limit=10)
    assert len(messages) == 1, f"the planner queued {len(messages)} messages, expected the one due reminder"
    stack.harness.delete(SENDER, messages)
    return stack.harness.sqs_event(SENDER, messages)


# ------------------------------------------------------------------------------------------ measuring


def child_environment(stack: Stack, runtime: Runtime, mode: str, function: LambdaFunction) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", ""),
        **function.environment,
        **aws_environment(stack.emulator.url),
        "POWERTOOLS_TRACE_DISABLED": "true",
        "POWERTOOLS_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(runtime.layer(mode)),
        "PYTHONDONTWRITEBYTECODE": "1",
    }


@contextmanager
def child_cpu() -> Iterator[list[float]]:
    """The CPU seconds (user + system) of the children waited for inside the block."""
    measured: list[float] = []
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    yield measured
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    measured.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)


def cold_start(
    stack: Stack, runtime: Runtime, mode: str, scenario: Scenario, *, valgrind: bool = False
) -> tuple[float, float, int | None]:
    """CPU seconds, wall seconds less the waits, and (under valgrind) instructions of one fresh interpreter."""
    function = stack.harness.functions[scenario.logical_id]
    module, _, name = function.handler.rpartition(".")
    command = [str(runtime.python), str(ROOT / "bench/child.py"), str(runtime.code(mode, function))]
    command += [str(runtime.layer(mode)), module, name]
    if valgrind:
        command = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null", *command]
    with redirect_stdout(io.StringIO()):  # the handlers run here print their metrics
        event = json.dumps(scenario.prepare())
    environment = child_environment(stack, runtime, mode, function)
    started = time.perf_counter()
    with child_cpu() as cpu:
        done = subprocess.run(command, input=event, capture_output=True, text=True, env=environment, check=False)
    elapsed = time.perf_counter() - started
    lines = [line for line in done.stdout.splitlines() if line.startswith("BENCH-RESULT ")]
    if done.returncode or not lines:
        raise RuntimeError(f"{function.logical_id} on {runtime.version} ({mode}) failed:\n{done.stderr[-2000:]}")
    result = json.loads(lines[-1].removeprefix("BENCH-RESULT "))
    if not scenario.succeeded(result["answer"]):
        raise RuntimeError(f"{function.logical_id} on {runtime.version} ({mode}) answered {result['answer']!r:.500}")
    counted = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr) if valgrind else None
    return cpu[0], elapsed - result["waited"], int(counted.group(1).replace(",", "")) if counted else None


def baseline(runtime: Runtime, *, valgrind: bool = False) -> tuple[float, int | None]:
    """`import boto3` from the version's layer with bytecode: CPU seconds, and instructions under valgrind."""
    command = [str(runtime.python), "-c", "import boto3, os; os._exit(0)"]
    if valgrind:
        command = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null", *command]
    environment = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(runtime.layer("bytecode"))}
    environment["PYTHONDONTWRITEBYTECODE"] = "1"
    with child_cpu() as cpu:
        done = subprocess.run(command, capture_output=True, text=True, env=environment, check=True)
    counted = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr) if valgrind else None
    return cpu[0], int(counted.group(1).replace(",", "")) if counted else None


def main(versions: list[str]) -> int:
    missing = [v for v in versions if not (ROOT / ".tools" / f"runtime-{v}" / "pyvenv.cfg").exists()]
    if missing:
        print(f"no .tools/runtime-{missing[0]}: see `python -m bench.runtimes`'s docstring", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="collectra-runtimes-") as scratch, Stack() as stack:
        runtimes = [lay_out(version, Path(scratch)) for version in versions]
        plans = {label: plan for label, plan in scenarios(stack).items() if not HANDLERS or label in HANDLERS}
        cells: dict[tuple[str, str, str], Cell] = {}
        boto3_cpu: dict[str, list[float]] = {r.version: [] for r in runtimes}
        boto3_instructions: dict[str, int | None] = {}
        for _ in range(RUNS):  # runs interleaved across versions: the machine's load falls on each alike
            for runtime in runtimes:
                boto3_cpu[runtime.version].append(baseline(runtime)[0])
                for mode in MODES:
                    for label, scenario in plans.items():
                        cpu, wall, _ = cold_start(stack, runtime, mode, scenario)
                        cell = cells.setdefault((runtime.version, mode, label), Cell([], []))
                        cell.cpu.append(cpu)
                        cell.wall.append(wall)
                        print(f"{label} {runtime.version} {mode}: {cpu * 1000:.0f} ms CPU", file=sys.stderr, flush=True)
        if VALGRIND:
            for runtime in runtimes:
                boto3_instructions[runtime.version] = baseline(runtime, valgrind=True)[1]
                for mode in MODES:
                    for label, scenario in plans.items():
                        counted = cold_start(stack, runtime, mode, scenario, valgrind=True)[2]
                        cells[runtime.version, mode, label].instructions = counted
                        print(f"{label} {runtime.version} {mode}: {counted} instructions", file=sys.stderr, flush=True)
        report(versions, list(plans), cells, boto3_cpu, boto3_instructions)
    return 0


def report(
    versions: list[str],
    labels: list[str],
    cells: dict[tuple[str, str, str], Cell],
    boto3_cpu: dict[str, list[float]],
    boto3_instructions: dict[str, int | None],
) -> None:
    print(f"Cold starts by Python version: median of {RUNS} fresh interpreters per cell (CPU: the child's rusage).")
    for version in versions:
        base = statistics.median(boto3_cpu[version])
        instructions = boto3_instructions.get(version)
        counted = f", {instructions / 1e6:,.0f} M instructions" if instructions else ""
        print(f"  {version}: `import boto3` (layer with bytecode) {base * 1000:.0f} ms CPU{counted}")
    print(f"\n{'handler':16} {'python':6} {'layer':9} {'CPU ms':>7} {'x boto3':>8} {'wall ms':>8} {'M instr':>8}")
    for label in labels:
        for version in versions:
            base = statistics.median(boto3_cpu[version])
            for mode in MODES:
                cell = cells[version, mode, label]
                cpu, wall = statistics.median(cell.cpu), statistics.median(cell.wall)
                counted = f"{cell.instructions / 1e6:8,.0f}" if cell.instructions else f"{'-':>8}"
                print(
                    f"{label:16} {version:6} {mode:9} {cpu * 1000:7.0f} {cpu / base:8.2f} {wall * 1000:8.0f} {counted}"
                )


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:] or ["3.11", "3.12", "3.13"]))
