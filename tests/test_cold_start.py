"""What a function does while it starts cold (issue 15): each import and each model built there is paid again on
every cold start, so these tests run handlers in fresh interpreters and read what they loaded."""

from __future__ import annotations

import json
import os
import subprocess
import sys
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
for handler in handlers:
    code_dir, module = handler.split(":")
    sys.path.insert(0, code_dir)
    importlib.import_module(module)
from collectra import aws, store
store.client()
for service in services.split(","):
    aws.client(service)
print(json.dumps(sorted(sys.modules)))
"""


def fresh_interpreter(script: str, *args: str) -> Any:
    """What `script` prints (JSON), run by a new interpreter of this environment (where boto3 is installed, so
    an import of it would succeed and be seen)."""
    environment = {**os.environ, "AWS_DEFAULT_REGION": "eu-west-1", "POWERTOOLS_TRACE_DISABLED": "true"}
    done = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, env=environment, check=True
    )
    return json.loads(done.stdout.splitlines()[-1])


def test_no_function_imports_boto3_or_s3transfer_to_make_its_clients() -> None:
    handlers = sorted({f"{ROOT / f.code_uri}:{f.handler.rpartition('.')[0]}" for f in FUNCTIONS.values()})

    modules = set(
        fresh_interpreter(IMPORT_EVERY_HANDLER_AND_MAKE_EVERY_CLIENT, str(LAYER), ",".join(SERVICES), *handlers)
    )

    assert {"login", "sender", "export_worker", "botocore.client"} <= modules  # every handler, a client made
    assert not {name for name in modules if name.split(".")[0] in {"boto3", "s3transfer"}}
