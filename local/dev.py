"""`python -m local.dev`: the whole backend on this machine, with no cloud account and no Docker.

Starts the AWS emulator and creates the template's tables and secrets in it, the Brevo and Stripe
stand-ins, and the gateway serving every function of template.yaml; seeds a demo user whose workspace
is connected to the Stripe stand-in; stops everything on Ctrl-C or SIGTERM. Ports: COLLECTRA_MOTO_PORT
(5000), COLLECTRA_API_PORT (3000), COLLECTRA_BREVO_PORT (3002), COLLECTRA_STRIPE_PORT (3003);
the web client's origin: COLLECTRA_WEB_ORIGIN (http://localhost:5173).
"""

from __future__ import annotations

import os
import signal
import sys
import traceback
from contextlib import ExitStack
from pathlib import Path
from types import FrameType

from local.brevo import BrevoStandIn
from local.cfn import REGION
from local.emulator import Emulator, aws_environment, bootstrap
from local.gateway import Gateway
from local.seed import Demo, seed_demo
from local.signals import wait_for_stop_signal
from local.stripe import StripeStandIn
from local.template import load_template

TEMPLATE = Path(__file__).resolve().parent.parent / "template.yaml"
DEFAULT_WEB_ORIGIN = "http://localhost:5173"


def _port(variable: str, default: int) -> int:
    value = os.environ.get(variable, "")
    try:
        return int(value) if value else default
    except ValueError:
        raise SystemExit(f"{variable} must be a port number, got {value!r}") from None


def _seed(api_url: str, stripe_url: str) -> Demo | None:
    try:
        return seed_demo(api_url, stripe_url)
    except Exception:
        traceback.print_exc()
        print("warning: the demo seed failed (above); the stack runs without demo data", flush=True)
        return None


def _interrupt(_signum: int, _frame: FrameType | None) -> None:
    # A signal while starting up unwinds through the same cleanup as the stop signal later on.
    raise KeyboardInterrupt


def run() -> None:
    web_origin = os.environ.get("COLLECTRA_WEB_ORIGIN", DEFAULT_WEB_ORIGIN)
    template = load_template(TEMPLATE)
    with ExitStack() as running:
        emulator = Emulator(port=_port("COLLECTRA_MOTO_PORT", 5000))
        emulator.start()
        running.callback(emulator.stop)
        brevo = BrevoStandIn(port=_port("COLLECTRA_BREVO_PORT", 3002))
        brevo.start()
        running.callback(brevo.stop)

        api_port = _port("COLLECTRA_API_PORT", 3000)
        stripe = StripeStandIn(
            port=_port("COLLECTRA_STRIPE_PORT", 3003), webhook_url=f"http://127.0.0.1:{api_port}/webhooks/stripe"
        )
        stripe.start()
        running.callback(stripe.stop)
        overrides = {
            "EnvironmentName": "dev",
            "WebOrigin": web_origin,
            "BrevoApiUrl": brevo.url,
            # Links in emails and the debtor's page point at this gateway.
            "PublicBaseUrl": f"http://127.0.0.1:{api_port}",
            "StripeApiUrl": stripe.url,
            "StripeCheckoutOrigin": stripe.url,
        }
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
            environment={"BREVO_API_URL": brevo.url},
            endpoint_url=emulator.url,
            port=api_port,
        )
        gateway.start()
        running.callback(gateway.stop)

        # For the seed and anything else in this process that talks to the stack directly.
        os.environ.update(aws_environment(emulator.url))
        os.environ.update({"COLLECTRA_API_URL": gateway.url, "COLLECTRA_BREVO_URL": brevo.url})
        demo = _seed(gateway.url, stripe.url)

        lines = [
            "",
            "Collectra is running locally",
            f"  API            {gateway.url}   (CORS origin {web_origin})",
            f"  Brevo outbox   {brevo.url}/outbox   (JSON: {brevo.url}/outbox.json)",
            f"  Stripe         {stripe.url}   (events: {stripe.url}/_control/events)",
            f"  AWS emulator   {emulator.url}   (region {REGION}, credentials testing/testing)",
        ]
        if demo:
            lines.append(f"  Demo login     {demo.email} / {demo.password}")
            lines += [f"  Debtor page    {url}   ({name})" for name, url in demo.pages.items()]
        lines += ["Ctrl-C to stop.", ""]
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
