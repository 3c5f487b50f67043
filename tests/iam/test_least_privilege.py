"""Least privilege, proved both ways over what this session's handlers did (tests/support/least_privilege.py
records it; these tests run last)."""

from __future__ import annotations

from typing import Any

import pytest

from local.template import load_template
from stack.iam import Decision, Request, applies, decide
from stack.unused_permissions import UNUSED
from tests.support.http import ROOT
from tests.support.least_privilege import Recorder, function_policies

POLICIES = function_policies(load_template(ROOT / "template.yaml"))


def _listed(element: Any) -> list[str]:
    return [str(value) for value in (element if isinstance(element, list) else [element])]


def _context(request: Request) -> str:
    return ", ".join(f"{key}={list(value)}" for key, value in sorted(request.context.items()))


def test_every_call_a_handler_made_is_allowed_by_its_functions_policy(recorded: Recorder) -> None:
    assert not recorded.unknown, "calls the recorder cannot translate:\n" + "\n".join(sorted(recorded.unknown))
    refused = sorted(
        f"{use.function} ({use.call}): {use.request.action} on {use.request.resource} [{_context(use.request)}] "
        f"is {decision.value}"
        for use in recorded.uses
        if (decision := decide(POLICIES.get(use.function, []), use.request)) is not Decision.ALLOWED
    )
    assert not refused, "\n".join(refused)


def _permissions() -> dict[tuple[str, str, str], dict[str, Any]]:
    """Each (function, action, resource) a policy grants, with the condition it is granted under."""
    granted = {}
    for function, statements in POLICIES.items():
        for statement in statements:
            if statement["Effect"] != "Allow":
                continue
            for action in _listed(statement["Action"]):
                for resource in _listed(statement["Resource"]):
                    single = {"Effect": "Allow", "Action": action, "Resource": resource}
                    granted[(function, action, resource)] = single | (
                        {"Condition": statement["Condition"]} if "Condition" in statement else {}
                    )
    return granted


@pytest.mark.whole_suite
def test_every_permission_was_used_or_is_listed_with_its_reason(recorded: Recorder) -> None:
    granted = _permissions()
    used = {
        permission
        for permission, statement in granted.items()
        if any(use.function == permission[0] and applies(statement, use.request) for use in recorded.uses)
    }
    unused = sorted(" ".join(permission) for permission in set(granted) - used - UNUSED.keys())
    stale = sorted(str(entry) for entry in UNUSED if entry not in granted or entry in used)
    assert not unused, "granted, used by no test, not in stack/unused_permissions.py:\n" + "\n".join(unused)
    assert not stale, "stack/unused_permissions.py lists what is not granted, or is used:\n" + "\n".join(stale)
