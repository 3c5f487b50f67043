"""Every HTTP answer is counted for its route group (collectra.http.app.entry_point): `ApiRequests`, `Api4xx`,
`Api5xx` and `ApiLatency`, with dimensions `service` and `route_group` only, in an EMF line of their own, whoever
answered (the gate, the resolver, the unexpected-error handler, or nobody because the handler raised). The
request's other metrics keep the `service` dimension alone: the alarms on them read them so."""

from __future__ import annotations

import json
from typing import Any

import pytest

from collectra.http import gate
from tests.conftest import Account
from tests.support.http import Browser, harness

LOGIN = {"email": "nobody@example.com", "password": "not the password"}
FOREIGN = {"origin": "https://forger.example"}  # a cross-site form: the gate refuses it (403) before anything
ROUTE_METRICS = {"ApiRequests", "Api4xx", "Api5xx", "ApiLatency"}


def emf_lines(printed: str) -> list[dict[str, Any]]:
    """The EMF documents Powertools printed (one JSON object a line, with `_aws`)."""
    found = []
    for line in printed.splitlines():
        if line.startswith("{") and '"_aws"' in line:
            found.append(json.loads(line))
    return found


def definition(document: dict[str, Any]) -> dict[str, Any]:
    [metric_directive] = document["_aws"]["CloudWatchMetrics"]
    return dict(metric_directive)


def counted(capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    """The route-group lines printed since the last read, each checked for its shape."""
    lines = []
    for document in emf_lines(capsys.readouterr().out):
        directive = definition(document)
        names = {metric["Name"] for metric in directive["Metrics"]}
        if not names & ROUTE_METRICS:
            continue
        assert names == ROUTE_METRICS, "the four route metrics travel together, with no other"
        assert directive["Namespace"] == "Collectra"
        assert [sorted(dimensions) for dimensions in directive["Dimensions"]] == [["route_group", "service"]]
        assert document["service"] == "collectra"
        units = {metric["Name"]: metric["Unit"] for metric in directive["Metrics"]}
        assert units == {"ApiRequests": "Count", "Api4xx": "Count", "Api5xx": "Count", "ApiLatency": "Milliseconds"}
        lines.append(document)
    return lines


def value(line: dict[str, Any], name: str) -> float:
    """A metric's one value in the line (Powertools writes a list of the values added)."""
    [written] = line[name] if isinstance(line[name], list) else [line[name]]
    return float(written)


def only(lines: list[dict[str, Any]]) -> tuple[str, float, float, float, float]:
    [line] = lines
    return (line["route_group"], *(value(line, name) for name in ("ApiRequests", "Api4xx", "Api5xx", "ApiLatency")))


def test_an_answered_request_counts_once_in_its_group_with_its_latency(
    account: Account, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()

    assert account.browser.call("GET", "/debtors").status == 200

    group, requests, client_errors, server_errors, latency = only(counted(capsys))
    assert (group, requests, client_errors, server_errors) == ("debtors", 1, 0, 0)
    assert 0 < latency < 60_000


def test_a_resolver_4xx_counts_as_4xx(account: Account, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()

    assert account.browser.call("GET", "/debts/deb_0000000000000000000000000").status == 404

    assert only(counted(capsys))[:4] == ("debts", 1, 1, 0)


def test_the_gates_refusals_count_as_4xx(emulator: object, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()

    assert Browser().call("GET", "/workspace").status == 401  # no session: the gate answers
    assert Browser().call("POST", "/auth/login", LOGIN, headers=FOREIGN).status == 403

    lines = counted(capsys)
    assert [(line["route_group"], value(line, "Api4xx"), value(line, "Api5xx")) for line in lines] == [
        ("workspace", 1, 0),
        ("auth", 1, 0),
    ]


def test_a_webhook_with_a_bad_signature_counts_in_its_own_group(
    emulator: object, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()

    answer = Browser().call(
        "POST", "/webhooks/stripe", raw_body='{"id": "evt_1"}', headers={"stripe-signature": "t=1,v1=00"}
    )

    assert answer.status == 400
    assert only(counted(capsys))[:4] == ("stripe_webhook", 1, 1, 0)


def test_an_unexpected_error_counts_as_5xx(account: Account, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()

    with harness().redeployed({"TABLE_NAME": None}, functions=["GetWorkspaceFunction"]):
        assert account.browser.call("GET", "/workspace").status == 500

    assert only(counted(capsys))[:4] == ("workspace", 1, 0, 1)


def test_an_error_no_handler_answers_counts_as_5xx_too(
    account: Account, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(event: dict[str, Any], reads: str | None) -> None:
        raise RuntimeError("the gate itself failed")

    monkeypatch.setattr(gate, "refusal", broken)
    capsys.readouterr()

    # Lambda fails the invocation; API Gateway answers 500 for it.
    with pytest.raises(RuntimeError, match="the gate itself failed"):
        account.browser.call("GET", "/workspace")

    assert only(counted(capsys))[:4] == ("workspace", 1, 0, 1)


def test_the_requests_other_metrics_keep_the_service_dimension_alone(
    emulator: object, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()

    assert Browser().call("POST", "/auth/login", LOGIN, headers=FOREIGN).status == 403

    documents = emf_lines(capsys.readouterr().out)
    [refused] = [document for document in documents if "CsrfRejected" in document]
    # `service` comes from the process's POWERTOOLS_SERVICE_NAME, which Lambda sets and the in-process harness not.
    assert [set(dimensions) - {"service"} for dimensions in definition(refused)["Dimensions"]] == [set()]
    assert "route_group" not in refused
    assert not ROUTE_METRICS & set(refused)
