"""The three CloudFormation intrinsics a declaration needs, as values the generator writes in their short form.

`!Ref`, `!GetAtt` and `!Sub` are the only ones the functions' properties use; anything conditional stays in
the hand-written base.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Ref:
    """`!Ref name`: a parameter's value, or a resource's reference (a queue's URL, a bucket's name)."""

    name: str


@dataclass(frozen=True)
class GetAtt:
    """`!GetAtt resource.attribute`."""

    resource: str
    attribute: str


@dataclass(frozen=True)
class Sub:
    """`!Sub text`, `${Name}` replaced by a parameter's or a resource's value."""

    text: str


# What a property of a generated resource holds: plain YAML values, intrinsics, and lists and maps of them.
Value = Any
