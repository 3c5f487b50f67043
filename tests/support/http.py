"""Drive handlers the way API Gateway does, in this process (local.harness): a browser that keeps its cookies."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from local.harness import Browser as InProcessBrowser
from local.harness import Harness
from local.template import Route, load_template, routes

ROOT = Path(__file__).resolve().parents[2]
# Each browser gets its own source address, so per-address throttling in one test never leaks into another.
_ADDRESSES = (f"100.64.{n // 250}.{n % 250 + 1}" for n in itertools.count())
_session: list[Harness] = []


@contextmanager
def serving(harness: Harness) -> Iterator[Harness]:
    """Make `harness` the one the tests' browsers and queues go through (conftest's emulator does)."""
    _session.append(harness)
    try:
        yield harness
    finally:
        _session.remove(harness)


def harness() -> Harness:
    """The session's harness: the template's functions against its emulator."""
    if not _session:
        raise RuntimeError("no harness: the test needs the `emulator` fixture")
    return _session[-1]


@cache
def template_routes() -> dict[tuple[str, str], Route]:
    return {(route.method, route.path): route for route in routes(load_template(ROOT / "template.yaml"))}


class Browser(InProcessBrowser):
    """A web client of the session's functions, each with a source address of its own."""

    def __init__(self, source_ip: str | None = None) -> None:
        super().__init__(harness(), source_ip or next(_ADDRESSES))
