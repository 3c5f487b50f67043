"""The parts of template.yaml a local stack needs: HTTP routes, scheduled functions and queue consumers,
tables, queues, buckets, secret names, CORS.

Read from the template itself, never from a hand-kept copy, so a route or index added for AWS is
there locally too.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

from local.cfn import ACCOUNT_ID, REGION, STACK_NAME, CfnLoader, Resolver

_FUNCTION_TYPES = ("AWS::Serverless::Function",)
_LAYER_TYPE = "AWS::Serverless::LayerVersion"
_QUEUE_TYPE = "AWS::SQS::Queue"
_SQS_BATCH_SIZE = 10  # SAM's default BatchSize of an SQS event
_DEFAULT_MEMORY_MB = 128  # SAM's defaults when neither the function nor Globals say
_DEFAULT_TIMEOUT_S = 3

Template = dict[str, Any]
Overrides = Mapping[str, str] | None


@dataclass(frozen=True)
class CorsConfiguration:
    allow_origins: tuple[str, ...] = ()
    allow_credentials: bool = False
    allow_headers: tuple[str, ...] = ()
    allow_methods: tuple[str, ...] = ()
    expose_headers: tuple[str, ...] = ()
    max_age: int | None = None


def queue_url(endpoint_url: str, queue_name: str) -> str:
    """A queue's URL in the emulator: moto names it after the endpoint it was reached through."""
    return f"{endpoint_url.rstrip('/')}/{ACCOUNT_ID}/{queue_name}"


def queue_arn(queue_name: str) -> str:
    return f"arn:aws:sqs:{REGION}:{ACCOUNT_ID}:{queue_name}"


class StackResolver(Resolver):
    """A Resolver that knows where the stack's AWS is: `!Ref` of a queue is its URL in the emulator.

    Without an `endpoint_url` it is cfn.Resolver (a queue's `!Ref` is then its AWS URL, which boto3 still
    sends to AWS_ENDPOINT_URL, and moto finds the queue by the URL's last segment).
    """

    def __init__(
        self,
        template: Mapping[str, Any],
        overrides: Mapping[str, str] | None = None,
        *,
        endpoint_url: str | None = None,
    ) -> None:
        super().__init__(template, overrides)
        self.endpoint_url = endpoint_url

    def ref(self, name: str) -> Any:
        resource = self.resources.get(name)
        if (
            self.endpoint_url is not None
            and name not in self.parameters
            and isinstance(resource, Mapping)
            and resource.get("Type") == _QUEUE_TYPE
        ):
            return queue_url(self.endpoint_url, self.get_att(name, "QueueName"))
        return super().ref(name)


@dataclass(frozen=True)
class LambdaFunction:
    """What it takes to run one function of the template, whatever invokes it."""

    logical_id: str
    code_uri: str  # relative to the template's directory, as written in it
    handler: str  # "module.function"
    environment: dict[str, str] = field(default_factory=dict)
    function_name: str = ""
    memory_size: int = _DEFAULT_MEMORY_MB
    timeout: int = _DEFAULT_TIMEOUT_S
    layers: tuple[str, ...] = ()  # content directories of the function's layers, relative


@dataclass(frozen=True, kw_only=True)
class Route(LambdaFunction):
    """One HttpApi event of one function: what the gateway must match, and the function it runs."""

    method: str  # upper case; "ANY" matches every method
    path: str  # "/auth/login", "/debts/{id}", "/files/{proxy+}", or "$default"

    @property
    def route_key(self) -> str:
        return "$default" if self.path == "$default" else f"{self.method} {self.path}"


@dataclass(frozen=True)
class ScheduledFunction:
    """One `Schedule` event of a function: an EventBridge rule that invokes it on a schedule."""

    function: LambdaFunction
    event_id: str  # the event's key under Events, e.g. "Tick"
    schedule: str  # the expression, "rate(15 minutes)" or "cron(...)"
    rule_name: str
    enabled: bool = True
    input: str | None = None  # the rule's Input (JSON text), sent instead of the Scheduled Event

    @property
    def logical_id(self) -> str:
        return self.function.logical_id

    @property
    def rule_arn(self) -> str:
        return f"arn:aws:events:{REGION}:{ACCOUNT_ID}:rule/{self.rule_name}"


