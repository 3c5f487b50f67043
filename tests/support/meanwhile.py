"""Another request slipping in at the worst moment, every run: between a function's reads and its write.

Two clicks at once are a race that a test sending them from two threads would win only now and then. Here
the second request is handled whole just before the first one's write reaches AWS (local.harness shows each
call to an observer before it is made), so the first one always meets what the second one wrote.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from local.harness import AwsCall, observing


class Meanwhile[T]:
    """What the request that slipped in answered, once it has run."""

    def __init__(self) -> None:
        self._answers: list[T] = []

    @property
    def answer(self) -> T:
        [answer] = self._answers
        return answer


@contextmanager
def meanwhile[T](function: str, operation: str, action: Callable[[], T]) -> Iterator[Meanwhile[T]]:
    """Within the block, `action` runs once, just before `function` (a logical id) starts its first `operation`
    call (botocore's name: "TransactWriteItems"); the calls the action makes itself do not start it again.
    A block in which the function made no such call fails: the race it was to stage did not happen."""
    ran = Meanwhile[T]()
    started = False

    def before(call: AwsCall) -> None:
        nonlocal started
        if started or call.function != function or call.operation != operation:
            return
        started = True
        ran._answers.append(action())

    with observing(lambda _: None, started=before):
        yield ran
    assert started, f"{function} made no {operation}: nothing slipped in"
