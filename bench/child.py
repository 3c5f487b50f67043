"""One cold Lambda container: import a handler and serve one event, in a fresh interpreter.

    python bench/child.py CODE_DIR LAYER_DIR MODULE FUNCTION [SECONDS_LEFT]   (the event on stdin)

FUNCTION `-` only imports MODULE (a function measured without an event, and the `import boto3` baseline).
sys.path is Lambda's: the function's code (/var/task), the layer's lib/pythonX.Y/site-packages and its root
(/opt/python), then whatever the interpreter has (bench.cold_start runs `python -S`: the standard library only).

Run by bench.cold_start with the runtime's Python on the `sam build` output, and by bench.exports; not through
local.harness, which needs the dev environment and would add its own imports to what is measured. Standard
library only, and nothing imported here that the function would not import itself: the AWS and HTTP calls are
patched as their modules are first imported, by the function. Prints one JSON line: the answer, every AWS call
made ("service:Operation", in order), the seconds spent waiting for the emulator and the Brevo and Stripe
stand-ins (which the caller subtracts: they are not what is measured), the import and first-invocation times,
the process's CPU time (interpreter start-up included), the modules loaded, the peak resident memory, and
whether the invocation hashed or verified a password (argon2: the issue's targets allow those more).

Where the waiting is timed: botocore's `Endpoint._send` (the emulator); `urllib.request.urlopen` (the Brevo
client, and stripe-python's `UrllibClient`, its fallback when `requests` is missing); and urllib3's
`HTTPConnectionPool.urlopen`, through which stripe-python's default client, `RequestsClient`, sends every
request. botocore sends through urllib3 too: only the outermost timed call counts.
"""

import json
import os
import sys
import time
from collections.abc import Callable
from typing import Any

code_dir, layer_dir, module_name, function_name = sys.argv[1:5]
seconds_left = float(sys.argv[5]) if len(sys.argv) > 5 else 10.0
waited = [0.0]  # seconds spent waiting for the emulator and the stand-ins
depth = [0]  # timed calls in progress: one inside another (botocore inside urllib3) is counted once
calls: list[str] = []
hashed = [False]  # whether argon2 hashed or verified a password


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


def _patch_client(module: Any) -> None:
    call = module.BaseClient._make_api_call

    def counted_call(self: Any, operation: str, params: Any) -> Any:
        calls.append(f"{self.meta.service_model.service_name}:{operation}")
        return call(self, operation, params)

    # setattr: botocore's private methods are not in its stubs, and mypy refuses assignments to methods.
    setattr(module.BaseClient, "_make_api_call", counted_call)  # noqa: B010


def _patch_method(attribute: str, method: str) -> Callable[[Any], None]:
    def patch(module: Any) -> None:
        owner = getattr(module, attribute)
        setattr(owner, method, _timed(getattr(owner, method)))

    return patch


def _patch_urlopen(module: Any) -> None:
    module.urlopen = _timed(module.urlopen)


def _patch_password_hasher(module: Any) -> None:
    """Note when the invocation hashes or verifies a password (argon2's PasswordHasher does both)."""
    for method in ("hash", "verify"):
        work = getattr(module.PasswordHasher, method)

        def noted(*args: Any, _work: Callable[..., Any] = work, **kwargs: Any) -> Any:
            hashed[0] = True
            return _work(*args, **kwargs)

        setattr(module.PasswordHasher, method, noted)


class PatchOnImport:
    """A meta path finder that lets the usual finders find a module, then patches it as soon as it has run,
    before whoever imported it can take a name from it."""

    def __init__(self, patches: dict[str, Callable[[Any], None]]) -> None:
        self.patches = patches

    def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
        if name not in self.patches:
            return None
        for finder in sys.meta_path:
            spec = None if finder is self else finder.find_spec(name, path, target)
            if spec is not None and spec.loader is not None:
                # setattr: the loader is this module's own (the finders make one per module found).
                setattr(spec.loader, "exec_module", _then(spec.loader.exec_module, self.patches[name]))  # noqa: B010
                return spec
        return None


def _then(run: Callable[[Any], None], patch: Callable[[Any], None]) -> Callable[[Any], None]:
    def exec_module(module: Any) -> None:
        run(module)
        patch(module)

    return exec_module


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


def _memory_kb(field: str) -> int:
    """VmRSS now, or VmHWM: this process's peak (ru_maxrss would carry the parent's over exec)."""
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(field + ":"))


def _imported(package: str) -> bool:
    return any(name == package or name.startswith(package + ".") for name in sys.modules)


event = None if function_name == "-" else json.loads(sys.stdin.read())
sys.meta_path.insert(
    0,
    PatchOnImport(
        {
            "botocore.client": _patch_client,
            "botocore.endpoint": _patch_method("Endpoint", "_send"),
            "urllib3.connectionpool": _patch_method("HTTPConnectionPool", "urlopen"),
            "urllib.request": _patch_urlopen,
            "argon2._password_hasher": _patch_password_hasher,
        }
    ),
)
python = f"python{sys.version_info.major}.{sys.version_info.minor}"
# Lambda's order; sys.path[0] was this script's directory, which a function does not have.
sys.path[:1] = [code_dir, os.path.join(layer_dir, "lib", python, "site-packages"), layer_dir]
import_started, cpu_started = time.perf_counter(), time.process_time()
module = __import__(module_name)
imported, cpu_imported = time.perf_counter(), time.process_time()
rss_before = _memory_kb("VmRSS")
answer = None if event is None else getattr(module, function_name)(event, Context())
served = time.perf_counter()
result = {
    "answer": answer,
    "calls": calls,
    "waited": waited[0],
    "import": imported - import_started,
    "first_request": served - imported,
    "cpu": time.process_time() - cpu_imported,
    "cpu_import": cpu_imported - cpu_started,
    "cpu_total": time.process_time(),
    "modules": len(sys.modules),
    "rss_before_kb": rss_before,
    "rss_peak_kb": _memory_kb("VmHWM"),
    "imports_stripe": _imported("stripe"),
    "imports_argon2": _imported("argon2"),
    "hashed_password": hashed[0],
}
# Powertools logs to stdout too: the result line is marked.
print("BENCH-RESULT " + json.dumps(result, default=str), flush=True)
# Lambda keeps the process for the next request: tearing the interpreter down is no part of a cold start.
os._exit(0)
