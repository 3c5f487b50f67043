"""Each function's environment: what it needs, from its event, its permission blocks and its own settings.

`needed_environment(function)` is what the function reads. Globals hold the variables every function shares;
a function's own Environment holds the rest of what it needs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from stack.base import (
    ENVIRONMENT,
    POWERTOOLS,
    PUBLIC_BASE_URL,
    PYDANTIC,
    WEB_ORIGIN,
    Setting,
)
from stack.function import Function, Http
from stack.intrinsics import Value

# Every function: which environment it runs in (Stripe's live mode follows it), its logs and metrics, and pydantic's
# plugins (none).
EVERY_FUNCTION = (ENVIRONMENT, *POWERTOOLS, *PYDANTIC)
# Every route: the origins the CSRF check accepts (collectra.http.gate).
EVERY_ROUTE = (WEB_ORIGIN, PUBLIC_BASE_URL)


def needed_environment(function: Function) -> dict[str, Value]:
    """The variables `function` reads: the ones every function has, its route's, its blocks' and its own."""
    route = EVERY_ROUTE if isinstance(function.event, Http) else ()
    blocks = [setting for block in function.permissions for setting in block.settings]
    return _merge(function.name, [*EVERY_FUNCTION, *route, *blocks, *function.settings])


def shared_by_all(functions: Iterable[Function]) -> tuple[Setting, ...]:
    """The settings every one of `functions` needs, in a stable order: what Globals can hold without excess."""
    needs = [needed_environment(function) for function in functions]
    if not needs:
        return ()
    first, *others = needs
    return tuple(Setting(name, value) for name, value in first.items() if all(name in other for other in others))


def own_environment(function: Function, shared: Sequence[Setting]) -> dict[str, Value]:
    """What `function` needs beyond the shared settings (Globals)."""
    globals_ = {setting.variable: setting.value for setting in shared}
    own = {}
    for name, value in needed_environment(function).items():
        if name not in globals_:
            own[name] = value
        elif globals_[name] != value:
            raise ValueError(f"{function.name}: {name} differs from Globals' {name}; a function cannot override it")
    return own


def _merge(where: str, settings: Iterable[Setting]) -> dict[str, Value]:
    merged: dict[str, Value] = {}
    for setting in settings:
        if merged.get(setting.variable, setting.value) != setting.value:
            raise ValueError(f"{where}: {setting.variable} is given two values")
        merged[setting.variable] = setting.value
    return merged
