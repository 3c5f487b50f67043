"""The metric names the code emits, read from its source: what an alarm or the dashboard may watch.

A name is emitted where the code calls `add_metric(name="Logins", ...)` or `single_metric(name=...)`. An f-string
name (`f"Reminder_{outcome}"`) emits its prefix followed by any string the code holds as a literal
("daily_quota", returned by the sender): a suffix that appears nowhere in the code is never emitted.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = (ROOT / "layers/common/collectra", ROOT / "functions")
_EMITTERS = {"add_metric", "single_metric"}


@dataclass(frozen=True)
class Emitted:
    names: frozenset[str]  # emitted as written
    prefixes: frozenset[str]  # f-strings' constant beginnings
    literals: frozenset[str]  # every string literal of the code

    def emits(self, name: str) -> bool:
        if name in self.names:
            return True
        return any(name.startswith(prefix) and name[len(prefix) :] in self.literals for prefix in self.prefixes)


@cache
def emitted_metric_names() -> Emitted:
    names: set[str] = set()
    prefixes: set[str] = set()
    literals: set[str] = set()
    for source in SOURCES:
        for path in sorted(source.rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    literals.add(node.value)
                if isinstance(node, ast.Call) and _called(node) in _EMITTERS:
                    for keyword in node.keywords:
                        if keyword.arg == "name":
                            _read_name(keyword.value, names, prefixes)
    return Emitted(frozenset(names), frozenset(prefixes), frozenset(literals))


def _called(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    if isinstance(call.func, ast.Name):
        return call.func.id
    return None


def _read_name(value: ast.expr, names: set[str], prefixes: set[str]) -> None:
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        names.add(value.value)
    elif isinstance(value, ast.JoinedStr) and value.values:
        first = value.values[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            prefixes.add(first.value)
