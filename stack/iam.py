"""IAM's evaluation of an identity policy, as AWS documents it, for the tests that prove our policies.

`decide(statements, request)` says whether a role whose policies hold `statements` may make `request`:
default deny; an Allow statement that applies allows; a Deny statement that applies wins over any Allow.
A statement applies when its Action (or NotAction), its Resource (or NotResource) and every operator of
its Condition match the request. Within a Condition, blocks, keys and operators are ANDed; the values
listed for one key are ORed.

Condition operators (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html):
String{Equals,NotEquals,Like,NotLike}, Arn{Equals,Like,NotEquals,NotLike}, Bool, Null, each (but Null)
with an `IfExists` suffix, and the set qualifiers `ForAllValues:` and `ForAnyValue:` for multivalued keys
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html):
- a key absent from the request fails a positive operator and satisfies a negated one (`StringNotLike`);
  `IfExists` makes an absent key satisfy any operator;
- `ForAllValues:` is true when every value of the request's key satisfies the operator, so also when the
  key is absent or empty; `ForAnyValue:` when at least one does, so never when the key is absent;
- a negated operator under a set qualifier is negated per request value ("matches none of the policy's").

Anything else in a policy (another operator, policy variables, a Principal) raises `UnsupportedPolicy`:
a policy the evaluator cannot read must fail the proof, never be guessed at.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

# A request's context: a single-valued key holds a string, a multivalued one a tuple (possibly empty).
ContextValue = str | tuple[str, ...]


class UnsupportedPolicy(ValueError):
    """The policy uses IAM language this evaluator does not implement."""


class Decision(enum.Enum):
    ALLOWED = "allowed"
    EXPLICIT_DENY = "explicitly denied"
    IMPLICIT_DENY = "implicitly denied"


@dataclass(frozen=True)
class Request:
    action: str  # "dynamodb:Query"
    resource: str  # the ARN the action is authorized on
    context: Mapping[str, ContextValue] = field(default_factory=dict)


def decide(statements: Iterable[Mapping[str, Any]], request: Request) -> Decision:
    """The decision of an identity policy made of `statements` on `request`."""
    allowed = False
    for statement in statements:
        if not applies(statement, request):
            continue
        effect = statement.get("Effect")
        if effect == "Deny":
            return Decision.EXPLICIT_DENY
        if effect != "Allow":
            raise UnsupportedPolicy(f"Effect must be Allow or Deny, not {effect!r}")
        allowed = True
    return Decision.ALLOWED if allowed else Decision.IMPLICIT_DENY


def applies(statement: Mapping[str, Any], request: Request) -> bool:
    """Whether the statement's Action, Resource and Condition all match the request (its Effect aside)."""
    if "Principal" in statement or "NotPrincipal" in statement:
        raise UnsupportedPolicy("a Principal belongs to resource policies, not to a role's identity policy")
    # Action names are not case-sensitive; ARNs are.
    if not _element_matches(statement, "Action", request.action, case_sensitive=False):
        return False
    if not _element_matches(statement, "Resource", request.resource, case_sensitive=True):
        return False
    return all(
        _operator_holds(operator, key, _values(expected), request.context)
        for operator, keys in (statement.get("Condition") or {}).items()
        for key, expected in keys.items()
    )


def _element_matches(statement: Mapping[str, Any], name: str, value: str, *, case_sensitive: bool) -> bool:
    if name in statement:
        return any(_glob(pattern, case_sensitive).fullmatch(value) for pattern in _values(statement[name]))
    negated = f"Not{name}"
    if negated in statement:
        return not any(_glob(pattern, case_sensitive).fullmatch(value) for pattern in _values(statement[negated]))
    raise UnsupportedPolicy(f"a statement needs {name} or {negated}")


def _values(element: Any) -> tuple[str, ...]:
    items = element if isinstance(element, list | tuple) else [element]
    values = tuple(str(item).lower() if isinstance(item, bool) else str(item) for item in items)
    for value in values:
        if "${" in value:
            raise UnsupportedPolicy(f"policy variables are not evaluated: {value}")
    return values


@cache
def _glob(pattern: str, case_sensitive: bool) -> re.Pattern[str]:
    """IAM's wildcards: `*` any run of characters, `?` any one character; nothing else is special."""
    translated = "".join({"*": ".*", "?": "."}.get(char, re.escape(char)) for char in pattern)
    return re.compile(translated, re.DOTALL if case_sensitive else re.DOTALL | re.IGNORECASE)


def _string_equals(value: str, pattern: str) -> bool:
    return value == pattern


def _string_like(value: str, pattern: str) -> bool:
    return _glob(pattern, True).fullmatch(value) is not None


def _arn_like(value: str, pattern: str) -> bool:
    """ArnEquals and ArnLike alike: each of the six colon-separated parts is matched on its own, with wildcards."""
    actual, wanted = value.split(":", 5), pattern.split(":", 5)
    return len(actual) == len(wanted) == 6 and all(map(_string_like, actual, wanted))


def _bool(value: str, pattern: str) -> bool:
    return value.lower() == pattern.lower()


# operator -> (how one request value compares to one policy value, whether the operator is negated)
_OPERATORS = {
    "StringEquals": (_string_equals, False),
    "StringNotEquals": (_string_equals, True),
    "StringLike": (_string_like, False),
    "StringNotLike": (_string_like, True),
    "ArnEquals": (_arn_like, False),
    "ArnLike": (_arn_like, False),
    "ArnNotEquals": (_arn_like, True),
    "ArnNotLike": (_arn_like, True),
    "Bool": (_bool, False),
}
_QUALIFIERS = ("ForAllValues", "ForAnyValue")


def _lookup(context: Mapping[str, ContextValue], key: str) -> ContextValue | None:
    # Condition key names are not case-sensitive.
    wanted = key.lower()
    return next((value for name, value in context.items() if name.lower() == wanted), None)


def _operator_holds(operator: str, key: str, expected: Sequence[str], context: Mapping[str, ContextValue]) -> bool:
    qualifier, _, name = operator.rpartition(":")
    if qualifier and qualifier not in _QUALIFIERS:
        raise UnsupportedPolicy(f"unknown set qualifier {qualifier}")
    actual = _lookup(context, key)
    if name == "Null":
        if qualifier or set(expected) - {"true", "false"}:
            raise UnsupportedPolicy("Null takes true or false and no set qualifier")
        absent = actual is None or actual == ()
        return any(absent == (value == "true") for value in expected)
    if_exists = name.endswith("IfExists")
    base = name.removesuffix("IfExists")
    if base not in _OPERATORS:
        raise UnsupportedPolicy(f"condition operator {operator} is not evaluated")
    compare, negated = _OPERATORS[base]

    def holds_for(value: str) -> bool:
        matched = any(compare(value, pattern) for pattern in expected)
        return matched != negated

    if qualifier:
        if if_exists:
            raise UnsupportedPolicy(f"{operator}: IfExists under a set qualifier is not evaluated")
        values = () if actual is None else (actual,) if isinstance(actual, str) else actual
        if qualifier == "ForAllValues":
            return all(map(holds_for, values))
        return any(map(holds_for, values))
    if actual is None:
        return if_exists or negated
    if not isinstance(actual, str):
        # AWS: a multivalued key needs a set qualifier; without one the outcome is not documented.
        raise UnsupportedPolicy(f"{operator} on the multivalued key {key} needs ForAllValues or ForAnyValue")
    return holds_for(actual)
