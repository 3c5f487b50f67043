"""SnapStart on the latency-critical routes: declared on published versions behind an alias, and safe to resume
many environments from one snapshot (nothing unique or connected is made at init; `random` is seeded again)."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from typing import Any

import pytest
from snapshot_restore_py import get_after_restore  # type: ignore[import-untyped]

import stack
from collectra import snapstart
from collectra.store import contention
from local.harness import Harness
from local.template import load_template
from tests.support.http import ROOT

TEMPLATE = load_template(ROOT / "template.yaml")
SNAPPED = sorted(function.logical_id for function in stack.all_functions() if function.snap_start)
# Imports a handler as Lambda's init does, recording every AWS client made and every connection opened meanwhile,
# then prints them with the after-restore hooks registered.
INIT = """
import json, socket, sys
import botocore.client
from snapshot_restore_py import get_after_restore
code_dir, layer_dir, module = sys.argv[1:4]
made, opened = [], []
client_init, connect = botocore.client.BaseClient.__init__, socket.socket.connect
def recorded_client(self, *args, **kwargs):
    made.append(type(self).__name__)
    client_init(self, *args, **kwargs)
def recorded_connect(self, address):
    opened.append(repr(address))
    connect(self, address)
botocore.client.BaseClient.__init__ = recorded_client
socket.socket.connect = recorded_connect
sys.path[:0] = [code_dir, layer_dir]
__import__(module)
hooks = [f"{hook.__module__}.{hook.__name__}" for hook, _, _ in get_after_restore()]
print(json.dumps({"clients": made, "connections": opened, "hooks": hooks}))
"""


def _restored(snapshot: Any) -> None:
    """What Lambda does when it resumes an environment: the snapshot's memory, then the after-restore hooks."""
    random.setstate(snapshot)
    for hook, args, kwargs in get_after_restore():
        hook(*args, **kwargs)


def test_the_latency_critical_routes_resume_from_snapshots() -> None:
    routes = {
        name: resource["Properties"]["Events"]["Http"]["Properties"]
        for name, resource in TEMPLATE["Resources"].items()
        if name in SNAPPED
    }
    assert {f"{event['Method']} {event['Path']}" for event in routes.values()} == {
        "POST /auth/login",
        "GET /auth/me",
        "GET /p/{token}",
    }


@pytest.mark.parametrize("name", SNAPPED)
def test_a_snapshot_is_taken_of_each_published_version_and_its_events_call_the_alias(name: str) -> None:
    properties = TEMPLATE["Resources"][name]["Properties"]
    assert properties["SnapStart"] == {"ApplyOn": "PublishedVersions"}
    # SAM publishes a version on every change of the function's properties, moves the alias to it, and points the
    # HTTP API's integration and invoke permission at the alias rather than at $LATEST (which has no snapshot).
    assert (properties["AutoPublishAlias"], properties["AutoPublishAliasAllProperties"]) == ("live", True)


def test_no_other_function_publishes_versions() -> None:
    others = [
        name
        for name, resource in TEMPLATE["Resources"].items()
        if resource["Type"] == "AWS::Serverless::Function" and name not in SNAPPED
    ]
    assert others
    assert not [
        name for name in others if {"SnapStart", "AutoPublishAlias"} & set(TEMPLATE["Resources"][name]["Properties"])
    ]


def test_environments_restored_from_one_snapshot_draw_different_numbers() -> None:
    assert (snapstart.reseed, (), {}) in get_after_restore()
    snapshot = random.getstate()
    random.setstate(snapshot)
    without_hooks = random.random()
    random.setstate(snapshot)
    assert random.random() == without_hooks  # what every restored environment would draw, were it not seeded again
    draws = []
    for _ in range(2):
        _restored(snapshot)
        draws.append(random.random())
    assert draws[0] != draws[1]


def test_environments_restored_from_one_snapshot_retry_a_conflict_at_different_moments() -> None:
    snapshot = random.getstate()
    pauses = []
    for _ in range(2):
        _restored(snapshot)
        pauses.append(contention.pause_before_retry(3))
    assert pauses[0] != pauses[1]


@pytest.mark.parametrize("name", SNAPPED)
def test_init_makes_no_client_and_opens_no_connection_and_registers_the_hook(name: str) -> None:
    function = Harness(ROOT / "template.yaml").functions[name]
    module = function.handler.rpartition(".")[0]
    environment = {"PATH": os.environ.get("PATH", ""), **function.environment, "AWS_REGION": "eu-west-1"}
    done = subprocess.run(
        [sys.executable, "-c", INIT, str(ROOT / function.code_uri), str(ROOT / "layers/common"), module],
        capture_output=True,
        text=True,
        env=environment,
        check=True,
    )
    init = json.loads(done.stdout.splitlines()[-1])
    assert (init["clients"], init["connections"]) == ([], [])
    assert "collectra.snapstart.reseed" in init["hooks"]
