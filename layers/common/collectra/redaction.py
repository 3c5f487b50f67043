"""Keeping personal data out of logs: known fields blanked, recognisable values scrubbed wherever they are.

Every log line passes through `scrub_record` before it is written (collectra.observability wires it
into Powertools' formatter), including exception messages and stack traces, which is where an address or
a token would otherwise slip in (a provider's error message quoting the recipient, a validation error
echoing its input). Names and message texts cannot be recognised by their shape, so they are kept out
by construction: fields with those names are blanked, and the code logs ids, never the person.
"""

from __future__ import annotations

import re
from typing import Any

REDACTED = "[redacted]"
# Field names whose values are personal or secret, whatever they hold.
SENSITIVE_FIELDS = frozenset(
    {
        "email",
        "to",
        "name",
        "debtor_name",
        "password",
        "current_password",
        "new_password",
        "token",
        "access_token",
        "refresh_token",
        "csrf_token",
        "message",
        "body",
        "text",
        "html",
        "phone",
        "card",
        "iban",
        "address",
        "cookie",
        "cookies",
        "authorization",
        "api-key",
    }
)
# The log line's own "message" is the code's words (never a person's): it stays.
_KEEP = frozenset({"message"})
_PATTERNS = (
    (re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"), "[email]"),
    (re.compile(r"eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]{8,}"), "[jwt]"),
    (re.compile(r"\bws_[0-9a-z]{26}\.dbt_[0-9a-z]{26}\.[\w-]{16,}"), "[link-token]"),
    (re.compile(r"\b(?:sk|rk|pk)_(?:live|test)_[\w]{6,}|\bwhsec_[\w]{6,}|\bxkeysib-[\w-]{6,}"), "[secret]"),
    (re.compile(r"\b(?:\d[ -]?){13,19}\b"), "[number]"),  # card numbers and long account numbers
)


def scrub_text(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def scrub(value: Any, *, key: str | None = None, top: bool = False) -> Any:
    if key is not None and key.lower() in SENSITIVE_FIELDS and not (top and key in _KEEP):
        return REDACTED if value not in (None, "", [], {}) else value
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, dict):
        return {k: scrub(v, key=str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [scrub(item) for item in value]
    if value is None or isinstance(value, bool | int | float):
        return value
    return scrub_text(str(value))  # an exception or any object the serializer would write as its str()


def scrub_record(record: dict[str, Any]) -> dict[str, Any]:
    """A log record as it may be written: every field scrubbed, sensitive ones blanked."""
    return {key: scrub(value, key=key, top=True) for key, value in record.items()}
