"""The CloudFront Function in front of the web app (template.yaml's AppRewriteFunction), run with node against
a table of viewer requests: an app route gets index.html, a file is left alone, /app is redirected to /app/,
and the query string always survives. The API's paths never reach it (see tests/test_template.py); it leaves
them untouched anyway."""

from __future__ import annotations

import json
import shutil
import subprocess
from typing import Any

import pytest

from local.template import load_template
from tests.support.http import ROOT

CODE = load_template(ROOT / "template.yaml")["Resources"]["AppRewriteFunction"]["Properties"]["FunctionCode"]

# The function's source, then: run `handler` on each event read from stdin, print the results as JSON.
HARNESS = """
const events = JSON.parse(require('fs').readFileSync(0, 'utf8'));
console.log(JSON.stringify(events.map((event) => handler(event))));
"""


def query(**values: str | list[str]) -> dict[str, Any]:
    """A querystring as CloudFront Functions give it: {name: {value}} or, repeated, with multiValue."""
    shaped: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, list):
            shaped[name] = {"value": value[0], "multiValue": [{"value": v} for v in value]}
        else:
            shaped[name] = {"value": value}
    return shaped


def event(uri: str, querystring: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "version": "1.0",
        "context": {"eventType": "viewer-request"},
        "viewer": {"ip": "198.51.100.10"},
        "request": {
            "method": "GET",
            "uri": uri,
            "querystring": querystring or {},
            "headers": {"host": {"value": "app.collectra.example"}},
            "cookies": {},
        },
    }


def run(*events: dict[str, Any]) -> list[dict[str, Any]]:
    node = shutil.which("node")
    assert node, "node is needed to run the CloudFront Function"
    result = subprocess.run(
        [node, "-e", CODE + HARNESS], input=json.dumps(events), capture_output=True, text=True, check=True, timeout=30
    )
    outputs: list[dict[str, Any]] = json.loads(result.stdout)
    return outputs


REWRITTEN = [
    ("/app/", "/app/index.html"),
    ("/app/debts/1", "/app/index.html"),
    ("/app/debts/1/", "/app/index.html"),
    ("/app/settings/team", "/app/index.html"),
    ("/app/sign-in", "/app/index.html"),
    ("/app/assets/index-4f3a9c.js", "/app/assets/index-4f3a9c.js"),
    ("/app/assets/index-4f3a9c.css", "/app/assets/index-4f3a9c.css"),
    ("/app/favicon.svg", "/app/favicon.svg"),
    ("/app/index.html", "/app/index.html"),
    ("/app/locales/fr/debts.json", "/app/locales/fr/debts.json"),
    # Not the app's: left as they are (these never reach the function in the distribution).
    ("/auth/me", "/auth/me"),
    ("/debts/1", "/debts/1"),
    ("/p/abc", "/p/abc"),
    ("/application", "/application"),
    ("/", "/"),
]


@pytest.mark.parametrize(("uri", "expected"), REWRITTEN, ids=[uri for uri, _ in REWRITTEN])
def test_app_routes_get_index_html_and_files_are_left_alone(uri: str, expected: str) -> None:
    [result] = run(event(uri))
    assert "statusCode" not in result
    assert result["uri"] == expected


def test_the_query_string_is_kept_when_a_route_is_rewritten() -> None:
    sent = query(token="abc.DEF-123_x")
    [result] = run(event("/app/verify-email", sent))
    assert result["uri"] == "/app/index.html"
    assert result["querystring"] == sent
    assert result["headers"] == {"host": {"value": "app.collectra.example"}}


@pytest.mark.parametrize(
    ("querystring", "location"),
    [
        ({}, "/app/"),
        (query(next="/debts"), "/app/?next=/debts"),
        (query(a="1", b=["2", "3"]), "/app/?a=1&b=2&b=3"),
        (query(flag=""), "/app/?flag"),
    ],
)
def test_app_without_its_slash_is_redirected_permanently_keeping_the_query(
    querystring: dict[str, Any], location: str
) -> None:
    [result] = run(event("/app", querystring))
    assert result["statusCode"] == 308  # as the local gateway answers (local/web_app.py)
    assert result["headers"]["location"] == {"value": location}
