"""Plain Python values <-> DynamoDB attribute values.

Numbers are integers only (money is minor units, time is epoch seconds or ISO strings), so there is no
Decimal and no float anywhere in the store. Bytes are Binary (botocore does the base64).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def encode(value: Any) -> dict[str, Any]:
    if value is None:
        return {"NULL": True}
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, int):
        return {"N": str(value)}
    if isinstance(value, str):
        return {"S": value}
    if isinstance(value, bytes):
        return {"B": value}
    if isinstance(value, Mapping):
        return {"M": {str(k): encode(v) for k, v in value.items()}}
    if isinstance(value, list | tuple):
        return {"L": [encode(v) for v in value]}
    if isinstance(value, set | frozenset) and all(isinstance(v, str) for v in value):
        return {"SS": sorted(value)}
    raise TypeError(f"cannot store a {type(value).__name__} in DynamoDB")


def decode(attribute: Mapping[str, Any]) -> Any:
    ((kind, value),) = attribute.items()
    if kind == "S":
        return value
    if kind == "N":
        return int(value)
    if kind == "B":
        return bytes(value)
    if kind == "BOOL":
        return value
    if kind == "NULL":
        return None
    if kind == "M":
        return {k: decode(v) for k, v in value.items()}
    if kind == "L":
        return [decode(v) for v in value]
    if kind == "SS":
        return set(value)
    raise TypeError(f"unexpected DynamoDB type {kind}")


def to_attributes(item: Mapping[str, Any]) -> dict[str, Any]:
    return {name: encode(value) for name, value in item.items()}


def from_attributes(attributes: Mapping[str, Any]) -> dict[str, Any]:
    return {name: decode(value) for name, value in attributes.items()}
