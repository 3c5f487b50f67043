"""A stand-in for Brevo's transactional email API, with an outbox to read what would have been sent.

    python -m local.brevo [--port 3002] [--api-key KEY]

POST /v3/smtp/email       Brevo's send endpoint: same authentication, validation and answers
GET  /outbox              the sent messages as a web page, newest first
GET  /outbox.json         the same as JSON (`?to=address` keeps only messages to that address)
DELETE /outbox            forget them
POST /_control/fail       {"status": 500, "count": 2}: the next sends fail like Brevo does
                          {"status": 429, "reset": 5}: ... rate limited, retry after 5 s (default 1)
                          {"delay": 3, "count": 1}: the next send answers 3 s late (with "status", it
                          then fails; without, the message is in the outbox at once and only the 201 is
                          late, so a client that times out has sent it all the same)

Webhook events as Brevo's: `webhook_event(message, "delivered")` is the body Brevo's transactional webhook posts
about an outbox message, echoing what the send set: its message id, recipient, subject, `tags` and the value of
its `X-Mailin-custom` header (Brevo's one custom header that comes back in events).

Idempotency as Brevo's: a send whose `headers` carry an `idempotencyKey` already accepted answers 201 with
the first send's messageId and adds nothing to the outbox (Brevo forgets keys after 15-30 minutes; the
stand-in remembers them while it runs, and DELETE /outbox forgets them too).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from local.brevo_outbox import render_outbox
from local.signals import wait_for_stop_signal

DEFAULT_PORT = 3002
SEND_PATH = "/v3/smtp/email"
_MAX_DELAY_S = 120.0
_PARIS = ZoneInfo("Europe/Paris")
_EMAIL = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\".]+$")
# Brevo's error codes for the statuses a test may ask the failure switch for.
_ERROR_CODES = {
    400: ("bad_request", "Bad request"),
    401: ("unauthorized", "Key not found"),
    402: ("not_enough_credits", "Not enough credits to send this email"),
    403: ("permission_denied", "Permission denied"),
    429: ("too_many_requests", "The expected rate limit is exceeded."),
}


class BrevoError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def _missing(name: str) -> BrevoError:
    return BrevoError(400, "missing_parameter", f"{name} is missing")


def _invalid(message: str) -> BrevoError:
    return BrevoError(400, "invalid_parameter", message)


def _contact(value: Any, field: str, *, allow_id: bool = False) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _invalid(f"{field} is not a valid object")
    if allow_id and "id" in value and "email" not in value:
        if isinstance(value["id"], bool) or not isinstance(value["id"], int):
            raise _invalid(f"{field}.id must be an integer")
        return {"id": value["id"]}
    email = value.get("email")
    if not email:
        raise _missing(f"{field}.email")
    if not isinstance(email, str) or not _EMAIL.match(email):
        raise _invalid(f"email is not valid in {field}")
    name = value.get("name")
    if name is not None and not isinstance(name, str):
        raise _invalid(f"{field}.name must be a string")
    return {"email": email, **({"name": name} if name else {})}


def _contacts(payload: Mapping[str, Any], field: str, *, required: bool) -> list[dict[str, Any]]:
    value = payload.get(field)
    if value is None:
        if required:
            raise _missing(field)
        return []
    if not isinstance(value, list) or (required and not value):
        raise _invalid(f"{field} must be a non-empty list of contacts" if required else f"{field} must be a list")
    return [_contact(item, field) for item in value]


def _optional(payload: Mapping[str, Any], field: str, kind: type, description: str) -> Any:
    value = payload.get(field)
    if value is not None and (not isinstance(value, kind) or isinstance(value, bool)):
        raise _invalid(f"{field} must be {description}")
    return value


def validate_send(payload: Any) -> dict[str, Any]:
    """The message Brevo would accept from `payload`, or the BrevoError it would answer."""
    if not isinstance(payload, dict):
        raise BrevoError(400, "bad_request", "Input must be a JSON object")
    template_id = _optional(payload, "templateId", int, "an integer")
    sender = payload.get("sender")
    if sender is None and template_id is None:
        raise _missing("sender")
    message: dict[str, Any] = {
        "sender": None if sender is None else _contact(sender, "sender", allow_id=True),
        "to": _contacts(payload, "to", required=True),
        "cc": _contacts(payload, "cc", required=False),
        "bcc": _contacts(payload, "bcc", required=False),
        "replyTo": None if payload.get("replyTo") is None else _contact(payload["replyTo"], "replyTo"),
        "subject": _optional(payload, "subject", str, "a string"),
        "htmlContent": _optional(payload, "htmlContent", str, "a string"),
        "textContent": _optional(payload, "textContent", str, "a string"),
        "templateId": template_id,
        "params": _optional(payload, "params", dict, "an object"),
        "headers": _optional(payload, "headers", dict, "an object"),
        "tags": _optional(payload, "tags", list, "a list of strings"),
    }
    if template_id is None:
        if not message["subject"]:
            raise _missing("subject")
        if not (message["htmlContent"] or message["textContent"]):
            raise _invalid("htmlContent or textContent is required when templateId is not passed")
    if message["tags"] is not None and not all(isinstance(tag, str) for tag in message["tags"]):
        raise _invalid("tags must be a list of strings")
    attachments = _optional(payload, "attachment", list, "a list")
    if attachments is not None:
        for item in attachments:
            if not isinstance(item, dict) or not (item.get("url") or (item.get("content") and item.get("name"))):
                raise _invalid("attachment needs a url, or a content and a name")
        message["attachment"] = [{"name": item.get("name"), "url": item.get("url")} for item in attachments]
    return message


def _message_id(now: datetime) -> str:
    return f"<{now:%Y%m%d%H%M%S}.{secrets.randbelow(10**12):012d}@smtp-relay.mailin.fr>"


def idempotency_key(message: Mapping[str, Any]) -> str | None:
    """The send's `headers.idempotencyKey`, if it has one."""
    headers = message.get("headers")
    key = headers.get("idempotencyKey") if isinstance(headers, dict) else None
    return key if isinstance(key, str) and key else None


