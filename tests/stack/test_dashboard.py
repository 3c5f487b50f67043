"""The dashboard of template.yaml shows what is there to see: its body is valid JSON once CloudFormation has put this
stack's names in, every Collectra metric it draws is one the code emits, every AWS metric is about a resource of
this stack, and the cost graphs count every function of the stack at its own memory; within CloudWatch's limits."""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

import pytest

from collectra.http import route_groups
from local.template import load_template
from stack import BASE, CATALOGUE, all_functions, dashboard, shared_by_all
from stack.render import generate
from tests.support.emitted_metrics import emitted_metric_names
from tests.support.http import ROOT

TEMPLATE = load_template(str(ROOT / "template.yaml"))
RESOURCES: dict[str, Any] = TEMPLATE["Resources"]
FUNCTIONS = {name: r["Properties"] for name, r in RESOURCES.items() if r["Type"] == "AWS::Serverless::Function"}
GLOBAL_MEMORY = TEMPLATE["Globals"]["Function"]["MemorySize"]
# The contract's route-group metrics (docs/operations.md): the dashboard may show them before the code emits them.
ROUTE_METRICS = {"ApiRequests", "Api4xx", "Api5xx", "ApiLatency"}
ROUTE_GROUPS = {"auth", "workspace", "debtors", "debts", "plans", "pages", "stripe_webhook", "brevo_webhook"}
DIMENSION_TYPES = {
    "FunctionName": "AWS::Serverless::Function",
    "QueueName": "AWS::SQS::Queue",
    "TableName": "AWS::DynamoDB::Table",
    "ApiId": "AWS::Serverless::HttpApi",
}
_VARIABLE = re.compile(r"\$\{([^}!]+)\}")


def _substituted(text: str) -> str:
    """The body as CloudFormation hands it to CloudWatch: each `${Name}` or `${Name.Attribute}` replaced by a
    value; a name that is not a parameter, a pseudo parameter or a resource of this template fails the test."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1).split(".")[0]
        assert name.startswith("AWS::") or name in RESOURCES or name in TEMPLATE["Parameters"], name
        return f"<{match.group(1)}>"

    return _VARIABLE.sub(value, text)


def _body() -> dict[str, Any]:
    resource = RESOURCES[dashboard.LOGICAL_ID]
    assert resource["Type"] == "AWS::CloudWatch::Dashboard"
    assert resource["Properties"]["DashboardName"] == {"Fn::Sub": "collectra-${EnvironmentName}"}
    body: dict[str, Any] = json.loads(_substituted(resource["Properties"]["DashboardBody"]["Fn::Sub"]))
    return body


BODY = _body()
WIDGETS: list[dict[str, Any]] = BODY["widgets"]
GRAPHS = [widget for widget in WIDGETS if widget["type"] == "metric"]


def _rows(widget: dict[str, Any]) -> list[tuple[list[Any], dict[str, Any]]]:
    """A graph's metrics: (namespace, name, dimension, value, ...) and the row's options."""
    rows = []
    for row in widget["properties"]["metrics"]:
        options = row[-1] if row and isinstance(row[-1], dict) else {}
        rows.append(([part for part in row if not isinstance(part, dict)], options))
    return rows


def _metrics() -> list[tuple[str, str, dict[str, str], str]]:
    """Every metric drawn or read: namespace, name, dimensions, the graph's title."""
    found = []
    for widget in GRAPHS:
        for parts, _ in _rows(widget):
            if parts:
                namespace, name, *pairs = parts
                found.append(
                    (namespace, name, dict(zip(pairs[::2], pairs[1::2], strict=True)), widget["properties"]["title"])
                )
    return found


def _titled(words: str) -> dict[str, Any]:
    return next(widget for widget in WIDGETS if words in widget["properties"].get("title", ""))


def test_the_body_is_valid_json_naming_only_this_stack_s_resources() -> None:
    assert BODY["widgets"]
    assert all(widget["properties"].get("region") == "<AWS::Region>" for widget in WIDGETS if widget["type"] != "text")


def test_every_collectra_metric_shown_is_emitted_by_the_code() -> None:
    emitted = emitted_metric_names()
    shown = {name for namespace, name, _, _ in _metrics() if namespace == dashboard.NAMESPACE}
    assert shown >= ROUTE_METRICS
    assert sorted(name for name in shown if not emitted.emits(name)) == []


