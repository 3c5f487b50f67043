"""Races made likely: threads take turns every few microseconds instead of every 5 ms.

A request handled by one thread rarely loses the interpreter in the middle of a short critical section at
Python's default switch interval, so a race a busy server meets now and then would pass a test most runs.
Inside `frequent_switches()`, interleavings happen in every run, and a test that needs one fails reliably.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

SWITCH_SECONDS = 0.00001


@contextmanager
def frequent_switches() -> Iterator[None]:
    before = sys.getswitchinterval()
    sys.setswitchinterval(SWITCH_SECONDS)
    try:
        yield
    finally:
        sys.setswitchinterval(before)