CUSTOM_HEADER = "X-Mailin-custom"


def webhook_event(
    message: Mapping[str, Any], kind: str, *, email: str | None = None, at: datetime | None = None
) -> dict[str, Any]:
    """The event Brevo's transactional webhook posts about `message` (one of `outbox()`): `email` is the address it
    concerns (the first recipient's unless given), `at` when it happened (now unless given)."""
    moment = at or datetime.now(UTC)
    headers = message.get("headers")
    headers = headers if isinstance(headers, dict) else {}
    custom = next((value for name, value in headers.items() if name.lower() == CUSTOM_HEADER.lower()), None)
    event: dict[str, Any] = {
        "event": kind,
        "email": email if email is not None else message["to"][0]["email"],
        "id": 123456,  # the webhook's id at Brevo
        "date": moment.astimezone(_PARIS).strftime("%Y-%m-%d %H:%M:%S"),  # Brevo's own time zone
        "ts": int(moment.timestamp()),
        "message-id": message["messageId"],
        "ts_event": int(moment.timestamp()),
        "subject": message.get("subject"),
        "tags": list(message.get("tags") or []),
        "ts_epoch": int(moment.timestamp() * 1000),
    }
    if custom is not None:
        event[CUSTOM_HEADER] = custom
    return event


@dataclass(frozen=True)
class Fault:
    """What the failure switch does to one send: answer `status` (None: accept it), `delay` seconds late."""

    status: int | None = 500
    delay: float = 0.0
    reset: int = 1  # x-sib-ratelimit-reset of a 429, in seconds


