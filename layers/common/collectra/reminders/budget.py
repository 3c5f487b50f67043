"""Rendering a workspace's own template under a budget: time, loop iterations, text written, sizes of values.

Jinja's sandbox stops a template from reaching Python's internals, but not from working for ever or
building a gigabyte (`{% for a in range(100000) %}{% for b in range(100000) %}`, `{{ 'x' * 1000000000 }}`),
and one such template must not hold back other workspaces' reminders. So every template is rendered inside
`budget()`, by the sandbox's `BudgetedEnvironment` (reminders.sandbox), which spends from the current `Budget`.
What exceeds the budget raises `TemplateRefused` with a reason a business can act on; so does any error
the template raises (`{{ 1/0 }}`, `{{ invoices.x }}`): Jinja's own message, which says what the template asked
for, or else the error's type only, since Python's text can quote a debtor's data.

No Jinja here: the functions that only read a policy import this module (for `TemplateRefused` and the limits)
and never render, and Jinja is a cold start's cost (docs/decisions.md, the code's cold-start levers).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

SECONDS = 0.25  # one message at send time; a save checks every sample under one budget of this
MAX_TEXT = 50_000  # characters in any string or list a template builds, and in each rendered part
MAX_WRITTEN = 200_000  # characters written in all (outputs, `set` blocks, macros), samples included
MAX_ITERATIONS = 20_000  # loop iterations in all
MAX_NUMBER_BITS = 256  # integers up to about 10**77
MAX_WORK = 20_000_000  # an upper bound of the characters a filter or method may produce, checked first
REMOVED_FILTERS = ("format",)  # a width inside a format string cannot be bounded before formatting


class TemplateRefused(Exception):
    """The template cannot be rendered: over its budget, or an error; `reason` says which, with no data."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class Budget:
    """What one render may still spend; its deadline may be an enclosing budget's (a save checks many)."""

    seconds: float
    deadline: float
    iterations: int = 0
    written: int = 0

    def spend(self, *, iterations: int = 0, written: int = 0) -> None:
        self.iterations += iterations
        self.written += written
        if self.iterations > MAX_ITERATIONS:
            raise TemplateRefused(f"the template loops more than {MAX_ITERATIONS} times")
        if self.written > MAX_WRITTEN:
            raise TemplateRefused(f"the template writes more than {MAX_WRITTEN} characters")
        if time.monotonic() > self.deadline:
            raise TemplateRefused(f"the template takes longer than {self.seconds:g} s to render")


_current: ContextVar[Budget | None] = ContextVar("template_budget", default=None)


@contextmanager
def budget(seconds: float = SECONDS) -> Iterator[Budget]:
    """Renders inside spend from a fresh budget, by the earlier of its deadline and any enclosing one's.

    Any error they raise comes out as `TemplateRefused`.
    """
    from jinja2 import TemplateError

    outer = _current.get()
    deadline = time.monotonic() + seconds
    if outer is not None and outer.deadline < deadline:
        seconds, deadline = outer.seconds, outer.deadline
    token = _current.set(Budget(seconds, deadline))
    try:
        yield _current.get() or Budget(seconds, deadline)
    except TemplateRefused:
        raise
    except TemplateError as error:  # Jinja's messages name what the template asked for (`'dict object' has no ...`)
        raise TemplateRefused(f"the template cannot be rendered: {error.message or type(error).__name__}") from error
    except (RecursionError, MemoryError) as error:
        raise TemplateRefused("the template is too deeply nested or too big") from error
    except Exception as error:  # a business's template can raise anything; the reason names its type only
        raise TemplateRefused(f"the template cannot be rendered: {type(error).__name__}") from error
    finally:
        _current.reset(token)


def spending() -> Budget:
    spending = _current.get()
    if spending is None:
        raise RuntimeError("a workspace's template is rendered only inside `budget()`")
    return spending