@dataclass(frozen=True)
class QueueConsumer:
    """One `SQS` event of a function: Lambda's event source mapping from a queue to it."""

    function: LambdaFunction
    event_id: str
    queue_name: str
    queue_arn: str
    queue_url: str  # in the emulator when the endpoint was given, else the AWS form
    batch_size: int = _SQS_BATCH_SIZE
    report_batch_item_failures: bool = False  # FunctionResponseTypes: [ReportBatchItemFailures]
    enabled: bool = True

    @property
    def logical_id(self) -> str:
        return self.function.logical_id


def load_template(path: str | Path = "template.yaml") -> Template:
    with open(path, encoding="utf-8") as stream:
        loaded = yaml.load(stream, Loader=CfnLoader)  # noqa: S506 - CfnLoader is a SafeLoader
    if not isinstance(loaded, dict):
        raise ValueError(f"{path} is not a CloudFormation template")
    return loaded


def _resources_of_type(template: Mapping[str, Any], *types: str) -> list[tuple[str, dict[str, Any]]]:
    resources: Mapping[str, Any] = template.get("Resources") or {}
    return [
        (logical_id, resource.get("Properties") or {})
        for logical_id, resource in resources.items()
        if resource.get("Type") in types
    ]


def _function_properties(template: Mapping[str, Any], own: Mapping[str, Any]) -> dict[str, Any]:
    """A function's properties with Globals.Function applied the way SAM merges them."""
    defaults: Mapping[str, Any] = (template.get("Globals") or {}).get("Function") or {}
    merged = {**defaults, **own}
    variables = {
        **((defaults.get("Environment") or {}).get("Variables") or {}),
        **((own.get("Environment") or {}).get("Variables") or {}),
    }
    merged["Environment"] = {"Variables": variables}
    # SAM adds a function's own layers after the global ones rather than replacing them.
    merged["Layers"] = [*(defaults.get("Layers") or []), *(own.get("Layers") or [])]
    return merged


def _layer_dirs(template: Mapping[str, Any], layers: list[Any]) -> tuple[str, ...]:
    by_id = dict(_resources_of_type(template, _LAYER_TYPE))
    dirs = []
    for layer in layers:
        # A layer given as an ARN lives in some AWS account and cannot be mounted locally.
        if isinstance(layer, dict) and layer.get("Ref") in by_id:
            dirs.append(str(by_id[layer["Ref"]]["ContentUri"]))
    return tuple(dirs)


def _lambda_function(
    template: Mapping[str, Any], resolver: Resolver, logical_id: str, props: Mapping[str, Any]
) -> LambdaFunction:
    code_uri = resolver.resolve(props.get("CodeUri"))
    if not isinstance(code_uri, str):
        raise ValueError(f"{logical_id}: only a local CodeUri directory can run locally")
    environment = {name: str(value) for name, value in resolver.resolve(props["Environment"]["Variables"]).items()}
    return LambdaFunction(
        logical_id=logical_id,
        code_uri=code_uri,
        handler=str(resolver.resolve(props["Handler"])),
        environment=environment,
        function_name=str(resolver.resolve(props.get("FunctionName", logical_id))),
        memory_size=int(resolver.resolve(props.get("MemorySize", _DEFAULT_MEMORY_MB))),
        timeout=int(resolver.resolve(props.get("Timeout", _DEFAULT_TIMEOUT_S))),
        layers=_layer_dirs(template, props["Layers"]),
    )


