"""Secrets (signing keys, API keys) from AWS Secrets Manager, cached per container for five minutes.

On a laptop the same calls reach the local emulator through AWS_ENDPOINT_URL; nothing here knows.
"""

from __future__ import annotations

_MAX_AGE_SECONDS = 300


def secret(name: str) -> str:
    """The secret string stored under `name`. Rotation reaches a warm container within five minutes."""
    from aws_lambda_powertools.utilities import parameters

    value = parameters.get_secret(name, max_age=_MAX_AGE_SECONDS)
    if not isinstance(value, str) or not value:
        raise RuntimeError(f"secret {name} is empty or not a string")
    return value