def test_every_collectra_metric_has_the_dimensions_powertools_gives_it() -> None:
    for namespace, name, dimensions, title in _metrics():
        if namespace != dashboard.NAMESPACE:
            continue
        if name in ROUTE_METRICS:
            assert set(dimensions) == {"service", "route_group"}, title
            assert dimensions["route_group"] in ROUTE_GROUPS, title
        else:
            assert dimensions == {"service": "collectra"}, (title, name)


def test_each_route_group_metric_is_shown_for_every_group() -> None:
    shown = Counter((name, dims["route_group"]) for _, name, dims, _ in _metrics() if name in ROUTE_METRICS)
    assert {group for _, group in shown} == ROUTE_GROUPS
    assert {name for name, _ in shown} == ROUTE_METRICS
    latency = [w for w in GRAPHS if any(parts[1] == "ApiLatency" for parts, _ in _rows(w) if parts)]
    assert sorted(w["properties"]["stat"] for w in latency) == ["p95", "p99"]


def test_the_route_groups_are_those_the_code_emits() -> None:
    groups = route_groups.GROUPS
    assert tuple(groups) == dashboard.ROUTE_GROUPS
    assert set(groups) == ROUTE_GROUPS


def test_every_aws_metric_is_about_a_resource_of_this_stack() -> None:
    aws = [
        (namespace, name, dims, title) for namespace, name, dims, title in _metrics() if namespace.startswith("AWS/")
    ]
    assert {namespace for namespace, *_ in aws} == {"AWS/ApiGateway", "AWS/SQS", "AWS/Lambda", "AWS/DynamoDB"}
    for _, name, dimensions, title in aws:
        named = [(key, value) for key, value in dimensions.items() if key in DIMENSION_TYPES]
        assert named, (title, name)
        for key, value in named:
            resource = re.fullmatch(r"<([A-Za-z0-9]+)(\.[A-Za-z]+)?>", value)
            assert resource, (title, value)
            assert RESOURCES[resource.group(1)]["Type"] == DIMENSION_TYPES[key], (title, value)


def test_the_issue_s_figures_each_have_their_graph() -> None:
    for words in ("Requests by route group", "4xx", "5xx", "Latency p95", "Latency p99", "API Gateway"):
        _titled(words)
    for words in ("planned", "sent", "failed", "suppressed"):
        _titled(f"Reminders {words}")
    assert "settled, refunded, disputed" in _titled("Payments settled")["properties"]["title"]
    for words in ("GB-seconds", "invocations", "DynamoDB read units", "DynamoDB write units"):
        _titled(words)


def _memory(function: str) -> int:
    return int(FUNCTIONS[function].get("MemorySize", GLOBAL_MEMORY))


def _ids(widget: dict[str, Any]) -> dict[str, tuple[list[Any], dict[str, Any]]]:
    return {options["id"]: (parts, options) for parts, options in _rows(widget) if "id" in options}


@pytest.mark.parametrize("title", ["GB-seconds per hour by package", "Over the dashboard's time range"])
def test_every_function_of_the_stack_is_in_the_gigabyte_seconds_once_at_its_memory(title: str) -> None:
    widget = _titled(title)
    rows = _ids(widget)
    durations = {
        parts[3]: metric_id
        for metric_id, (parts, _) in rows.items()
        if parts and parts[:3] == ["AWS/Lambda", "Duration", "FunctionName"]
    }
    assert set(durations) == {f"<{function}>" for function in FUNCTIONS}
    expressions = [options["expression"] for parts, options in rows.values() if not parts and "expression" in options]
    terms = Counter(term for text in expressions for term in re.findall(r"FILL\((d\d+),0\)\*(\d+)", text))
    for function in FUNCTIONS:
        metric_id = durations[f"<{function}>"]
        assert terms[(metric_id, str(_memory(function)))] == 1, function
        assert rows[metric_id][1]["visible"] is False  # read, not drawn: the package's line is
    assert sum(terms.values()) == len(FUNCTIONS)
    per_package = [text for text in expressions if "FILL(d" in text]
    assert all(text.endswith(")/1024/1000") for text in per_package)  # ms to s, MB to GB
    assert widget["properties"]["stat"] == "Sum"


def test_the_totals_add_every_package() -> None:
    rows = _ids(_titled("Over the dashboard's time range"))
    for total, prefix in (("gb_total", "gb_"), ("inv_total", "inv_")):
        packages = {metric_id for metric_id in rows if metric_id.startswith(prefix) and metric_id != total}
        assert set(rows[total][1]["expression"].split("+")) == packages
        assert all(rows[package][1]["visible"] is False for package in packages)


