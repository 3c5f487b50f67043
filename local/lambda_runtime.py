"""Lambda-like execution of handlers: long-lived worker processes, one invocation at a time each.

A worker is a container: it pays the import cost once (a cold start) and keeps module state (clients,
caches) between invocations. A function gets another worker only when all of its workers are busy,
up to a cap, as Lambda scales out under concurrency.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

_WORKER_SCRIPT = str(Path(__file__).with_name("worker.py"))
# Lambda allows 10 s of init; a laptop under load (or a first run compiling .pyc files) needs more.
_INIT_TIMEOUT_S = 30.0
# Time for the round trip through the pipes on top of the function's own timeout.
_TIMEOUT_MARGIN_S = 0.5
_EOF = None

LogSink = Callable[[str], None]


class InvocationError(Exception):
    """The function did not return a result: it raised, timed out, crashed, or failed to initialise."""


@dataclass(frozen=True)
class FunctionSpec:
    logical_id: str
    task_root: Path
    handler: str
    layers: tuple[Path, ...] = ()
    environment: Mapping[str, str] = field(default_factory=dict)  # the worker's complete environment
    timeout: int = 3


class Worker:
    """One worker process. Not thread-safe: FunctionPool hands it to one request at a time."""

    def __init__(self, spec: FunctionSpec, log: LogSink) -> None:
        self.spec = spec
        self._log = log
        self._process: subprocess.Popen[str] | None = None
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._lock = threading.Lock()
        self._killed = False
        self.init_ms: float | None = None

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    @property
    def alive(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self) -> None:
        config = {
            "task_root": str(self.spec.task_root),
            "handler": self.spec.handler,
            "layers": [str(layer) for layer in self.spec.layers],
        }
        with self._lock:
            if self._killed:
                # Killed by a closing pool before it got going: starting now would leave an orphan.
                raise InvocationError("the gateway is stopping")
            self._process = subprocess.Popen(
                [sys.executable, "-I", _WORKER_SCRIPT, json.dumps(config)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=dict(self.spec.environment),
                cwd=self.spec.task_root,
                text=True,
                encoding="utf-8",
                errors="backslashreplace",
                # Its own session, so a terminal's Ctrl-C reaches only the gateway, which then stops
                # the workers, and so that kill() can take down whatever a handler spawned.
                start_new_session=True,
            )
        self._pump(self._process.stdout, self._lines.put, lambda: self._lines.put(_EOF))
        self._pump(self._process.stderr, self._log_line, lambda: None)
        ready = self._next_message(_INIT_TIMEOUT_S, "init")
        if not ready.get("ready"):
            self.kill()
            raise InvocationError(f"{self.spec.logical_id} failed to initialise")
        self.init_ms = float(ready.get("init_ms", 0.0))

    def invoke(self, event: Mapping[str, Any], request_id: str) -> Any:
        if self._process is None or self._process.stdin is None:
            raise InvocationError("worker not started")
        deadline_ms = int((time.time() + self.spec.timeout) * 1000)
        request = {"event": event, "context": {"aws_request_id": request_id, "deadline_ms": deadline_ms}}
        try:
            self._process.stdin.write(json.dumps(request) + "\n")
            self._process.stdin.flush()
        except (BrokenPipeError, ValueError) as exc:
            self.kill()
            raise InvocationError(f"{self.spec.logical_id} worker is gone") from exc
        response = self._next_message(self.spec.timeout + _TIMEOUT_MARGIN_S, "invoke", request_id)
        if not response.get("ok"):
            error = response.get("error") or {}
            raise InvocationError(f"{error.get('errorType')}: {error.get('errorMessage')}")
        return response.get("result")

    def kill(self) -> None:
        with self._lock:
            self._killed = True
            process = self._process
        if process is None:
            return
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        if process.stdin is not None:
            with contextlib.suppress(BrokenPipeError):
                process.stdin.close()

    def _next_message(self, timeout: float, phase: str, request_id: str = "") -> dict[str, Any]:
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            self.kill()
            self._log_line(f"{request_id} Task timed out after {timeout:.2f} seconds ({phase})")
            raise InvocationError(f"{self.spec.logical_id} timed out") from None
        if line is _EOF:
            self.kill()
            raise InvocationError(f"{self.spec.logical_id} worker exited during {phase}")
        message: dict[str, Any] = json.loads(line)
        return message

    def _log_line(self, line: str) -> None:
        self._log(f"[{self.spec.logical_id}] {line.rstrip()}")

    @staticmethod
    def _pump(stream: IO[str] | None, sink: Callable[[str], None], at_eof: Callable[[], None]) -> None:
        if stream is None:
            raise InvocationError("worker started without pipes")

        def run() -> None:
            with stream:
                for line in stream:
                    sink(line)
            at_eof()

        threading.Thread(target=run, daemon=True).start()


class FunctionPool:
    """The warm workers of one function, each serving one invocation at a time."""

    def __init__(self, spec: FunctionSpec, log: LogSink, max_workers: int = 4) -> None:
        self.spec = spec
        self._log = log
        self._max_workers = max_workers
        self._workers: list[Worker] = []
        self._idle: list[Worker] = []
        self._changed = threading.Condition()
        self._closed = False

    def invoke(self, event: Mapping[str, Any]) -> Any:
        worker, cold = self._acquire()
        request_id = str(uuid.uuid4())
        started = time.perf_counter()
        healthy = False
        try:
            if cold:
                worker.start()
            result = worker.invoke(event, request_id)
            healthy = True
            return result
        finally:
            self._report(worker, request_id, started, cold)
            self._release(worker, healthy or worker.alive)

    def pids(self) -> list[int]:
        with self._changed:
            return [w.pid for w in self._workers if w.pid is not None and w.alive]

    def close(self) -> None:
        with self._changed:
            self._closed = True
            workers = list(self._workers)
            self._workers.clear()
            self._idle.clear()
            self._changed.notify_all()
        for worker in workers:
            worker.kill()

    def _acquire(self) -> tuple[Worker, bool]:
        with self._changed:
            while True:
                if self._closed:
                    raise InvocationError("the gateway is stopping")
                if self._idle:
                    # The most recently used worker first, as Lambda tends to reuse the warmest one.
                    return self._idle.pop(), False
                if len(self._workers) < self._max_workers:
                    worker = Worker(self.spec, self._log)
                    self._workers.append(worker)
                    return worker, True
                self._changed.wait()

    def _release(self, worker: Worker, keep: bool) -> None:
        with self._changed:
            if keep and not self._closed and worker in self._workers:
                self._idle.append(worker)
            else:
                if worker in self._workers:
                    self._workers.remove(worker)
                worker.kill()
            self._changed.notify()

    def _report(self, worker: Worker, request_id: str, started: float, cold: bool) -> None:
        duration = (time.perf_counter() - started) * 1000
        init = f"\tInit Duration: {worker.init_ms:.2f} ms" if cold and worker.init_ms is not None else ""
        self._log(f"[{self.spec.logical_id}] REPORT RequestId: {request_id}\tDuration: {duration:.2f} ms{init}")


class LambdaRuntime:
    """All functions' pools; created lazily, one per function, on its first invocation."""

    def __init__(self, log: LogSink, max_workers_per_function: int = 4) -> None:
        self._log = log
        self._max_workers = max_workers_per_function
        self._pools: dict[str, FunctionPool] = {}
        self._lock = threading.Lock()
        self._closed = False

    def invoke(self, spec: FunctionSpec, event: Mapping[str, Any]) -> Any:
        with self._lock:
            if self._closed:
                raise InvocationError("the gateway is stopping")
            pool = self._pools.get(spec.logical_id)
            if pool is None:
                pool = self._pools[spec.logical_id] = FunctionPool(spec, self._log, self._max_workers)
        return pool.invoke(event)

    def pids(self) -> list[int]:
        with self._lock:
            pools = list(self._pools.values())
        return [pid for pool in pools for pid in pool.pids()]

    def close(self) -> None:
        with self._lock:
            self._closed = True
            pools = list(self._pools.values())
        for pool in pools:
            pool.close()
