"""Waiting for Ctrl-C or SIGTERM, for the `python -m local.*` entry points."""

from __future__ import annotations

import signal
import threading
from types import FrameType


def wait_for_stop_signal() -> int:
    """Block until SIGINT or SIGTERM arrives; returns the signal number. Main thread only."""
    received = threading.Event()
    number = 0

    def stop(signum: int, _frame: FrameType | None) -> None:
        nonlocal number
        number = signum
        received.set()

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        # A timeout keeps the wait responsive to signals on every platform.
        while not received.wait(0.5):
            pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return number
