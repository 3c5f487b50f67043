"""The CloudFormation intrinsics a declaration needs, as values the generator writes in their short form.

`!Ref`, `!GetAtt` and `!Sub` are what the functions' properties use, and `!If` on a condition of base.yaml for the
one choice they make at deploy time: which table they use (the stack's own, or a restored one: stack/base.py TABLE).
Conditions themselves stay in the hand-written base.yaml.
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


@dataclass(frozen=True)
class If:
    """`!If [condition, when_true, when_false]`: `condition` is one of base.yaml's Conditions."""

    condition: str
    when_true: Any
    when_false: Any
