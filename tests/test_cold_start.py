"""What a function does while it starts cold (issue 15): each import and each model built there is paid again on
every cold start, so these tests run handlers in fresh interpreters and read what they loaded."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from functools import cache
from typing import Any

from local.template import lambda_functions, load_template
from tests.support.http import ROOT

FUNCTIONS = lambda_functions(load_template(ROOT / "template.yaml"))
LAYER = ROOT / "layers" / "common"
SERVICES = ("dynamodb", "sqs", "s3", "secretsmanager")  # every client collectra makes (collectra.aws)

IMPORT_EVERY_HANDLER_AND_MAKE_EVERY_CLIENT = """
import importlib, json, sys
layer, services, *handlers = sys.argv[1:]
sys.path.insert(0, layer)
ours = set()
for handler in handlers:
    code_dir, module = handler.split(":")
    sys.path.insert(0, code_dir)
    importlib.import_module(module)
    ours.add(module)
from pydantic import BaseModel
def subclasses(model):
    for subclass in model.__subclasses__():
        yield subclass
        yield from subclasses(subclass)
models = {model for model in subclasses(BaseModel) if model.__module__.split(".")[0] in ours | {"collectra"}}
from collectra import aws, store
store.client()
for service in services.split(","):
    aws.client(service)
print(json.dumps({
    "modules": sorted(sys.modules),
    "models": len(models),
    "built": sorted(model.__name__ for model in models if model.__pydantic_complete__),
}))
"""


def fresh_interpreter(script: str, *args: str, environment: dict[str, str] | None = None) -> Any:
    """What `script` prints (JSON), run by a new interpreter of this environment (where boto3 is installed, so
    an import of it would succeed and be seen), with a function's `environment`."""
    environment = {**os.environ, **(environment or {}), "AWS_DEFAULT_REGION": "eu-west-1"}
    done = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, env=environment, check=True
    )
    return json.loads(done.stdout.splitlines()[-1])


@cache
def every_handler_imported() -> Any:
    """What one interpreter loaded and built after importing every function's handler and making every client."""
    handlers = sorted({f"{ROOT / f.code_uri}:{f.handler.rpartition('.')[0]}" for f in FUNCTIONS.values()})
    return fresh_interpreter(IMPORT_EVERY_HANDLER_AND_MAKE_EVERY_CLIENT, str(LAYER), ",".join(SERVICES), *handlers)


def test_no_function_imports_boto3_or_s3transfer_to_make_its_clients() -> None:
    modules = set(every_handler_imported()["modules"])

    assert {"login", "sender", "export_worker", "botocore.client"} <= modules  # every handler, a client made
    assert not {name for name in modules if name.split(".")[0] in {"boto3", "s3transfer"}}


def test_no_model_is_built_before_a_request_uses_it() -> None:
    imported = every_handler_imported()

    assert imported["models"] > 70  # every model of ours, defined
    assert imported["built"] == []  # each built on first use (collectra.models.Model), by the functions that use it


RUN_ONE_INVOCATION = """
import gc, json, sys
code_dir, layer, module_name, event = sys.argv[1:]
sys.path[:0] = [code_dir, layer]
module = __import__(module_name)
seen = {"collecting_while_starting": gc.isenabled()}
if hasattr(module, "record_handler"):  # a queue worker: is garbage collected during its first invocation's work?
    def record_handler(record):
        seen["collecting_during_the_work"] = gc.isenabled()
        raise ValueError("not this message")
    module.record_handler = record_handler
class Context:
    function_name, memory_limit_in_mb, aws_request_id = "test", 512, "test"
    invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:test"
answer = module.handler(json.loads(event), Context())
print(json.dumps({**seen, "answer": answer, "collecting_after": gc.isenabled(), "frozen": gc.get_freeze_count()}))
"""


def first_invocation(logical_id: str, event: dict[str, Any]) -> Any:
    function = FUNCTIONS[logical_id]
    module = function.handler.rpartition(".")[0]
    arguments = (str(ROOT / function.code_uri), str(LAYER), module, json.dumps(event))
    return fresh_interpreter(RUN_ONE_INVOCATION, *arguments, environment=function.environment)


def test_a_route_starts_without_garbage_collection_and_collects_after_its_first_request() -> None:
    event = json.loads((ROOT / "tests/events/http_api_v2.json").read_text())
    event["routeKey"] = event["requestContext"]["routeKey"] = "GET /auth/me"
    event["rawPath"] = event["requestContext"]["http"]["path"] = "/auth/me"
    event["requestContext"]["http"]["method"] = "GET"

    seen = first_invocation("MeFunction", event)  # not signed in: answered without AWS

    assert seen["answer"]["statusCode"] == 401
    assert seen["collecting_while_starting"] is False
    assert seen["collecting_after"] is True
    assert seen["frozen"] > 10_000  # what the start allocated is never scanned again


def test_a_queue_worker_collects_from_its_first_invocation_on() -> None:
    record = {
        "messageId": "m-1",
        "receiptHandle": "r-1",
        "body": json.dumps({"email": "someone@example.com"}),
        "attributes": {"ApproximateReceiveCount": "1", "SentTimestamp": "1795770000000"},
        "messageAttributes": {},
        "md5OfBody": "",
        "eventSource": "aws:sqs",
        "eventSourceARN": "arn:aws:sqs:eu-west-1:123456789012:reset-email",
        "awsRegion": "eu-west-1",
    }

    seen = first_invocation("ResetEmailWorkerFunction", {"Records": [record]})

    assert seen["answer"] == {"batchItemFailures": [{"itemIdentifier": "m-1"}]}
    assert seen["collecting_while_starting"] is False
    assert seen["collecting_during_the_work"] is True  # an invocation may run for minutes: never without collection
    assert seen["collecting_after"] is True


def test_template_rendering_and_password_hashing_are_imported_by_the_requests_that_use_them() -> None:
    modules = set(every_handler_imported()["modules"])

    # Not at import, by any function: a reminder policy's read, a session's refresh never pay for them.
    assert not {name for name in modules if name.split(".")[0] in {"jinja2", "argon2", "zxcvbn"}}
    assert {"collectra.reminders.templates", "collectra.auth.passwords"} <= modules
