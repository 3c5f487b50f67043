"""A log several threads write to at once (the local gateway's and event sources' workers)."""

from __future__ import annotations

import io
import threading
import time


class Log(io.StringIO):
    def __init__(self) -> None:
        super().__init__()
        self.lock = threading.Lock()

    def write(self, text: str) -> int:
        with self.lock:
            return super().write(text)

    def text(self) -> str:
        with self.lock:
            return self.getvalue()

    def wait_for(self, needle: str, timeout: float = 3.0) -> str:
        """The log once `needle` is in it; fails after `timeout` seconds without it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.text()
            if needle in text:
                return text
            time.sleep(0.02)
        raise AssertionError(f"{needle!r} never logged; log was:\n{self.text()}")
