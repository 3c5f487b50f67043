"""One Lambda cold start: import a handler and serve its first request, in a fresh interpreter.

Run by bench.cold_start with the runtime's Python (only the layer's dependencies installed). Prints one
JSON line: the answer's status, the DynamoDB operations made, and the seconds spent waiting for the
emulator and the Brevo stand-in, which the caller subtracts (the emulator is not what is measured).
"""

import json
import os
import sys
import time

code_dir, layer_dir, module_name, function_name = sys.argv[1:5]
event = json.loads(sys.stdin.read())
waited = [0.0]  # seconds spent waiting for the emulator and the stand-ins
operations: list[str] = []

import urllib.request  # noqa: E402

import botocore.client  # noqa: E402 - patched before the handler creates any client
import botocore.endpoint  # noqa: E402

_send = botocore.endpoint.Endpoint._send
_call = botocore.client.BaseClient._make_api_call
_urlopen = urllib.request.urlopen


def _timed_send(self, request):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    try:
        return _send(self, request)
    finally:
        waited[0] += time.perf_counter() - started


def _counted_call(self, operation, params):  # type: ignore[no-untyped-def]
    if self.meta.service_model.service_name == "dynamodb":
        operations.append(operation)
    return _call(self, operation, params)


def _timed_urlopen(*args, **kwargs):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    try:
        return _urlopen(*args, **kwargs)
    finally:
        waited[0] += time.perf_counter() - started


botocore.endpoint.Endpoint._send = _timed_send
botocore.client.BaseClient._make_api_call = _counted_call
urllib.request.urlopen = _timed_urlopen

sys.path[:0] = [code_dir, layer_dir]
import_started = time.perf_counter()
module = __import__(module_name)
imported = time.perf_counter()
handler = getattr(module, function_name)


class Context:
    function_name = "bench"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:bench"
    aws_request_id = "bench"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 10_000


answer = handler(event, Context())
served = time.perf_counter()
result = {
    "status": answer["statusCode"],
    "dynamodb": operations,
    "waited": waited[0],
    "import": imported - import_started,
    "first_request": served - imported,
    "imports_stripe": any(name == "stripe" or name.startswith("stripe.") for name in sys.modules),
}
# Powertools logs to stdout too: the result line is marked.
print("BENCH-RESULT " + json.dumps(result), flush=True)
# Lambda keeps the process for the next request: tearing the interpreter down is no part of a cold start.
os._exit(0)
