"""`python -m local.dev`: the whole backend on this machine, with no cloud account and no Docker.

Starts the AWS emulator and creates the template's tables, queues and secrets in it, the Brevo and
Stripe stand-ins, the gateway serving every HTTP function of template.yaml, and the scheduler and queue
pollers running its scheduled and SQS-triggered functions (local.events); seeds a demo user whose
workspace is connected to the Stripe stand-in and has six months of history (local.seed_history); stops everything
on Ctrl-C or SIGTERM. The gateway also
serves the web app's build (web/dist, which `make dev` builds first) at /app/, as CloudFront does on AWS.
Ports: COLLECTRA_MOTO_PORT (5000), COLLECTRA_API_PORT (3000), COLLECTRA_BREVO_PORT (3002),
COLLECTRA_STRIPE_PORT (3003); the extra origin CSRF and CORS accept: COLLECTRA_WEB_ORIGIN
(http://127.0.0.1:5173, Vite's dev server of `make web`, which proxies the API to the gateway);
scheduled functions run every COLLECTRA_TICK_SECONDS (60) seconds, whatever their schedule says.
"""

from __future__ import annotations

import os
import signal
import sys
import traceback
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from local.brevo import BrevoStandIn
from local.cfn import REGION
from local.emulator import Emulator, aws_environment, bootstrap
from local.events import DEFAULT_TICK_SECONDS, EventSources
from local.gateway import Gateway
from local.seed import Demo, seed_demo
from local.seed_history import debt_writer_environment
from local.signals import wait_for_stop_signal
from local.stripe import StripeStandIn
from local.template import load_template

TEMPLATE = Path(__file__).resolve().parent.parent / "template.yaml"
WEB_DIST = TEMPLATE.parent / "web" / "dist"
# Vite's dev server (`make web`): the browser talks to it and it proxies the API to the gateway, so the
# requests reaching the gateway carry this Origin. The app the gateway itself serves is same-origin.
DEFAULT_WEB_ORIGIN = "http://127.0.0.1:5173"


def _port(variable: str, default: int) -> int:
    value = os.environ.get(variable, "")
    try:
        return int(value) if value else default
    except ValueError:
        raise SystemExit(f"{variable} must be a port number, got {value!r}") from None


def _local(port: int) -> str:
    return f"http://127.0.0.1:{port}"


@dataclass(frozen=True)
class LocalStack:
    """Where `make dev`'s parts listen, from the COLLECTRA_* variables: other commands (`make remind`)
    read the same variables to find the same stack."""

    moto_port: int = 5000
    api_port: int = 3000
    brevo_port: int = 3002
    stripe_port: int = 3003
    web_origin: str = DEFAULT_WEB_ORIGIN

    @classmethod
    def from_environment(cls) -> LocalStack:
        return cls(
            moto_port=_port("COLLECTRA_MOTO_PORT", 5000),
            api_port=_port("COLLECTRA_API_PORT", 3000),
            brevo_port=_port("COLLECTRA_BREVO_PORT", 3002),
            stripe_port=_port("COLLECTRA_STRIPE_PORT", 3003),
            web_origin=os.environ.get("COLLECTRA_WEB_ORIGIN", DEFAULT_WEB_ORIGIN),
        )

    @property
    def moto_url(self) -> str:
        return _local(self.moto_port)

    @property
    def api_url(self) -> str:
        return _local(self.api_port)

    @property
    def app_url(self) -> str:
        """The web app, served by the gateway beside the API (same origin, like CloudFront on AWS)."""
        return f"{self.api_url}/app/"

    @property
    def brevo_url(self) -> str:
        return _local(self.brevo_port)

    @property
    def stripe_url(self) -> str:
        return _local(self.stripe_port)


def stack_overrides(stack: LocalStack) -> dict[str, str]:
    """The template parameters of the local stack: every function of `make dev` (and `make remind`) gets these."""
    return {
        "EnvironmentName": "dev",
        "WebOrigin": stack.web_origin,
        "BrevoApiUrl": stack.brevo_url,
        # Links in emails (into the app at /app/) and the debtor's page point at this gateway.
        "PublicBaseUrl": stack.api_url,
        "StripeApiUrl": stack.stripe_url,
        "StripeCheckoutOrigin": stack.stripe_url,
    }


def function_environment(stack: LocalStack) -> dict[str, str]:
    """Variables every local function gets on top of the template's (and the emulator's)."""
    return {"BREVO_API_URL": stack.brevo_url}


def tick_seconds() -> float:
    """How often `make dev` runs the scheduled functions: COLLECTRA_TICK_SECONDS, default 60."""
    value = os.environ.get("COLLECTRA_TICK_SECONDS", "")
    try:
        seconds = float(value) if value else DEFAULT_TICK_SECONDS
    except ValueError:
        seconds = -1.0
    if not seconds > 0:
        raise SystemExit(f"COLLECTRA_TICK_SECONDS must be a positive number of seconds, got {value!r}")
    return seconds