class Outbox:
    """The messages accepted so far; thread-safe, since the server handles requests concurrently."""

    def __init__(self) -> None:
        self._messages: list[dict[str, Any]] = []
        self._faults: list[Fault] = []  # what happens to the next sends
        self._sent_keys: dict[str, str] = {}  # idempotency key -> messageId
        self._lock = threading.Lock()

    def add(self, message: Mapping[str, Any]) -> str:
        """Keep `message`; its messageId. A repeated idempotency key keeps nothing and answers the first id."""
        now = datetime.now(UTC)
        key = idempotency_key(message)
        with self._lock:
            if key is not None and key in self._sent_keys:
                return self._sent_keys[key]
            message_id = _message_id(now)
            stored = {"messageId": message_id, "date": now.isoformat(timespec="milliseconds").replace("+00:00", "Z")}
            stored.update(message)
            self._messages.append(stored)
            if key is not None:
                self._sent_keys[key] = message_id
        return message_id

    def messages(self) -> list[dict[str, Any]]:
        """Newest first."""
        with self._lock:
            return [dict(message) for message in reversed(self._messages)]

    def clear(self) -> None:
        with self._lock:
            self._messages.clear()
            self._sent_keys.clear()

    def fail_next(self, status: int | None, count: int, *, delay: float = 0.0, reset: int = 1) -> None:
        """The next `count` sends get `Fault(status, delay, reset)`; replaces what was asked before."""
        with self._lock:
            self._faults = [Fault(status, delay, reset)] * count

    def take_fault(self) -> Fault | None:
        with self._lock:
            return self._faults.pop(0) if self._faults else None


def _error_body(status: int) -> dict[str, str]:
    code, message = _ERROR_CODES.get(status, ("internal_error", "Internal server error"))
    return {"code": code, "message": message}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    api_key: str
    outbox: Outbox


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server
    timeout = 60

    def do_POST(self) -> None:
        path = urlsplit(self.path).path
        body = self.rfile.read(int(self.headers.get("content-length") or 0))
        if path == SEND_PATH:
            self._send_email(body)
        elif path == "/_control/fail":
            self._control_fail(body)
        else:
            self._json(404, {"code": "document_not_found", "message": "Not found"})

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        messages = self.server.outbox.messages()
        if url.path == "/outbox.json":
            wanted = [a.lower() for a in parse_qs(url.query).get("to", [])]
            if wanted:
                messages = [m for m in messages if any(c["email"].lower() in wanted for c in m["to"])]
            self._json(200, messages)
        elif url.path in ("/outbox", "/"):
            self._write(200, render_outbox(messages).encode(), "text/html; charset=utf-8")
        else:
            self._json(404, {"code": "document_not_found", "message": "Not found"})

    def do_DELETE(self) -> None:
        if urlsplit(self.path).path == "/outbox":
            self.server.outbox.clear()
            self._write(204, b"", None)
        else:
            self._json(404, {"code": "document_not_found", "message": "Not found"})

    def _send_email(self, body: bytes) -> None:
        key = self.headers.get("api-key")
        if not key or not secrets.compare_digest(key, self.server.api_key):
            self._json(401, {"code": "unauthorized", "message": "Key not found"})
            return
        fault = self.server.outbox.take_fault()
        if fault is not None and fault.status is not None:
            extra = {}
            if fault.status == 429:
                # Brevo's rate-limit headers; the reset is in seconds.
                extra = {
                    "x-sib-ratelimit-limit": "10",
                    "x-sib-ratelimit-remaining": "0",
                    "x-sib-ratelimit-reset": str(fault.reset),
                }
            time.sleep(fault.delay)
            self._json(fault.status, _error_body(fault.status), extra)
            return
        try:
            payload = json.loads(body)
        except (json.JSONDecodeError, UnicodeDecodeError):
            self._json(400, {"code": "bad_request", "message": "Input must be a valid JSON object"})
            return
        try:
            message = validate_send(payload)
        except BrevoError as error:
            self._json(error.status, {"code": error.code, "message": error.message})
            return
        # Accepted (and in the outbox) before a delayed answer: the hard case of a client's timeout.
        message_id = self.server.outbox.add(message)
        if fault is not None:
            time.sleep(fault.delay)
        self._json(201, {"messageId": message_id})

    def _control_fail(self, body: bytes) -> None:
        try:
            spec = json.loads(body or b"{}")
            # Only a delay: the sends succeed, late. Otherwise they fail, with a 500 unless told.
            default_status = None if "delay" in spec and "status" not in spec else 500
            raw_status = spec.get("status", default_status)
            status = None if raw_status is None else int(raw_status)
            count, delay, reset = int(spec.get("count", 1)), float(spec.get("delay", 0)), int(spec.get("reset", 1))
        except (json.JSONDecodeError, AttributeError, TypeError, ValueError):
            self._json(400, {"code": "bad_request", "message": 'expected {"status": 500, "count": 1, "delay": 0}'})
            return
        if (
            (status is not None and not 400 <= status <= 599)
            or count < 0
            or not 0 <= delay <= _MAX_DELAY_S
            or reset < 0
        ):
            message = f"status must be 4xx or 5xx, count >= 0, 0 <= delay <= {_MAX_DELAY_S:.0f}, reset >= 0"
            self._json(400, {"code": "bad_request", "message": message})
            return
        self.server.outbox.fail_next(status, count, delay=delay, reset=reset)
        self._json(200, {"status": status, "count": count, "delay": delay, "reset": reset})

    def _json(self, status: int, payload: Any, headers: Mapping[str, str] | None = None) -> None:
        self._write(status, json.dumps(payload).encode(), "application/json; charset=utf-8", headers)

    def _write(
        self, status: int, body: bytes, content_type: str | None, headers: Mapping[str, str] | None = None
    ) -> None:
        try:
            self.send_response(status)
            if content_type:
                self.send_header("Content-Type", content_type)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up waiting (a delayed answer); nobody is left to tell.
            self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:
        pass