def _functions_with_events(
    template: Mapping[str, Any], resolver: Resolver, event_type: str
) -> list[tuple[LambdaFunction, list[tuple[str, dict[str, Any]]]]]:
    """Each function that has events of `event_type`, with those events (id, properties)."""
    found = []
    for logical_id, own in _resources_of_type(template, *_FUNCTION_TYPES):
        props = _function_properties(template, own)
        events: Mapping[str, Any] = props.get("Events") or {}
        matching = [
            (str(event_id), dict(event.get("Properties") or {}))
            for event_id, event in events.items()
            if event.get("Type") == event_type
        ]
        if matching:
            found.append((_lambda_function(template, resolver, logical_id, props), matching))
    return found


def lambda_functions(
    template: Mapping[str, Any], overrides: Overrides = None, *, endpoint_url: str | None = None
) -> dict[str, LambdaFunction]:
    """Every function of the template by logical id, however it is invoked (or if it is not at all)."""
    resolver = StackResolver(template, overrides, endpoint_url=endpoint_url)
    return {
        logical_id: _lambda_function(template, resolver, logical_id, _function_properties(template, own))
        for logical_id, own in _resources_of_type(template, *_FUNCTION_TYPES)
    }


def function_environments(
    template: Mapping[str, Any], overrides: Overrides = None, *, endpoint_url: str | None = None
) -> dict[str, dict[str, str]]:
    """Each function's resolved environment by logical id (e.g. for tests that run a handler in-process).

    With `endpoint_url` (the emulator's), a queue's URL is the emulator's, as the local stack's functions get it.
    """
    functions = lambda_functions(template, overrides, endpoint_url=endpoint_url)
    return {logical_id: dict(function.environment) for logical_id, function in functions.items()}


def routes(template: Mapping[str, Any], overrides: Overrides = None, *, endpoint_url: str | None = None) -> list[Route]:
    """Every HttpApi route of every function, with each function's resolved environment."""
    resolver = StackResolver(template, overrides, endpoint_url=endpoint_url)
    found: list[Route] = []
    for function, events in _functions_with_events(template, resolver, "HttpApi"):
        for _, event in events:
            method, path = _method_and_path(resolver, event)
            found.append(
                Route(method=method, path=path, **{f.name: getattr(function, f.name) for f in fields(LambdaFunction)})
            )
    return found


def _enabled(resolver: Resolver, event: Mapping[str, Any]) -> bool:
    if str(resolver.resolve(event.get("State", "ENABLED"))).upper() == "DISABLED":
        return False
    return str(resolver.resolve(event.get("Enabled", True))).lower() != "false"


def scheduled_functions(
    template: Mapping[str, Any], overrides: Overrides = None, *, endpoint_url: str | None = None
) -> list[ScheduledFunction]:
    """Every `Schedule` event (an EventBridge rule) of every function."""
    resolver = StackResolver(template, overrides, endpoint_url=endpoint_url)
    found = []
    for function, events in _functions_with_events(template, resolver, "Schedule"):
        for event_id, event in events:
            # SAM names the rule's resource <function><event>; CloudFormation adds a random suffix.
            default_name = f"{STACK_NAME}-{function.logical_id}{event_id}"
            raw_input = resolver.resolve(event.get("Input"))
            found.append(
                ScheduledFunction(
                    function=function,
                    event_id=event_id,
                    schedule=str(resolver.resolve(event["Schedule"])),
                    rule_name=str(resolver.resolve(event.get("Name", default_name))),
                    enabled=_enabled(resolver, event),
                    input=None if raw_input is None else str(raw_input),
                )
            )
    return found


def _queue_name_of_arn(arn: Any, where: str) -> str:
    parts = str(arn).split(":")
    if len(parts) != 6 or parts[:3] != ["arn", "aws", "sqs"]:
        raise ValueError(f"{where}: Queue must be an SQS queue's ARN (!GetAtt Queue.Arn), got {arn!r}")
    return parts[5]


