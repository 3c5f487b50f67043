"""The HTTP server: /v1 to the API, /_control to the control endpoints, the rest to the hosted pages.

An API call answers first and delivers its events right after, as Stripe does; a page button delivers
before it answers; a control endpoint delivers, then answers with what it caused.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import threading
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from local.signals import wait_for_stop_signal
from local.stripe import objects
from local.stripe.api import handle_api
from local.stripe.control import handle_control
from local.stripe.objects import ID
from local.stripe.pages import PageReply, checkout_submit, checkout_view, not_found_page, onboarding_view
from local.stripe.state import EventRecord, State

DEFAULT_PORT = 3003
SWEEP_SECONDS = 1.0  # how often sessions past their expires_at are expired


def new_api_key() -> str:
    return objects.new_id("sk_test_51", 96)


def new_webhook_secret() -> str:
    return "whsec_" + secrets.token_hex(32)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    state: State


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server
    timeout = 60
    # Headers and body leave in one write: sent apart, Nagle and the client's delayed ACK cost 40 ms a call.
    wbufsize = 1 << 16

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def _dispatch(self, method: str) -> None:
        state = self.server.state
        body = self.rfile.read(int(self.headers.get("content-length") or 0))
        path = urlsplit(self.path).path
        if path.startswith("/v1/"):
            headers = {name.lower(): value for name, value in reversed(self.headers.items())}
            reply = handle_api(state, method, self.path, body, headers)
            if reply.events:
                # The client must not wait for the webhook on a kept-alive connection: close it after answering.
                reply.headers["Connection"] = "close"
            self._json(reply.status, reply.body, reply.headers)
            self.wfile.flush()
            state.deliver_all(reply.events)
        elif path.startswith("/_control/"):
            status, payload = handle_control(state, method, path, body)
            self._json(status, payload)
        else:
            self._page(method, path, body)

    def _page(self, method: str, path: str, body: bytes) -> None:
        state = self.server.state
        checkout = re.fullmatch(rf"/checkout/{ID}", path)
        onboarding = re.fullmatch(rf"/connect/onboarding/{ID}", path)
        if checkout and method == "GET":
            reply, events = checkout_view(state, checkout.group(1))
        elif checkout and method == "POST":
            form = dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
            reply, events = checkout_submit(state, checkout.group(1), form)
        elif onboarding and method in ("GET", "POST"):
            reply, events = onboarding_view(state, onboarding.group(1), complete=method == "POST")
        else:
            reply, events = PageReply(404, not_found_page(f"Nothing at {path}.")), []
        # The page's request waits for the webhooks, so whatever the browser sees next already knows.
        state.deliver_all(events)
        if reply.location is not None:
            self._write(reply.status, b"", None, {"Location": reply.location})
        else:
            self._write(
                reply.status, (reply.html or "").encode(), "text/html; charset=utf-8", {"Cache-Control": "no-store"}
            )

    def _json(self, status: int, payload: Any, headers: Mapping[str, str] | None = None) -> None:
        self._write(status, json.dumps(payload, indent=2).encode(), "application/json", headers)

    def _write(
        self, status: int, body: bytes, content_type: str | None, headers: Mapping[str, str] | None = None
    ) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class StripeStandIn:
    """The stand-in on a background thread; port 0 picks a free port. `webhook_url` may be set at any time."""

    def __init__(
        self,
        port: int = 0,
        api_key: str | None = None,
        webhook_secret: str | None = None,
        webhook_url: str | None = None,
        host: str = "127.0.0.1",
    ) -> None:
        self._state = State(api_key or new_api_key(), webhook_secret or new_webhook_secret(), webhook_url)
        self._address = (host, port)
        self._server: _Server | None = None
        self._threads: list[threading.Thread] = []
        self._stopping = threading.Event()

    @property
    def api_key(self) -> str:
        return self._state.api_key

    @property
    def webhook_secret(self) -> str:
        return self._state.webhook_secret

    @property
    def webhook_url(self) -> str | None:
        return self._state.webhook_url

    @webhook_url.setter
    def webhook_url(self, url: str | None) -> None:
        self._state.webhook_url = url

    def start(self) -> None:
        server = _Server(self._address, _Handler)
        server.state = self._state
        self._server = server
        self._state.base_url = self.url
        self._stopping.clear()
        self._threads = [
            threading.Thread(target=server.serve_forever, args=(0.1,), name="stripe", daemon=True),
            threading.Thread(target=self._sweep, name="stripe-expiry", daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    def _sweep(self) -> None:
        while not self._stopping.wait(SWEEP_SECONDS):
            out: list[EventRecord] = []
            with self._state.lock:
                self._state.expire_due(out)
                self._state.forget_old_keys()
            self._state.deliver_all(out)

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the Stripe stand-in is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def events(self) -> list[dict[str, Any]]:
        """Every event so far, oldest first: {"event": ..., "deliveries": [status, ...], "delivered": bool}."""
        with self._state.lock:
            return [record.summary() for record in self._state.events]

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        self._stopping.set()
        for thread in self._threads:
            thread.join()
        self._threads = []

    def __enter__(self) -> StripeStandIn:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve a local stand-in for Stripe (Connect, Checkout, webhooks).")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get("COLLECTRA_STRIPE_PORT", DEFAULT_PORT)))
    parser.add_argument("--api-key", default=os.environ.get("COLLECTRA_STRIPE_API_KEY"))
    parser.add_argument("--webhook-secret", default=os.environ.get("COLLECTRA_STRIPE_WEBHOOK_SECRET"))
    parser.add_argument("--webhook-url", default=os.environ.get("COLLECTRA_STRIPE_WEBHOOK_URL"))
    args = parser.parse_args(argv)
    stand_in = StripeStandIn(args.port, args.api_key, args.webhook_secret, args.webhook_url, args.host)
    stand_in.start()
    print(f"Stripe stand-in on {stand_in.url}, events at {stand_in.url}/_control/events", flush=True)
    print(f"api-key: {stand_in.api_key}", flush=True)
    print(f"webhook-secret: {stand_in.webhook_secret}", flush=True)
    print(f"webhooks to: {stand_in.webhook_url or '(none: events are only recorded)'}", flush=True)
    try:
        wait_for_stop_signal()
    finally:
        stand_in.stop()
    return 0
