"""Secrets (signing keys, API keys) from AWS Secrets Manager, cached per container for five minutes.

On a laptop the same calls reach the local emulator through AWS_ENDPOINT_URL; nothing here knows.
Powertools' parameters utility would do the same but costs ~80 ms more of every cold start than one
client of our own (measured, docs/decisions.md), so this is the ten lines it would have saved.
"""

from __future__ import annotations

import time
from typing import Any

from collectra import aws

MAX_AGE_SECONDS = 300

_client: Any = None
_cache: dict[str, tuple[float, str]] = {}


def secret(name: str) -> str:
    """The secret string stored under `name`. Rotation reaches a warm container within five minutes."""
    global _client  # noqa: PLW0603 - one client per container
    cached = _cache.get(name)
    if cached and time.monotonic() - cached[0] < MAX_AGE_SECONDS:
        return cached[1]
    if _client is None:
        _client = aws.client("secretsmanager")
    value = _client.get_secret_value(SecretId=name).get("SecretString")
    if not isinstance(value, str) or not value:
        raise RuntimeError(f"secret {name} is empty or not a string")
    _cache[name] = (time.monotonic(), value)
    return value