def queue_consumers(
    template: Mapping[str, Any], overrides: Overrides = None, *, endpoint_url: str | None = None
) -> list[QueueConsumer]:
    """Every `SQS` event (an event source mapping) of every function.

    The queue's URL is in the emulator at `endpoint_url` when it is given.
    """
    resolver = StackResolver(template, overrides, endpoint_url=endpoint_url)
    found = []
    for function, events in _functions_with_events(template, resolver, "SQS"):
        for event_id, event in events:
            arn = str(resolver.resolve(event["Queue"]))
            name = _queue_name_of_arn(arn, f"{function.logical_id}.{event_id}")
            response_types = [str(kind) for kind in resolver.resolve(event.get("FunctionResponseTypes") or [])]
            found.append(
                QueueConsumer(
                    function=function,
                    event_id=event_id,
                    queue_name=name,
                    queue_arn=arn,
                    queue_url=(
                        queue_url(endpoint_url, name)
                        if endpoint_url
                        else f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT_ID}/{name}"
                    ),
                    batch_size=int(resolver.resolve(event.get("BatchSize", _SQS_BATCH_SIZE))),
                    report_batch_item_failures="ReportBatchItemFailures" in response_types,
                    enabled=_enabled(resolver, event),
                )
            )
    return found


def _method_and_path(resolver: Resolver, event: Mapping[str, Any]) -> tuple[str, str]:
    if "Path" not in event and "Method" not in event:
        # SAM turns an HttpApi event without Path and Method into the API's catch-all route.
        return "ANY", "$default"
    method = str(resolver.resolve(event.get("Method", "ANY"))).upper()
    if method == "X-AMAZON-APIGATEWAY-ANY-METHOD":
        method = "ANY"
    return method, str(resolver.resolve(event.get("Path", "$default")))


def cors_configuration(template: Mapping[str, Any], overrides: Overrides = None) -> CorsConfiguration | None:
    """The HTTP API's CORS settings; the local gateway serves a single API, so the first one found."""
    resolver = Resolver(template, overrides)
    candidates = [
        props.get("CorsConfiguration") for _, props in _resources_of_type(template, "AWS::Serverless::HttpApi")
    ]
    candidates.append(((template.get("Globals") or {}).get("HttpApi") or {}).get("CorsConfiguration"))
    for raw in candidates:
        if raw is None or raw is False:
            continue
        if raw is True:
            return CorsConfiguration(allow_origins=("*",))
        config = resolver.resolve(raw)
        max_age = config.get("MaxAge")
        return CorsConfiguration(
            allow_origins=tuple(str(v) for v in config.get("AllowOrigins", [])),
            allow_credentials=str(config.get("AllowCredentials", False)).lower() == "true",
            allow_headers=tuple(str(v).lower() for v in config.get("AllowHeaders", [])),
            allow_methods=tuple(str(v).upper() for v in config.get("AllowMethods", [])),
            expose_headers=tuple(str(v).lower() for v in config.get("ExposeHeaders", [])),
            max_age=None if max_age is None else int(max_age),
        )
    return None


