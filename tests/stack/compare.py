"""What two templates deploy differently, in meaning: resources and their properties, each function's effective
environment (Globals merged), and each function's IAM grants with statements expanded to (action, resource,
condition), so that the order of statements, actions and resources, and how they are grouped, do not count.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from local.template import load_template

FUNCTION = "AWS::Serverless::Function"


def differences(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """One line per difference, e.g. `ListDebtsFunction grant - dynamodb:Query on {...}`; empty when equal."""
    found: list[str] = []
    for section in sorted(set(before) | set(after)):
        if section not in ("Resources", "Globals"):
            found += _walk(section, before.get(section), after.get(section))
    found += _walk("Globals", _without_environment(before), _without_environment(after))
    old, new = before.get("Resources") or {}, after.get("Resources") or {}
    for logical_id in sorted(set(old) | set(new)):
        if logical_id not in new or logical_id not in old:
            found.append(f"{logical_id} {'removed' if logical_id in old else 'added'}")
        elif old[logical_id].get("Type") == FUNCTION:
            found += _function(logical_id, before, after)
        else:
            found += _walk(logical_id, old[logical_id], new[logical_id])
    return found


def load(path: str) -> dict[str, Any]:
    return load_template(path)


def grants(resource: Mapping[str, Any]) -> set[tuple[str, str, str, str]]:
    """(effect, action, resource, condition) for every action and resource of every statement; JSON for the rest."""
    expanded = set()
    for policy in (resource.get("Properties") or {}).get("Policies") or []:
        if set(policy) != {"Statement"}:
            raise ValueError(f"only inline statements are compared, not {policy!r}")
        for statement in policy["Statement"]:
            unknown = set(statement) - {"Effect", "Action", "Resource", "Condition", "Sid"}
            if unknown:
                raise ValueError(f"statement keys not compared: {unknown}")
            condition = json.dumps(statement.get("Condition"), sort_keys=True)
            for action in _as_list(statement["Action"]):
                for target in _as_list(statement["Resource"]):
                    expanded.add((statement["Effect"], action, json.dumps(target, sort_keys=True), condition))
    return expanded


def effective_environment(template: Mapping[str, Any], logical_id: str) -> dict[str, Any]:
    shared = ((template.get("Globals") or {}).get("Function") or {}).get("Environment") or {}
    own = (template["Resources"][logical_id]["Properties"].get("Environment")) or {}
    return {**(shared.get("Variables") or {}), **(own.get("Variables") or {})}


def _function(logical_id: str, before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    old, new = before["Resources"][logical_id], after["Resources"][logical_id]
    found = _walk(logical_id, _bare(old), _bare(new))
    old_env, new_env = effective_environment(before, logical_id), effective_environment(after, logical_id)
    for name in sorted(set(old_env) | set(new_env)):
        if old_env.get(name) != new_env.get(name):
            found.append(f"{logical_id} environment {name}: {_text(old_env.get(name))} -> {_text(new_env.get(name))}")
    old_grants, new_grants = grants(old), grants(new)
    found += [f"{logical_id} grant - {_grant(grant)}" for grant in sorted(old_grants - new_grants)]
    found += [f"{logical_id} grant + {_grant(grant)}" for grant in sorted(new_grants - old_grants)]
    return found


def _bare(resource: Mapping[str, Any]) -> dict[str, Any]:
    properties = {k: v for k, v in (resource.get("Properties") or {}).items() if k not in ("Policies", "Environment")}
    return {**resource, "Properties": properties}


def _without_environment(template: Mapping[str, Any]) -> dict[str, Any]:
    function = dict(((template.get("Globals") or {}).get("Function")) or {})
    function.pop("Environment", None)
    return {**(template.get("Globals") or {}), "Function": function}


def _walk(path: str, old: Any, new: Any) -> list[str]:
    if isinstance(old, dict) and isinstance(new, dict):
        keys = sorted(set(old) | set(new))
        return [line for key in keys for line in _walk(f"{path}.{key}", old.get(key), new.get(key))]
    if old != new:
        return [f"{path}: {_text(old)} -> {_text(new)}"]
    return []


def _grant(grant: tuple[str, str, str, str]) -> str:
    effect, action, target, condition = grant
    return f"{effect} {action} on {target}" + ("" if condition == "null" else f" if {condition}")


def _text(value: Any) -> str:
    return "(none)" if value is None else json.dumps(value, sort_keys=True)


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]
