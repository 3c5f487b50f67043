"""Cursor pagination: DynamoDB's LastEvaluatedKey, opaque to the client and checked on the way back.

A cursor only ever continues the list it came from: it names the partition it was read from, and one
that was tampered with or belongs to another list (or another workspace) is refused with 422.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from collectra.errors import InvalidInput

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200

_BAD_CURSOR = "This cursor does not continue this list; start again without it."


def encode_cursor(last_key: dict[str, Any] | None) -> str | None:
    if last_key is None:
        return None
    raw = json.dumps(last_key, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def key_attributes(index: str | None) -> tuple[str, str, tuple[str, ...]]:
    """The partition attribute, sort attribute and every key attribute of a start key on `index`."""
    if index is None:
        return "pk", "sk", ("pk", "sk")
    return f"{index}pk", f"{index}sk", (f"{index}pk", f"{index}sk", "pk", "sk")


def decode_cursor(cursor: str | None, *, index: str | None, partition: str) -> dict[str, Any] | None:
    """The start key encoded in `cursor`, provided it continues the list of `partition` on `index`."""
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        key = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError) as error:
        raise InvalidInput(_BAD_CURSOR, code="invalid_cursor", details=[{"field": "query.cursor"}]) from error
    partition_attribute, _, attributes = key_attributes(index)
    if (
        not isinstance(key, dict)
        or sorted(key) != sorted(attributes)
        or key[partition_attribute] != partition
        or not all(isinstance(value, str) for value in key.values())
    ):
        raise InvalidInput(_BAD_CURSOR, code="invalid_cursor", details=[{"field": "query.cursor"}])
    return key