def _seed(gateway: Gateway, stripe_url: str) -> Demo | None:
    try:
        return seed_demo(gateway.url, stripe_url, history=debt_writer_environment(gateway))
    except Exception:
        traceback.print_exc()
        print("warning: the demo seed failed (above); the stack runs without demo data", flush=True)
        return None


def _interrupt(_signum: int, _frame: FrameType | None) -> None:
    # A signal while starting up unwinds through the same cleanup as the stop signal later on.
    raise KeyboardInterrupt


@dataclass(frozen=True)
class RunningStack:
    emulator: Emulator
    brevo: BrevoStandIn
    stripe: StripeStandIn
    gateway: Gateway
    events: EventSources


def start_stack(running: ExitStack, stack: LocalStack, tick: float) -> RunningStack:
    """Start every piece of `make dev` on `stack`'s ports; `running` stops them, in reverse order."""
    template = load_template(TEMPLATE)
    emulator = Emulator(port=stack.moto_port)
    emulator.start()
    running.callback(emulator.stop)
    brevo = BrevoStandIn(port=stack.brevo_port)
    brevo.start()
    running.callback(brevo.stop)

    stripe = StripeStandIn(port=stack.stripe_port, webhook_url=f"{stack.api_url}/webhooks/stripe")
    stripe.start()
    running.callback(stripe.stop)
    overrides = stack_overrides(stack)
    bootstrap(
        emulator.url,
        template,
        overrides,
        secret_values={
            "BrevoApiKeySecretName": brevo.api_key,
            "StripeApiKeySecretName": stripe.api_key,
            "StripeWebhookSecretName": stripe.webhook_secret,
        },
    )
    gateway = Gateway(
        TEMPLATE,
        overrides=overrides,
        environment=function_environment(stack),
        endpoint_url=emulator.url,
        port=stack.api_port,
        web_dist=WEB_DIST,
    )
    gateway.start()
    running.callback(gateway.stop)
    events = EventSources(
        TEMPLATE,
        endpoint_url=emulator.url,
        overrides=overrides,
        environment=function_environment(stack),
        tick_seconds=tick,
    )
    events.start()
    running.callback(events.stop)
    return RunningStack(emulator, brevo, stripe, gateway, events)


def banner(started: RunningStack, web_origin: str, tick: float, demo: Demo | None, *, built: bool) -> list[str]:
    """What `make dev` prints once everything runs: the app's URL first, the thing a person opens."""
    gateway, brevo, stripe, emulator, events = (
        started.gateway,
        started.brevo,
        started.stripe,
        started.emulator,
        started.events,
    )
    lines = [
        "",
        f"App  {gateway.url}/app/" + ("" if built else "   (not built: `make dev` builds web/dist)"),
        f"  API            {gateway.url}   (also allowed as an origin: {web_origin}, `make web`)",
        f"  Brevo outbox   {brevo.url}/outbox   (JSON: {brevo.url}/outbox.json)",
        f"  Stripe         {stripe.url}   (events: {stripe.url}/_control/events)",
        f"  AWS emulator   {emulator.url}   (region {REGION}, credentials testing/testing)",
    ]
    lines += [
        f"  Scheduled      {s.logical_id} every {tick:g} s   (COLLECTRA_TICK_SECONDS; in AWS {s.schedule})"
        for s in events.scheduler.functions
        if s.enabled
    ]
    lines += [f"  Queue          {p.consumer.queue_name} -> {p.consumer.logical_id}" for p in events.pollers]
    if events.scheduler.functions:
        lines.append("                 `make remind` (NOW=2026-12-24T09:00:00Z) runs them once, now")
    if demo:
        lines.append(f"  Demo login     {demo.email} / {demo.password}")
        lines.append(f"  Late payment   {demo.late_payment_email} / {demo.password}   (claims interest, §288 BGB)")
        lines += [f"  Debtor page    {url}   ({name})" for name, url in demo.pages.items()]
    lines += ["Collectra is running locally; Ctrl-C to stop.", ""]
    return lines


def run() -> None:
    stack = LocalStack.from_environment()
    web_origin = stack.web_origin
    tick = tick_seconds()
    with ExitStack() as running:
        started = start_stack(running, stack, tick)
        emulator, brevo, stripe, gateway = started.emulator, started.brevo, started.stripe, started.gateway

        # For the seed and anything else in this process that talks to the stack directly.
        os.environ.update(aws_environment(emulator.url))
        os.environ.update({"COLLECTRA_API_URL": gateway.url, "COLLECTRA_BREVO_URL": brevo.url})
        demo = _seed(gateway, stripe.url)

        lines = banner(started, web_origin, tick, demo, built=(WEB_DIST / "index.html").is_file())
        print("\n".join(lines), flush=True)
        wait_for_stop_signal()
        print("stopping...", flush=True)


def main() -> int:
    # SIGINT explicitly too: a shell starting us in the background ignores it, and Python keeps that.
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, _interrupt)
    try:
        run()
    except KeyboardInterrupt:
        print("stopped during start-up", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
