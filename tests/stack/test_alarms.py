"""Every alarm of template.yaml can be acted on: it tells the one topic when it fires and when it is back to OK, its
runbook section in docs/operations.md says what it means and what to do, and the metric it watches exists: the code
emits it (a `Collectra` metric), or AWS does for a resource of this stack."""

from __future__ import annotations

import re
from typing import Any

import pytest

from local.template import load_template
from stack.alarms.alarm import Alarm, Metric
from tests.support.emitted_metrics import emitted_metric_names
from tests.support.http import ROOT

TEMPLATE = load_template(str(ROOT / "template.yaml"))
RESOURCES: dict[str, Any] = TEMPLATE["Resources"]
ALARMS = {name: r["Properties"] for name, r in RESOURCES.items() if r["Type"] == "AWS::CloudWatch::Alarm"}
RUNBOOK = (ROOT / "docs/operations.md").read_text(encoding="utf-8")
LABELS = ("**What it means**", "**How to look**", "**How to fix**", "**How to replay**")
TOPIC = {"Ref": "AlarmTopic"}
# What AWS publishes, by namespace (its documentation's metric lists): a typo here would be an alarm on nothing.
AWS_METRICS = {
    "AWS/Lambda": {"Errors", "Throttles", "Duration", "Invocations", "ConcurrentExecutions"},
    "AWS/SQS": {"ApproximateNumberOfMessagesVisible", "ApproximateAgeOfOldestMessage"},
    "AWS/DynamoDB": {"ThrottledRequests", "ReadThrottleEvents", "WriteThrottleEvents", "SystemErrors", "UserErrors"},
    "AWS/ApiGateway": {"Count", "4xx", "5xx", "Latency", "IntegrationLatency"},
    "AWS/SNS": {"NumberOfNotificationsFailed"},
}
# The resource type a dimension names; a dimension not listed holds a literal (an operation, a stage, an index).
DIMENSION_TYPES = {
    "FunctionName": "AWS::Serverless::Function",
    "QueueName": "AWS::SQS::Queue",
    "TableName": "AWS::DynamoDB::Table",
    "ApiId": "AWS::Serverless::HttpApi",
    "TopicName": "AWS::SNS::Topic",
}


def sections() -> dict[str, str]:
    """docs/operations.md's `### <Name>` sections, by heading."""
    parts = re.split(r"^(#{1,3} .*)$", RUNBOOK, flags=re.MULTILINE)
    return {parts[i][4:].strip(): parts[i + 1] for i in range(1, len(parts) - 1, 2) if parts[i].startswith("### ")}


def watched(properties: dict[str, Any]) -> list[dict[str, Any]]:
    """The metrics the alarm reads: {Namespace, MetricName, Dimensions}."""
    if "MetricName" in properties:
        return [properties]
    return [entry["MetricStat"]["Metric"] for entry in properties["Metrics"] if "MetricStat" in entry]


def named_resource(value: Any) -> str | None:
    if isinstance(value, dict) and "Fn::If" in value:
        # The stack's own resource, or what a parameter names instead (RestoredTableName): the resource decides.
        _, chosen, own = value["Fn::If"]
        assert isinstance(chosen, dict) and chosen.get("Ref") in TEMPLATE["Parameters"], value
        return named_resource(own)
    if isinstance(value, dict) and "Ref" in value:
        return str(value["Ref"])
    if isinstance(value, dict) and "Fn::GetAtt" in value:
        return str(value["Fn::GetAtt"][0])
    return None


def test_there_are_alarms() -> None:
    assert len(ALARMS) >= 12


@pytest.mark.parametrize("name", sorted(ALARMS))
def test_an_alarm_tells_the_topic_when_it_fires_and_when_it_is_ok(name: str) -> None:
    properties = ALARMS[name]
    assert properties["AlarmActions"] == [TOPIC]
    assert properties["OKActions"] == [TOPIC]


@pytest.mark.parametrize("name", sorted(ALARMS))
def test_an_alarm_has_its_runbook_section(name: str) -> None:
    found = sections()
    assert name in found, f"docs/operations.md has no section `### {name}`"
    text = found[name]
    positions = [text.find(label) for label in LABELS]
    missing = [label for label, at in zip(LABELS, positions, strict=True) if at < 0]
    assert missing == [], f"{name}'s section lacks {missing}"
    assert positions == sorted(positions), f"{name}'s section: say {', '.join(LABELS)} in that order"
    assert ALARMS[name]["AlarmDescription"].endswith(f"Runbook: docs/operations.md#{name.lower()}")