def table_definitions(template: Mapping[str, Any], overrides: Overrides = None) -> list[dict[str, Any]]:
    """For each AWS::DynamoDB::Table, the keyword arguments of boto3's `create_table`.

    Two extra keys are not `create_table` arguments, so pop them first: `TimeToLiveAttributeName`, present when the
    table has TTL enabled (switched on afterwards with `update_time_to_live`), and `PointInTimeRecoveryEnabled`,
    present (True) when it has point-in-time recovery (`update_continuous_backups`).
    """
    resolver = Resolver(template, overrides)
    definitions = []
    for logical_id, raw in _resources_of_type(template, "AWS::DynamoDB::Table"):
        props = resolver.resolve(raw)
        billing_mode = props.get("BillingMode", "PROVISIONED")
        table: dict[str, Any] = {
            "TableName": str(props.get("TableName", logical_id)),
            "AttributeDefinitions": props["AttributeDefinitions"],
            "KeySchema": props["KeySchema"],
            "BillingMode": billing_mode,
        }
        index_keys = ("IndexName", "KeySchema", "Projection", "ProvisionedThroughput")
        for kind in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes"):
            if props.get(kind):
                table[kind] = [{k: index[k] for k in index_keys if k in index} for index in props[kind]]
        if "ProvisionedThroughput" in props:
            table["ProvisionedThroughput"] = {k: int(v) for k, v in props["ProvisionedThroughput"].items()}
        stream = props.get("StreamSpecification")
        if stream:
            table["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": stream["StreamViewType"]}
        sse = props.get("SSESpecification") or {}
        if _truthy(sse.get("SSEEnabled", False)):
            # Without an SSEType, CloudFormation's SSEEnabled is KMS with the AWS managed key, as create_table's.
            sse_type = {"SSEType": str(sse["SSEType"])} if "SSEType" in sse else {}
            table["SSESpecification"] = {"Enabled": True, **sse_type}
        ttl = props.get("TimeToLiveSpecification") or {}
        if str(ttl.get("Enabled", False)).lower() == "true":
            table["TimeToLiveAttributeName"] = str(ttl["AttributeName"])
        recovery = props.get("PointInTimeRecoverySpecification") or {}
        if _truthy(recovery.get("PointInTimeRecoveryEnabled", False)):
            table["PointInTimeRecoveryEnabled"] = True
        definitions.append(table)
    return definitions


def secret_names(template: Mapping[str, Any], overrides: Overrides = None) -> dict[str, str]:
    """Parameter name -> Secrets Manager name, for every parameter named `...SecretName`."""
    values = Resolver(template, overrides).parameters
    declared: Mapping[str, Any] = template.get("Parameters") or {}
    return {name: values[name] for name in declared if name.endswith("SecretName") and name in values}


# Properties of AWS::SQS::Queue that are queue attributes of the same name (KmsMasterKeyId is left out:
# it names a key of an account's KMS, which the emulator does not hold).
_QUEUE_ATTRIBUTES = (
    "DelaySeconds",
    "MaximumMessageSize",
    "MessageRetentionPeriod",
    "ReceiveMessageWaitTimeSeconds",
    "VisibilityTimeout",
    "FifoQueue",
    "ContentBasedDeduplication",
    "DeduplicationScope",
    "FifoThroughputLimit",
    "SqsManagedSseEnabled",
    "KmsDataKeyReusePeriodSeconds",
)


def _attribute_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _policy(value: Any) -> dict[str, Any]:
    loaded = json.loads(value) if isinstance(value, str) else value
    if not isinstance(loaded, dict):
        raise ValueError(f"a queue policy must be an object, got {value!r}")
    return loaded


def queue_definitions(template: Mapping[str, Any], overrides: Overrides = None) -> list[dict[str, Any]]:
    """For each AWS::SQS::Queue, the keyword arguments of boto3's `create_queue`, dead-letter queues first.

    `Attributes` holds the template's queue attributes as SQS takes them (text), the RedrivePolicy as JSON
    naming the dead-letter queue by ARN; `tags` is there when the template tags the queue.
    """
    resolver = Resolver(template, overrides)
    definitions: dict[str, dict[str, Any]] = {}
    dead_letter_targets: dict[str, str | None] = {}
    for logical_id, raw in _resources_of_type(template, _QUEUE_TYPE):
        props = resolver.resolve(raw)
        name = str(resolver.get_att(logical_id, "QueueName"))
        attributes = {key: _attribute_text(props[key]) for key in _QUEUE_ATTRIBUTES if key in props}
        target = None
        if props.get("RedrivePolicy"):
            policy = _policy(props["RedrivePolicy"])
            target = str(policy["deadLetterTargetArn"])
            redrive = {"deadLetterTargetArn": target, "maxReceiveCount": int(policy["maxReceiveCount"])}
            attributes["RedrivePolicy"] = json.dumps(redrive)
        if props.get("RedriveAllowPolicy"):
            attributes["RedriveAllowPolicy"] = json.dumps(_policy(props["RedriveAllowPolicy"]))
        definition: dict[str, Any] = {"QueueName": name, "Attributes": attributes}
        tags = props.get("Tags") or []
        if tags:
            definition["tags"] = {str(tag["Key"]): str(tag["Value"]) for tag in tags}
        definitions[queue_arn(name)] = definition
        dead_letter_targets[queue_arn(name)] = target
    ordered: list[dict[str, Any]] = []
    placed: set[str] = set()

    def place(arn: str, seen: tuple[str, ...] = ()) -> None:
        if arn in placed:
            return
        if arn in seen:
            raise ValueError(f"queues redrive to each other in a cycle: {', '.join(seen)}")
        target = dead_letter_targets[arn]
        if target is not None and target in definitions:
            place(target, (*seen, arn))
        placed.add(arn)
        ordered.append(definitions[arn])

    for arn in definitions:
        place(arn)
    return ordered


