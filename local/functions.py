"""How a template's function runs locally, whatever invokes it: its worker's spec and environment.

The gateway (HTTP routes) and the event sources (schedules, queues) both build their workers here, so a
function gets the same Lambda-like environment whichever way it is called.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from pathlib import Path

from local.cfn import ACCOUNT_ID, REGION
from local.emulator import CREDENTIALS, aws_environment
from local.lambda_runtime import FunctionSpec
from local.template import LambdaFunction

# Variables of the host a worker keeps (so Python and its locale work); nothing else leaks in.
INHERITED = ("PATH", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")


def layer_dir(path: Path) -> Path:
    # A layer built by SAM (or laid out for it by hand) keeps Python code under python/.
    return path / "python" if (path / "python").is_dir() else path


def sdk_environment(endpoint_url: str | None) -> dict[str, str]:
    """What points a function's AWS SDK at the emulator (dummy credentials without one), and keeps Powertools
    from looking for an X-Ray daemon: not the function's configuration, the same for every function."""
    return {
        **(aws_environment(endpoint_url) if endpoint_url else CREDENTIALS),
        "POWERTOOLS_TRACE_DISABLED": "true",
    }


def worker_environment(
    function: LambdaFunction,
    task_root: Path,
    *,
    endpoint_url: str | None = None,
    environment: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """A worker's complete environment: what Lambda sets, the function's own, the emulator's, `environment`."""
    name = function.function_name or function.logical_id
    lambda_runtime = {
        "AWS_LAMBDA_FUNCTION_NAME": name,
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(function.memory_size),
        "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{name}",
        "AWS_LAMBDA_LOG_STREAM_NAME": time.strftime("%Y/%m/%d/[$LATEST]local", time.gmtime()),
        "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
        "AWS_REGION": REGION,
        "AWS_DEFAULT_REGION": REGION,
        "LAMBDA_TASK_ROOT": str(task_root),
        "_HANDLER": function.handler,
        "TZ": ":UTC",
        "COLLECTRA_LOCAL_FUNCTION_ARN": f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:{name}",
    }
    return {
        **{key: os.environ[key] for key in INHERITED if key in os.environ},
        **lambda_runtime,
        **function.environment,
        **sdk_environment(endpoint_url),
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        **(environment or {}),
    }


def function_spec(
    function: LambdaFunction,
    base_dir: Path,
    *,
    endpoint_url: str | None = None,
    environment: Mapping[str, str] | None = None,
) -> FunctionSpec:
    """How local.lambda_runtime runs `function` of the template in `base_dir`."""
    task_root = (base_dir / function.code_uri).resolve()
    return FunctionSpec(
        logical_id=function.logical_id,
        task_root=task_root,
        handler=function.handler,
        layers=tuple(layer_dir((base_dir / layer).resolve()) for layer in function.layers),
        environment=worker_environment(function, task_root, endpoint_url=endpoint_url, environment=environment),
        timeout=function.timeout,
    )
