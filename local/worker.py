"""One Lambda execution environment: imports a handler once, then serves invocations one at a time.

Run as a script by local.lambda_runtime (never imported by it), with `python -I`, so that sys.path holds
only what Lambda's would: the function's code, its layers, and the runtime's site-packages. Standard
library only, for the same reason.

Protocol: one JSON line in (`{"event": ..., "context": {...}}`), one JSON line out (`{"ok": true,
"result": ...}` or `{"ok": false, "error": {...}}`), after a first `{"ready": ...}` line that ends the
init phase. Handler output on stdout would corrupt that channel, so the protocol gets private copies
of fds 0 and 1 and the handler's stdin/stdout are rebound to /dev/null and stderr (the function's log).
"""

from __future__ import annotations

import decimal
import importlib
import io
import json
import os
import signal
import sys
import time
import traceback
from collections.abc import Callable
from typing import IO, Any

Handler = Callable[[Any, Any], Any]


class LambdaContext:
    """The attributes and method of the Python runtime's context object that code actually uses."""

    def __init__(self, aws_request_id: str, deadline_ms: int) -> None:
        env = os.environ
        self.function_name = env.get("AWS_LAMBDA_FUNCTION_NAME", "")
        self.function_version = env.get("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        self.memory_limit_in_mb = int(env.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128"))
        self.invoked_function_arn = env.get("COLLECTRA_LOCAL_FUNCTION_ARN", "")
        self.log_group_name = env.get("AWS_LAMBDA_LOG_GROUP_NAME", "")
        self.log_stream_name = env.get("AWS_LAMBDA_LOG_STREAM_NAME", "")
        self.aws_request_id = aws_request_id
        self.identity = None
        self.client_context = None
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self) -> int:
        return max(0, self._deadline_ms - int(time.time() * 1000))


def _json_default(value: Any) -> Any:
    # The Lambda runtime serialises Decimal (what boto3's DynamoDB resource returns) as a number.
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _error(exc: BaseException, error_type: str | None = None) -> dict[str, Any]:
    return {
        "errorType": error_type or type(exc).__name__,
        "errorMessage": str(exc),
        "stackTrace": traceback.format_exception(exc),
    }


def _log_error(error: dict[str, Any]) -> None:
    # The same shape Lambda writes to CloudWatch, so a failing handler is diagnosed the same way.
    print(f"[ERROR] {error['errorType']}: {error['errorMessage']}", file=sys.stderr)
    print("".join(error["stackTrace"]).rstrip(), file=sys.stderr, flush=True)


def _take_protocol_channel() -> tuple[IO[str], IO[str]]:
    requests = os.fdopen(os.dup(0), "r", encoding="utf-8")
    responses = os.fdopen(os.dup(1), "w", encoding="utf-8")
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.dup2(2, 1)
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(line_buffering=True)
    return requests, responses


def _load_handler(task_root: str, layers: list[str], handler: str) -> Handler:
    sys.path[:0] = [task_root, *layers]
    module_name, _, function_name = handler.rpartition(".")
    module = importlib.import_module(module_name)
    function: Handler = getattr(module, function_name)
    return function


def _invoke(function: Handler, request: dict[str, Any]) -> dict[str, Any]:
    context = LambdaContext(request["context"]["aws_request_id"], request["context"]["deadline_ms"])
    try:
        result = function(request["event"], context)
    except Exception as exc:
        error = _error(exc)
        _log_error(error)
        return {"ok": False, "error": error}
    try:
        json.dumps(result, default=_json_default)
    except (TypeError, ValueError) as exc:
        error = _error(exc, "Runtime.MarshalError")
        _log_error(error)
        return {"ok": False, "error": error}
    return {"ok": True, "result": result}


def main() -> None:
    # The gateway decides when workers stop; a terminal's Ctrl-C must not kill them mid-request.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    config = json.loads(sys.argv[1])
    requests, responses = _take_protocol_channel()
    os.chdir(config["task_root"])
    started = time.perf_counter()
    try:
        function = _load_handler(config["task_root"], config["layers"], config["handler"])
    except Exception as exc:
        error = _error(exc, "Runtime.ImportModuleError")
        _log_error(error)
        responses.write(json.dumps({"ready": False, "error": error}) + "\n")
        responses.flush()
        return
    init_ms = (time.perf_counter() - started) * 1000
    responses.write(json.dumps({"ready": True, "init_ms": init_ms}) + "\n")
    responses.flush()
    for line in requests:
        response = _invoke(function, json.loads(line))
        responses.write(json.dumps(response, default=_json_default) + "\n")
        responses.flush()


if __name__ == "__main__":
    main()
