"""Identifiers: random, URL-safe, and sortable by creation time."""

from __future__ import annotations

import secrets
import time

_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford base32, lower case


def _base32(number: int, length: int) -> str:
    chars = []
    for _ in range(length):
        number, digit = divmod(number, 32)
        chars.append(_ALPHABET[digit])
    return "".join(reversed(chars))


_last: list[int] = [0, 0]  # the millisecond and random part of the previous id of this process


def new_id(prefix: str) -> str:
    """`<prefix>_` + 10 chars of milliseconds + 16 chars (80 bits) of randomness; sorts by creation time.

    Within one process, ids made in the same millisecond still sort in the order they were made (the
    random part is incremented), so a change and its timeline entries come out in order.
    """
    millis = time.time_ns() // 1_000_000
    if millis <= _last[0]:
        millis, randomness = _last[0], (_last[1] + 1) % (1 << 80)
    else:
        randomness = secrets.randbits(80)
    _last[0], _last[1] = millis, randomness
    return f"{prefix}_{_base32(millis, 10)}{_base32(randomness, 16)}"