_BUCKET_TYPE = "AWS::S3::Bucket"
_PUBLIC_ACCESS_BLOCK = ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")


def _truthy(value: Any) -> bool:
    return str(value).lower() == "true"


def _lifecycle_rule(rule: Mapping[str, Any], where: str) -> dict[str, Any]:
    """A lifecycle rule as S3's API takes it, from CloudFormation's shape (the parts a local stack uses)."""
    known = {"Id", "Status", "Prefix", "ExpirationInDays", "AbortIncompleteMultipartUpload"}
    unknown = set(rule) - known
    if unknown:
        # Silently dropping a rule's part would make the local bucket keep what AWS deletes.
        raise ValueError(f"{where}: lifecycle rule properties not emulated locally: {', '.join(sorted(unknown))}")
    converted: dict[str, Any] = {"Status": str(rule["Status"]), "Filter": {"Prefix": str(rule.get("Prefix", ""))}}
    if "Id" in rule:
        converted["ID"] = str(rule["Id"])
    if "ExpirationInDays" in rule:
        converted["Expiration"] = {"Days": int(rule["ExpirationInDays"])}
    if "AbortIncompleteMultipartUpload" in rule:
        days = int(rule["AbortIncompleteMultipartUpload"]["DaysAfterInitiation"])
        converted["AbortIncompleteMultipartUpload"] = {"DaysAfterInitiation": days}
    return converted


def bucket_definitions(template: Mapping[str, Any], overrides: Overrides = None) -> list[dict[str, Any]]:
    """For each AWS::S3::Bucket, what the emulator needs to make it as the template does.

    `Bucket` is the name; `ServerSideEncryptionConfiguration`, `PublicAccessBlockConfiguration` and
    `LifecycleConfiguration` are there when the template sets them, in the shape of S3's API
    (put_bucket_encryption, put_public_access_block, put_bucket_lifecycle_configuration).
    """
    resolver = Resolver(template, overrides)
    definitions = []
    for logical_id, raw in _resources_of_type(template, _BUCKET_TYPE):
        props = resolver.resolve(raw)
        definition: dict[str, Any] = {"Bucket": str(resolver.ref(logical_id))}
        encryption = (props.get("BucketEncryption") or {}).get("ServerSideEncryptionConfiguration")
        if encryption:
            definition["ServerSideEncryptionConfiguration"] = {
                "Rules": [
                    {
                        "ApplyServerSideEncryptionByDefault": dict(rule["ServerSideEncryptionByDefault"]),
                        "BucketKeyEnabled": _truthy(rule.get("BucketKeyEnabled", False)),
                    }
                    for rule in encryption
                ]
            }
        block = props.get("PublicAccessBlockConfiguration")
        if block:
            definition["PublicAccessBlockConfiguration"] = {
                name: _truthy(block.get(name, False)) for name in _PUBLIC_ACCESS_BLOCK
            }
        rules = (props.get("LifecycleConfiguration") or {}).get("Rules")
        if rules:
            definition["LifecycleConfiguration"] = {"Rules": [_lifecycle_rule(rule, logical_id) for rule in rules]}
        definitions.append(definition)
    return definitions