def test_the_invocations_count_every_function_once() -> None:
    rows = _ids(_titled("Lambda invocations per hour"))
    invoked = {parts[3] for parts, _ in rows.values() if parts and parts[1] == "Invocations"}
    assert invoked == {f"<{function}>" for function in FUNCTIONS}
    terms = Counter(re.findall(r"FILL\((i\d+),0\)", " ".join(o.get("expression", "") for _, o in rows.values())))
    assert set(terms) == {metric_id for metric_id, (parts, _) in rows.items() if parts} and set(terms.values()) == {1}


def test_the_table_s_capacity_includes_its_indexes() -> None:
    table = next(name for name, r in RESOURCES.items() if r["Type"] == "AWS::DynamoDB::Table")
    indexes = {index["IndexName"] for index in RESOURCES[table]["Properties"]["GlobalSecondaryIndexes"]}
    for title in ("DynamoDB read units", "DynamoDB write units"):
        dimensions = [dict(zip(p[2::2], p[3::2], strict=True)) for p, _ in _rows(_titled(title))]
        assert {d.get("GlobalSecondaryIndexName") for d in dimensions} == {None, *indexes}
        assert {d["TableName"] for d in dimensions} == {f"<{table}>"}


def test_the_payments_table_reads_the_stripe_webhook_s_own_log_line() -> None:
    widget = _titled("Payments settled, refunded, disputed: Stripe events applied")
    assert widget["type"] == "log"
    query = widget["properties"]["query"]
    [source] = re.findall(r"SOURCE '([^']+)'", query)
    log_groups = {
        r["Properties"]["LogGroupName"]["Fn::Sub"]: name
        for name, r in RESOURCES.items()
        if r["Type"] == "AWS::Logs::LogGroup"
    }
    assert log_groups[source.replace("<EnvironmentName>", "${EnvironmentName}")] == "StripeWebhookLogGroup"
    handler = (ROOT / "functions/webhooks/stripe_events.py").read_text()
    assert 'logger.info("stripe event handled", extra={"result": result})' in handler
    assert "stripe_event_type=" in handler
    assert 'filter message = "stripe event handled" and result = "applied"' in query
    decided = (ROOT / "layers/common/collectra/payments/decision.py").read_text()
    for kind in (*dashboard.SETTLED, *dashboard.REFUNDED, *dashboard.DISPUTED):
        assert f'"{kind}"' in query and f'"{kind}":' in decided, kind


def test_within_cloudwatch_s_limits_and_laid_out_without_overlaps() -> None:
    assert len(WIDGETS) <= 500
    counts = [len(widget["properties"]["metrics"]) for widget in GRAPHS]
    assert max(counts) <= dashboard.PER_WIDGET
    assert sum(counts) <= dashboard.PER_DASHBOARD
    for widget in GRAPHS:
        rows = _rows(widget)
        ids = [options["id"] for _, options in rows if "id" in options]
        assert len(ids) == len(set(ids)), widget["properties"]["title"]
        for _, options in rows:
            text = options.get("expression", "")
            assert len(text) <= dashboard.EXPRESSION_LENGTH
            assert set(re.findall(r"\b([a-z][a-z0-9_]*\d|[a-z]+_[a-z_]+)\b", text)) - {"FILL"} <= set(ids)
    taken: set[tuple[int, int]] = set()
    for widget in WIDGETS:
        assert widget["x"] + widget["width"] <= dashboard.WIDTH
        cells = {
            (x, y)
            for x in range(widget["x"], widget["x"] + widget["width"])
            for y in range(widget["y"], widget["y"] + widget["height"])
        }
        assert not cells & taken, widget["properties"].get("title")
        taken |= cells


# ---------------------------------------------------------------- the generator refuses a dashboard on nothing


def _generated(base_text: str) -> str:
    return generate(base_text, CATALOGUE, shared_by_all(all_functions()), root=ROOT)


def test_the_generator_refuses_a_dashboard_naming_what_base_yaml_does_not_declare() -> None:
    base = BASE.read_text(encoding="utf-8")
    assert "  ReminderDeadLetterQueue:\n" in base
    with pytest.raises(ValueError, match="the dashboard names ReminderDeadLetterQueue"):
        _generated(base.replace("  ReminderDeadLetterQueue:\n", "  RenamedDeadLetterQueue:\n"))


def test_the_generator_needs_globals_memory_to_count_gigabyte_seconds() -> None:
    base = BASE.read_text(encoding="utf-8")
    assert "    MemorySize: 512\n" in base
    with pytest.raises(ValueError, match="MemorySize"):
        _generated(base.replace("    MemorySize: 512\n", ""))
