"""The Jinja environment a workspace's template is rendered by: the sandbox, spending from the current budget.

`BudgetedEnvironment` uses the sandbox's own hooks to check the `Budget` (reminders.budget) before anything can
grow:
- every call, attribute, item and arithmetic operation (the sandbox's hooks) and every loop iteration and
  every piece of text written (the template's `for` iterables and outputs are wrapped when it is parsed)
  spends from the budget and checks its deadline, so even a template that only loops is stopped in time;
- an operation that would build a big value is refused before it runs (`'x' * n`, `n ** m`, a filter or
  method asked for a huge width or replacement), and any text or list it returns is checked after;
- constant folding at compile time is off (the optimiser would run `'x' * n` while parsing).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from jinja2 import StrictUndefined, nodes
from jinja2.sandbox import SandboxedEnvironment
from jinja2.visitor import NodeTransformer

from collectra.reminders.budget import (
    MAX_ITERATIONS,
    MAX_NUMBER_BITS,
    MAX_TEXT,
    MAX_WORK,
    REMOVED_FILTERS,
    TemplateRefused,
    spending,
)


def _size(value: Any) -> int:
    if isinstance(value, bool):
        return 1
    if isinstance(value, int):
        return abs(value)
    if isinstance(value, (str, list, tuple, dict, range, set, frozenset)):
        return len(value)
    return 1


def _checked(value: Any) -> Any:
    """A value a template built: refused when it is too big to be a reminder's."""
    if isinstance(value, (str, list, tuple, dict)) and len(value) > MAX_TEXT:
        raise TemplateRefused(f"the template builds a value longer than {MAX_TEXT}")
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_NUMBER_BITS:
        raise TemplateRefused("the template builds a number too large")
    return value


def _materialised(value: Any) -> Any:
    """An iterator argument as a list (bounded), so its size can be weighed before the call runs."""
    if isinstance(value, Iterator):
        items = []
        for item in value:
            items.append(item)
            spending().spend(iterations=1)
        return items
    return value