def new_api_key() -> str:
    # The shape of a real key, so code that checks the prefix behaves the same.
    return f"xkeysib-{secrets.token_hex(32)}-{secrets.token_urlsafe(12)}"


class BrevoStandIn:
    """The stand-in on a background thread; port 0 picks a free port."""

    def __init__(self, api_key: str | None = None, host: str = "127.0.0.1", port: int = DEFAULT_PORT) -> None:
        self.api_key = api_key or new_api_key()
        self._address = (host, port)
        self._outbox = Outbox()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        server = _Server(self._address, _Handler)
        server.api_key = self.api_key
        server.outbox = self._outbox
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, args=(0.1,), name="brevo", daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the Brevo stand-in is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def outbox(self) -> list[dict[str, Any]]:
        """The accepted messages, newest first."""
        return self._outbox.messages()

    def clear(self) -> None:
        self._outbox.clear()

    def fail_next(self, status: int, count: int = 1, *, delay: float = 0.0, reset: int = 1) -> None:
        """The next `count` sends answer `status` (after `delay` seconds); a 429 says retry in `reset` s."""
        self._outbox.fail_next(status, count, delay=delay, reset=reset)

    def delay_next(self, seconds: float, count: int = 1) -> None:
        """The next `count` sends are accepted (in the outbox at once) but answered `seconds` late."""
        self._outbox.fail_next(None, count, delay=seconds)

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def __enter__(self) -> BrevoStandIn:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve a local stand-in for Brevo's transactional email API.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get("COLLECTRA_BREVO_PORT", DEFAULT_PORT)))
    parser.add_argument("--api-key", default=os.environ.get("COLLECTRA_BREVO_API_KEY"))
    args = parser.parse_args(argv)
    stand_in = BrevoStandIn(args.api_key, args.host, args.port)
    stand_in.start()
    print(f"Brevo stand-in on {stand_in.url}, outbox {stand_in.url}/outbox", flush=True)
    print(f"api-key: {stand_in.api_key}", flush=True)
    try:
        wait_for_stop_signal()
    finally:
        stand_in.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
