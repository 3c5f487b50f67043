"""Least privilege, proved both ways: a pytest plugin that records every AWS call a handler makes in this process,
as IAM would authorize it, for tests/iam/test_least_privilege.py (which runs last) to check against template.yaml.

- Every recorded call must be allowed by its function's policy, conditions included (stack.iam): asserted on
  any run, over what that run's handlers did.
- Every permission (a statement's action on one of its resources) must be used by some test or be listed in
  stack/unused_permissions.py with its reason: asserted only when the whole suite runs (`pytest` with no
  paths, -k, -m, --deselect or --lf of its own, as `make test` runs it), since a partial run uses only part of
  them. Otherwise that test is deselected, and the summary says so.

The calls come from local.harness's observers, with the function that made each; the calls made outside any
invocation (a test setting up or reading back its data) are no function's and are not recorded. Each run writes
what it recorded to .least-privilege/calls.json, to read when a proof fails.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from collectra import aws, secrets
from local.cfn import Resolver
from local.harness import AwsCall, current_function, observe
from local.template import load_template
from stack.iam import ContextValue, Request
from tests.support.aws_calls import Stack, UnknownCall, authorizations

ROOT = Path(__file__).resolve().parents[2]
REPORT = ROOT / ".least-privilege" / "calls.json"
WHOLE_SUITE_ONLY = "whole_suite"
# A test that changes what a handler sends to AWS (e.g. one more operation put in every transaction) records
# calls the function never makes: none of its calls count, either way.
REWRITES_CALLS = "rewrites_aws_calls"


@dataclass(frozen=True)
class Use:
    """One authorization a function's call needed: IAM's request, and which AWS call it came from."""

    function: str
    action: str
    resource: str
    context: tuple[tuple[str, ContextValue], ...]
    call: str  # "dynamodb.TransactWriteItems"

    @classmethod
    def of(cls, function: str, request: Request, call: str) -> Use:
        return cls(function, request.action, request.resource, tuple(sorted(request.context.items())), call)

    @property
    def request(self) -> Request:
        return Request(self.action, self.resource, dict(self.context))


@dataclass
class Recorder:
    stack: Stack
    environment: Callable[[str], Mapping[str, str]]  # a function's own environment, by its logical id
    uses: set[Use] = field(default_factory=set)
    unknown: set[str] = field(default_factory=set)  # calls that could not be translated, and by whom
    _lock: threading.Lock = field(default_factory=threading.Lock)
    paused: bool = False  # while a test that rewrites the calls runs

    def observe(self, service: str, operation: str, params: Mapping[str, Any], function: str | None) -> None:
        if function is None or self.paused:
            return
        try:
            requests = authorizations(service, operation, params, self.stack, self.environment(function))
        except UnknownCall as error:
            with self._lock:
                self.unknown.add(f"{function}: {error}")
            return
        with self._lock:
            self.uses.update(Use.of(function, request, f"{service}.{operation}") for request in requests)

    def record(self, call: AwsCall) -> None:
        """A local.harness observer: every AWS call made in this process, with the function that made it."""
        self.observe(call.service, call.operation, call.params, call.function)

    def report(self) -> dict[str, Any]:
        return {
            "unknown": sorted(self.unknown),
            "uses": sorted(
                (
                    {
                        "function": use.function,
                        "action": use.action,
                        "resource": use.resource,
                        "context": {key: list(value) for key, value in use.context},
                        "call": use.call,
                    }
                    for use in self.uses
                ),
                key=lambda row: json.dumps(row, sort_keys=True),
            ),
        }


def function_policies(template: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Each function's identity-policy statements, as CloudFormation will have resolved them."""
    resolver = Resolver(template)
    policies: dict[str, list[dict[str, Any]]] = {}
    for logical_id, resource in template["Resources"].items():
        if resource.get("Type") != "AWS::Serverless::Function":
            continue
        statements: list[dict[str, Any]] = []
        for policy in resource["Properties"].get("Policies") or []:
            if not isinstance(policy, Mapping) or set(policy) != {"Statement"}:
                raise ValueError(f"{logical_id}: only inline Statement policies are checked, not {policy!r}")
            statements += resolver.resolve(policy["Statement"])
        policies[logical_id] = statements
    return policies


_recorder: Recorder | None = None


def recorder() -> Recorder:
    if _recorder is None:
        raise RuntimeError("the least_privilege plugin is not loaded (tests/conftest.py's pytest_plugins)")
    return _recorder


def _observe_presigned(**event: Any) -> None:
    # A presigned URL is signed locally, without an API call the harness would see; its holder's GET is the
    # function's s3:GetObject all the same. (A real GetObject passes here too: recorded once either way.)
    recorder().observe("s3", event["model"].name, event["params"], current_function.get())


class _CachePerFunction(dict[str, tuple[float, str]]):
    """collectra.secrets' cache, one per function as on Lambda, where each function has containers of its own:
    in one process, a secret read by one function would otherwise be read, and recorded, for no other."""

    def __init__(self) -> None:
        super().__init__()
        self._of: dict[str | None, dict[str, tuple[float, str]]] = {}

    def _own(self) -> dict[str, tuple[float, str]]:
        return self._of.setdefault(current_function.get(), {})

    def get(self, key: str, default: Any = None) -> Any:
        return self._own().get(key, default)

    def __setitem__(self, key: str, value: tuple[float, str]) -> None:
        self._own()[key] = value


def whole_suite(config: pytest.Config) -> bool:
    """Whether this session runs every test `make test` runs: no paths, selection or reruns of its own."""
    option = config.option
    everything = [ROOT / path for path in config.getini("testpaths")]
    return (not config.args or [Path(arg).resolve() for arg in config.args] == everything) and not (
        option.keyword
        or option.markexpr != "not browser"
        or option.deselect
        or getattr(option, "lf", False)
        or getattr(option, "failedfirst", False)
    )


def pytest_configure(config: pytest.Config) -> None:
    global _recorder  # noqa: PLW0603 - one recorder per session, reached by the observers

    def environment(function: str) -> Mapping[str, str]:
        from tests.support.http import harness

        return harness().environment(function)

    _recorder = Recorder(Stack.of(load_template(ROOT / "template.yaml")), environment)
    observe(_recorder.record)
    aws.session().register("before-parameter-build.s3.GetObject", _observe_presigned)
    secrets._cache = _CachePerFunction()
    config.addinivalue_line("markers", f"{WHOLE_SUITE_ONLY}: asserted only when the whole suite runs")
    config.addinivalue_line(
        "markers", f"{REWRITES_CALLS}: changes what handlers send to AWS; its calls are not recorded"
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    recorder().paused = item.get_closest_marker(REWRITES_CALLS) is not None
    try:
        yield
    finally:
        recorder().paused = False


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    proofs = [item for item in items if item.path.name == "test_least_privilege.py"]
    others = [item for item in items if item not in proofs]
    partial = not whole_suite(config)
    deselected = [item for item in proofs if partial and item.get_closest_marker(WHOLE_SUITE_ONLY)]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
    # The proofs read what every other test recorded: they run last.
    items[:] = others + [item for item in proofs if item not in deselected]


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    if not whole_suite(config):
        terminalreporter.write_line("least privilege: unused permissions not asserted (not the whole suite)")


def pytest_sessionfinish(session: pytest.Session) -> None:
    if _recorder is None:
        return
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(json.dumps(_recorder.report(), indent=1))


@pytest.fixture(scope="session")
def recorded() -> Recorder:
    return recorder()
