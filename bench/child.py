"""One cold Lambda container: import a handler and serve one event, in a fresh interpreter.

    python bench/child.py CODE_DIR LAYER_DIR MODULE FUNCTION [SECONDS_LEFT]   (the event on stdin)

Run by bench.cold_start with the runtime's Python (only the layer's dependencies installed) and by
bench.exports; not through local.harness, which needs the dev environment and would add its own imports to
what is measured. Standard library and the layer's dependencies only, for the same reason. Prints one JSON
line: the answer, every AWS call made ("service:Operation", in order), the seconds spent waiting for the
emulator and the Brevo and Stripe stand-ins (which the caller subtracts: they are not what is measured), the
import and first-invocation times, the CPU time and the peak resident memory.

Where the waiting is timed: botocore's `Endpoint._send` (the emulator); `urllib.request.urlopen` (the
Brevo client, and stripe-python's `UrllibClient`, its fallback when `requests` is missing); and urllib3's
`HTTPConnectionPool.urlopen`, through which stripe-python 16.1.0's default client in the runtime
environment, `RequestsClient` (requests is one of stripe's dependencies), sends every request, via
requests' `HTTPAdapter.send`. botocore sends through urllib3 too: only the outermost timed call counts.
urllib3 is already imported by botocore, so patching it here adds nothing to any function's cold start.
"""

import json
import os
import resource
import sys
import time
from collections.abc import Callable
from typing import Any

code_dir, layer_dir, module_name, function_name = sys.argv[1:5]
seconds_left = float(sys.argv[5]) if len(sys.argv) > 5 else 10.0
event = json.loads(sys.stdin.read())
waited = [0.0]  # seconds spent waiting for the emulator and the stand-ins
depth = [0]  # timed calls in progress: one inside another (botocore inside urllib3) is counted once
calls: list[str] = []

import urllib.request  # noqa: E402

import botocore.client  # noqa: E402 - patched before the handler creates any client
import botocore.endpoint  # noqa: E402
import urllib3.connectionpool  # noqa: E402 - imported by botocore already

_call = botocore.client.BaseClient._make_api_call  # type: ignore[attr-defined]


def _timed(function: Callable[..., Any]) -> Callable[..., Any]:
    def timed(*args: Any, **kwargs: Any) -> Any:
        depth[0] += 1
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            depth[0] -= 1
            if depth[0] == 0:
                waited[0] += time.perf_counter() - started

    return timed


def _counted_call(self: Any, operation: str, params: Any) -> Any:
    calls.append(f"{self.meta.service_model.service_name}:{operation}")
    return _call(self, operation, params)


# setattr: botocore's private methods are not in its stubs, and mypy refuses assignments to methods.
endpoint, pool = botocore.endpoint.Endpoint, urllib3.connectionpool.HTTPConnectionPool
setattr(endpoint, "_send", _timed(endpoint._send))  # type: ignore[attr-defined]  # noqa: B010
setattr(botocore.client.BaseClient, "_make_api_call", _counted_call)  # noqa: B010
setattr(pool, "urlopen", _timed(pool.urlopen))  # noqa: B010
urllib.request.urlopen = _timed(urllib.request.urlopen)


def _cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime


def _memory_kb(field: str) -> int:
    """VmRSS now, or VmHWM: this process's peak (ru_maxrss would carry the parent's over exec)."""
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(field + ":"))


class Context:
    """The attributes and method of the Python runtime's context object that code uses."""

    function_name = "bench"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:bench"
    aws_request_id = "bench"

    def __init__(self) -> None:
        self.deadline = time.monotonic() + seconds_left

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.deadline - time.monotonic()) * 1000))


sys.path[:0] = [code_dir, layer_dir]
import_started = time.perf_counter()
module = __import__(module_name)
imported = time.perf_counter()
handler = getattr(module, function_name)
rss_before, cpu_before = _memory_kb("VmRSS"), _cpu()
answer = handler(event, Context())
served = time.perf_counter()
result = {
    "answer": answer,
    "calls": calls,
    "waited": waited[0],
    "import": imported - import_started,
    "first_request": served - imported,
    "cpu": _cpu() - cpu_before,
    "rss_before_kb": rss_before,
    "rss_peak_kb": _memory_kb("VmHWM"),
    "imports_stripe": any(name == "stripe" or name.startswith("stripe.") for name in sys.modules),
}
# Powertools logs to stdout too: the result line is marked.
print("BENCH-RESULT " + json.dumps(result, default=str), flush=True)
# Lambda keeps the process for the next request: tearing the interpreter down is no part of a cold start.
os._exit(0)