def _weighed(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Refuse a call whose result could be huge: the product of its arguments' sizes bounds what it makes."""
    work = 1
    for value in (*args, *kwargs.values()):
        work *= max(1, _size(value))
        if work > MAX_WORK:
            raise TemplateRefused("the template asks a filter or method for too big a result")


def _guarded_filter(run: Callable[..., Any]) -> Callable[..., Any]:
    # The filtered value counts by its length (a number there is a value, not a width); the arguments after it
    # by their size. A filter that wants the context, environment or evaluation context gets it first.
    value_at = 1 if getattr(run, "jinja_pass_arg", None) is not None else 0

    @functools.wraps(run)  # keeps `jinja_pass_arg`, so Jinja still passes the context where a filter wants it
    def guarded(*args: Any, **kwargs: Any) -> Any:
        spending().spend()
        args = tuple(_materialised(value) for value in args)
        value = args[value_at] if len(args) > value_at else None
        _weighed((0 if isinstance(value, int) else value, *args[value_at + 1 :]), kwargs)
        return _checked(_materialised(run(*args, **kwargs)))

    return guarded


class _Wrapped(NodeTransformer):
    """Each loop's iterable and each written piece of text passes through the environment's meter."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)
        node.iter = nodes.Call(nodes.EnvironmentAttribute("iterated"), [node.iter], [], None, None, lineno=node.lineno)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)  # `a ~ b`: the length is weighed before the text is joined
        return nodes.Call(nodes.EnvironmentAttribute("joined"), node.nodes, [], None, None, lineno=node.lineno)

    def visit_Output(self, node: nodes.Output) -> nodes.Node:
        self.generic_visit(node)
        node.nodes = [
            nodes.Call(
                nodes.EnvironmentAttribute("written"),
                [nodes.Const(child.data) if isinstance(child, nodes.TemplateData) else child],
                [],
                None,
                None,
                lineno=child.lineno,
            )
            for child in node.nodes
        ]
        return node


class BudgetedEnvironment(SandboxedEnvironment):
    """The sandbox, spending from the current `Budget` at each of its hooks (render inside `budget()`)."""

    intercepted_binops = frozenset({"*", "**", "+", "%", "//", "/"})

    def __init__(self) -> None:
        super().__init__(autoescape=False, undefined=StrictUndefined, keep_trailing_newline=True, optimized=False)
        for name in REMOVED_FILTERS:
            self.filters.pop(name, None)
        self.filters = {name: _guarded_filter(run) for name, run in self.filters.items()}
        self.globals["range"] = self.bounded_range

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        _Wrapped().visit(tree)  # in place: the template node itself is kept
        return tree

    # ------------------------------------------------ what the parsed template calls
    def iterated(self, iterable: Iterable[Any]) -> Iterator[Any]:
        for item in iterable:
            spending().spend(iterations=1)
            yield item

    def written(self, value: Any) -> Any:
        spending().spend(written=len(str(value)))
        return value

    def joined(self, *parts: Any) -> str:
        texts = [str(part) for part in parts]
        if sum(len(text) for text in texts) > MAX_TEXT:
            raise TemplateRefused(f"the template builds a value longer than {MAX_TEXT}")
        return "".join(texts)

    def bounded_range(self, *args: int) -> range:
        numbers = range(*args)
        if len(numbers) > MAX_ITERATIONS:
            raise TemplateRefused(f"the template asks for a range longer than {MAX_ITERATIONS}")
        return numbers

    # ------------------------------------------------ the sandbox's hooks
    def call(self, context: Any, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        spending().spend()
        receiver = getattr(obj, "__self__", None)
        if receiver is self:  # the meters the parsed template calls: they weigh what they are given themselves
            return obj(*args)  # (Jinja adds `_loop_vars` and `_block_vars` for macros; they take none)
        args = tuple(_materialised(value) for value in args)
        # 'x'.ljust(n), s.replace(a, b), sep.join(items): the text's length times the arguments' sizes
        _weighed((receiver, *args) if isinstance(receiver, str) else args, kwargs)
        return _checked(super().call(context, obj, *args, **kwargs))

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """`str.format` and `format_map`: a width inside the format string cannot be bounded before it runs."""
        if super().wrap_str_format(value) is None:
            return None

        def refused(*args: Any, **kwargs: Any) -> str:
            raise TemplateRefused("the template uses str.format, which is not available")

        return refused

    def getattr(self, obj: Any, attribute: str) -> Any:
        spending().spend()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        spending().spend()
        return super().getitem(obj, argument)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        spending().spend()
        if operator == "*":
            _refuse_big_product(left, right)
        elif operator == "**":
            _refuse_big_power(left, right)
        elif operator == "%" and isinstance(left, str):
            raise TemplateRefused("the template formats text with %, which is not available")
        return _checked(super().call_binop(context, operator, left, right))


def _refuse_big_product(left: Any, right: Any) -> None:
    if isinstance(left, int) and isinstance(right, int):
        if left.bit_length() + right.bit_length() > MAX_NUMBER_BITS:
            raise TemplateRefused("the template builds a number too large")
        return
    count, sized = (left, right) if isinstance(left, int) else (right, left)
    if isinstance(count, int) and isinstance(sized, (str, list, tuple)) and len(sized) * count > MAX_TEXT:
        raise TemplateRefused(f"the template builds a value longer than {MAX_TEXT}")


def _refuse_big_power(base: Any, exponent: Any) -> None:
    whole = isinstance(base, int) and isinstance(exponent, int) and abs(base) > 1 and exponent > 0
    if whole and math.log2(abs(base)) * exponent > MAX_NUMBER_BITS:
        raise TemplateRefused("the template builds a number too large")
    if isinstance(exponent, (int, float)) and abs(exponent) > MAX_NUMBER_BITS:
        raise TemplateRefused("the template builds a number too large")
