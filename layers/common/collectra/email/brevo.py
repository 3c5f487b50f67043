"""A small client for Brevo's `POST /v3/smtp/email` (standard library only: no HTTP dependency to import)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from collectra import config
from collectra.secrets import secret

_TIMEOUT_SECONDS = 5
# A header of our own that Brevo keeps with the message and echoes, as `X-Mailin-custom`, in each webhook event.
REFERENCE_HEADER = "X-Mailin-custom"


@dataclass(frozen=True)
class Message:
    to_email: str
    to_name: str | None
    subject: str
    html: str
    text: str
    sender_email: str
    sender_name: str
    reply_to: str | None = None
    bcc: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    tags: tuple[str, ...] = ()


class EmailRejected(Exception):
    """Brevo refused the message (4xx): sending it again will not help."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code


class EmailUnavailable(Exception):
    """Brevo could not take the message now (5xx, 429, network): it may be retried.

    `retry_after`: the seconds Brevo asked us to wait (its `x-sib-ratelimit-reset` header on a 429).
    """

    def __init__(self, message: str, *, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def recipient_digest(address: str) -> str:
    """What a message's record keeps of its recipient: enough to tell whether a webhook event names that same
    address, without the address itself (a debtor's erasure must find nothing to erase there)."""
    return hashlib.sha256(address.strip().lower().encode()).hexdigest()


def _payload(message: Message) -> dict[str, object]:
    recipient: dict[str, str] = {"email": message.to_email}
    if message.to_name:
        recipient["name"] = message.to_name
    payload: dict[str, object] = {
        "sender": {"name": message.sender_name, "email": message.sender_email},
        "to": [recipient],
        "subject": message.subject,
        "htmlContent": message.html,
        "textContent": message.text,
    }
    if message.reply_to:
        payload["replyTo"] = {"email": message.reply_to}
    if message.bcc:
        payload["bcc"] = [{"email": message.bcc}]
    if message.headers:
        payload["headers"] = message.headers
    if message.tags:
        payload["tags"] = list(message.tags)
    return payload


def send(message: Message) -> str:
    """Send one message; returns Brevo's messageId."""
    import urllib.error  # here, not at the top: most functions that import this module never send
    import urllib.request

    request = urllib.request.Request(  # noqa: S310 - the URL is the configured Brevo API, https in AWS
        f"{config.brevo_api_url().rstrip('/')}/v3/smtp/email",
        data=json.dumps(_payload(message)).encode(),
        method="POST",
        headers={
            "api-key": secret(config.brevo_api_key_secret_name()),
            "content-type": "application/json",
            "accept": "application/json",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=_TIMEOUT_SECONDS) as answer:  # noqa: S310
            return str(json.load(answer).get("messageId", ""))
    except urllib.error.HTTPError as error:
        if error.code == 429 or error.code >= 500:
            reset = error.headers.get("x-sib-ratelimit-reset") if error.headers else None
            wait = int(reset) if reset and reset.isdigit() else None
            raise EmailUnavailable(f"Brevo answered {error.code}", retry_after=wait) from error
        try:
            body = json.load(error)
        except ValueError:
            body = {}
        raise EmailRejected(error.code, str(body.get("code", "")), str(body.get("message", ""))) from error
    except (urllib.error.URLError, TimeoutError) as error:
        raise EmailUnavailable(str(error)) from error
