"""Declarations to CloudFormation: each function's resource and log group, the Api's route throttles, and the
environment in Globals. Plain data here; stack.render writes it as YAML into base.yaml's text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from stack.base import Setting
from stack.blocks import Statement
from stack.environment import own_environment
from stack.function import Consume, Function, Http, Schedule
from stack.intrinsics import GetAtt, Ref, Sub

Resource = dict[str, Any]


class Flow(list[Any]):
    """A list written on one line, `[a, b]`: action lists and the like."""


class FlowMap(dict[str, Any]):
    """A mapping written on one line, `{a: 1, b: 2}`: a route's throttle."""


def function_resources(function: Function, shared: Sequence[Setting]) -> dict[str, Resource]:
    """The function's AWS::Serverless::Function and its log group, by logical id."""
    properties: Resource = {
        "FunctionName": Sub(f"collectra-${{EnvironmentName}}-{function.short_name}"),
        "CodeUri": function.code_uri,
        "Handler": function.module_handler,
    }
    optional = {
        "Timeout": function.timeout,
        "MemorySize": function.memory,
        "ReservedConcurrentExecutions": function.reserved_concurrency,
        "EphemeralStorage": None if function.ephemeral_storage is None else {"Size": function.ephemeral_storage},
    }
    properties |= {key: value for key, value in optional.items() if value is not None}
    if function.snap_start:
        properties |= snap_start()
    environment = own_environment(function, shared)
    if environment:
        properties["Environment"] = {"Variables": environment}
    properties["LoggingConfig"] = {"LogGroup": Ref(function.log_group)}
    statements = [_statement(block.statement, function.keys) for block in function.permissions]
    if statements:
        properties["Policies"] = [{"Statement": statements}]
    properties["Events"] = _events(function)
    log_group = {
        "LogGroupName": Sub(f"/aws/lambda/collectra-${{EnvironmentName}}-{function.short_name}"),
        "RetentionInDays": Ref("LogRetentionDays"),
    }
    return {
        function.logical_id: {"Type": "AWS::Serverless::Function", "Properties": properties},
        function.log_group: {"Type": "AWS::Logs::LogGroup", "Properties": log_group},
    }


ALIAS = "live"


def snap_start() -> Resource:
    """SnapStart applies to published versions only: SAM publishes one and moves the alias to it on every deploy
    that changes any of the function's properties (not only its code: a new variable or layer version must reach the
    snapshot too), and points the function's events (the HTTP API integration) at the alias."""
    return {
        "AutoPublishAlias": ALIAS,
        "AutoPublishAliasAllProperties": True,
        "SnapStart": {"ApplyOn": "PublishedVersions"},
    }


def leading_keys_condition(keys: Sequence[str]) -> Resource:
    """Every item the request touches has a partition key in one of the families (`"USER#"` -> `"USER#*"`)."""
    return {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": Flow(f"{family}*" for family in keys)}}


def _statement(statement: Statement, keys: Sequence[str]) -> Resource:
    resources = list(statement.resources)
    written: Resource = {
        "Effect": "Allow",
        "Action": Flow(statement.actions),
        "Resource": resources[0] if len(resources) == 1 else resources,
    }
    if keys and statement.service == "dynamodb":
        written["Condition"] = leading_keys_condition(keys)
    return written


def _events(function: Function) -> Resource:
    event = function.event
    if isinstance(event, Http):
        properties: Resource = {"ApiId": Ref("Api"), "Method": event.method, "Path": event.path}
        return {"Http": {"Type": "HttpApi", "Properties": properties}}
    if isinstance(event, Schedule):
        return {"Tick": {"Type": "Schedule", "Properties": {"Schedule": event.every, "Description": event.description}}}
    return {"Queue": {"Type": "SQS", "Properties": _queue_event(event)}}


def _queue_event(event: Consume) -> Resource:
    properties: Resource = {
        "Queue": GetAtt(event.queue.logical_id, "Arn"),
        "BatchSize": event.batch_size,
        # Each message succeeds or fails on its own: one bad message never sends its batch back to the queue.
        "FunctionResponseTypes": Flow(["ReportBatchItemFailures"]),
    }
    if event.max_concurrency is not None:
        properties["ScalingConfig"] = {"MaximumConcurrency": event.max_concurrency}
    return properties


def route_settings(functions: Iterable[Function]) -> Resource:
    """The Api's RouteSettings: a bucket of its own for each route declared with a throttle."""
    return {
        function.event.route: FlowMap(
            ThrottlingRateLimit=function.event.throttle.rate, ThrottlingBurstLimit=function.event.throttle.burst
        )
        for function in functions
        if isinstance(function.event, Http) and function.event.throttle is not None
    }


def global_environment(shared: Sequence[Setting]) -> Resource:
    return {"Environment": {"Variables": {setting.variable: setting.value for setting in shared}}}