@pytest.mark.parametrize("name", sorted(ALARMS))
def test_an_alarm_watches_a_metric_that_is_emitted(name: str) -> None:
    emitted = emitted_metric_names()
    for metric in watched(ALARMS[name]):
        namespace, metric_name = metric["Namespace"], metric["MetricName"]
        if namespace == "Collectra":
            assert emitted.emits(metric_name), f"{name}: no code emits {metric_name}"
            continue
        assert metric_name in AWS_METRICS.get(namespace, set()), f"{name}: AWS publishes no {namespace} {metric_name}"
        for dimension in metric.get("Dimensions", []):
            kind = DIMENSION_TYPES.get(dimension["Name"])
            if kind is None:
                continue
            resource = named_resource(dimension["Value"])
            assert resource in RESOURCES, f"{name}: {dimension['Name']} names no resource of the stack"
            assert RESOURCES[resource]["Type"] == kind, f"{name}: {dimension['Name']} names a {kind}? {resource}"


def test_every_dead_letter_queue_is_alarmed_when_it_holds_a_message() -> None:
    dead_letter_queues = {
        named_resource(r["Properties"]["RedrivePolicy"]["deadLetterTargetArn"])
        for r in RESOURCES.values()
        if r["Type"] == "AWS::SQS::Queue" and "RedrivePolicy" in r["Properties"]
    }
    alarmed = {
        named_resource(dimension["Value"])
        for properties in ALARMS.values()
        for metric in watched(properties)
        if metric["MetricName"] == "ApproximateNumberOfMessagesVisible"
        for dimension in metric["Dimensions"]
    }
    assert dead_letter_queues
    assert dead_letter_queues - alarmed == set()


def test_the_scan_of_emitted_metrics_tells_an_emitted_name_from_an_invented_one() -> None:
    emitted = emitted_metric_names()
    assert emitted.emits("PlanLookFailed")  # add_metric(name="PlanLookFailed")
    assert emitted.emits("Reminder_daily_quota")  # f"Reminder_{outcome}", and the sender returns "daily_quota"
    assert not emitted.emits("Reminder_never_returned_anywhere")
    assert not emitted.emits("PlanLookFailedTwice")


def test_a_declaration_needs_one_metric_or_an_expression_over_metrics() -> None:
    with pytest.raises(ValueError, match="a metric, or an expression"):
        Alarm("Nothing", description="watches nothing")
    with pytest.raises(ValueError, match="needs the metrics"):
        Alarm("Empty", description="an expression over nothing", expression="a + b")
    eleven = tuple((f"m{n}", Metric(f"Metric{n}")) for n in range(11))
    with pytest.raises(ValueError, match="at most 10 metrics"):
        Alarm("TooWide", description="CloudWatch refuses it", expression="SUM(METRICS())", metrics=eleven)
    with pytest.raises(ValueError, match="without 'Alarm'"):
        Alarm("DoubleAlarm", description="named twice", metric=Metric("Logins"))


def test_every_route_group_has_its_error_and_latency_alarms() -> None:
    from collectra.http.route_groups import GROUPS
    from stack.alarms import api

    assert api.GROUPS == GROUPS  # the stack reads no code: its copy must be the code's
    for group in GROUPS:
        for kind in ("ApiErrors", "ApiLatency"):
            name = f"{api.camel(group)}{kind}Alarm"
            assert name in ALARMS
            dimensions = [
                metric["Dimensions"] for metric in watched(ALARMS[name]) if metric["Namespace"] == "Collectra"
            ]
            assert {"Name": "route_group", "Value": group} in dimensions[0]


def test_the_throttle_alarms_read_the_table_and_each_of_its_indexes() -> None:
    from stack import base
    from stack.alarms import platform

    assert base.TABLE.indexes == platform.INDEXES
    for name in ("TableReadsThrottledAlarm", "TableWritesThrottledAlarm"):
        indexes = {
            dimension["Value"]
            for metric in watched(ALARMS[name])
            for dimension in metric["Dimensions"]
            if dimension["Name"] == "GlobalSecondaryIndexName"
        }
        assert indexes == set(base.TABLE.indexes)


def test_the_system_errors_alarm_reads_every_operation_the_functions_are_granted() -> None:
    granted = {
        action.removeprefix("dynamodb:")
        for resource in RESOURCES.values()
        if resource["Type"] == "AWS::Serverless::Function"
        for policy in resource["Properties"].get("Policies", [])
        if isinstance(policy, dict) and "Statement" in policy
        for statement in policy["Statement"]
        for action in ([statement["Action"]] if isinstance(statement["Action"], str) else statement["Action"])
        if action.startswith("dynamodb:")
    }
    assert granted, "the functions' DynamoDB grants were found"
    # A ConditionCheck is only ever part of a TransactWriteItems, which IAM grants as its parts.
    expected = granted - {"ConditionCheckItem"} | {"TransactWriteItems"}
    watched_operations = {
        dimension["Value"]
        for metric in watched(ALARMS["TableSystemErrorsAlarm"])
        for dimension in metric["Dimensions"]
        if dimension["Name"] == "Operation"
    }
    assert watched_operations == expected
