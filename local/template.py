"""The parts of template.yaml a local stack needs: HTTP routes, tables, secret names, CORS.

Read from the template itself, never from a hand-kept copy, so a route or index added for AWS is
there locally too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from local.cfn import CfnLoader, Resolver

_FUNCTION_TYPES = ("AWS::Serverless::Function",)
_LAYER_TYPE = "AWS::Serverless::LayerVersion"
_DEFAULT_MEMORY_MB = 128  # SAM's defaults when neither the function nor Globals say
_DEFAULT_TIMEOUT_S = 3

Template = dict[str, Any]
Overrides = Mapping[str, str] | None


@dataclass(frozen=True)
class Route:
    """One HttpApi event of one function: what the gateway must match and what it must run."""

    method: str  # upper case; "ANY" matches every method
    path: str  # "/auth/login", "/debts/{id}", "/files/{proxy+}", or "$default"
    logical_id: str
    code_uri: str  # relative to the template's directory, as written in it
    handler: str  # "module.function"
    environment: dict[str, str] = field(default_factory=dict)
    function_name: str = ""
    memory_size: int = _DEFAULT_MEMORY_MB
    timeout: int = _DEFAULT_TIMEOUT_S
    layers: tuple[str, ...] = ()  # content directories of the function's layers, relative

    @property
    def route_key(self) -> str:
        return "$default" if self.path == "$default" else f"{self.method} {self.path}"


@dataclass(frozen=True)
class CorsConfiguration:
    allow_origins: tuple[str, ...] = ()
    allow_credentials: bool = False
    allow_headers: tuple[str, ...] = ()
    allow_methods: tuple[str, ...] = ()
    expose_headers: tuple[str, ...] = ()
    max_age: int | None = None


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


def routes(template: Mapping[str, Any], overrides: Overrides = None) -> list[Route]:
    """Every HttpApi route of every function, with each function's resolved environment."""
    resolver = Resolver(template, overrides)
    found: list[Route] = []
    for logical_id, own in _resources_of_type(template, *_FUNCTION_TYPES):
        props = _function_properties(template, own)
        events: Mapping[str, Any] = props.get("Events") or {}
        http_events = [event.get("Properties") or {} for event in events.values() if event.get("Type") == "HttpApi"]
        if not http_events:
            continue
        code_uri = resolver.resolve(props.get("CodeUri"))
        if not isinstance(code_uri, str):
            raise ValueError(f"{logical_id}: only a local CodeUri directory can run locally")
        environment = {name: str(value) for name, value in resolver.resolve(props["Environment"]["Variables"]).items()}
        for event in http_events:
            method, path = _method_and_path(resolver, event)
            found.append(
                Route(
                    method=method,
                    path=path,
                    logical_id=logical_id,
                    code_uri=code_uri,
                    handler=str(resolver.resolve(props["Handler"])),
                    environment=environment,
                    function_name=str(resolver.resolve(props.get("FunctionName", logical_id))),
                    memory_size=int(resolver.resolve(props.get("MemorySize", _DEFAULT_MEMORY_MB))),
                    timeout=int(resolver.resolve(props.get("Timeout", _DEFAULT_TIMEOUT_S))),
                    layers=_layer_dirs(template, props["Layers"]),
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

    The one extra key, `TimeToLiveAttributeName`, is present when the table has TTL enabled; it is not
    a `create_table` argument (TTL is switched on afterwards with `update_time_to_live`), so pop it first.
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
        ttl = props.get("TimeToLiveSpecification") or {}
        if str(ttl.get("Enabled", False)).lower() == "true":
            table["TimeToLiveAttributeName"] = str(ttl["AttributeName"])
        definitions.append(table)
    return definitions


def secret_names(template: Mapping[str, Any], overrides: Overrides = None) -> dict[str, str]:
    """Parameter name -> Secrets Manager name, for every parameter named `...SecretName`."""
    values = Resolver(template, overrides).parameters
    declared: Mapping[str, Any] = template.get("Parameters") or {}
    return {name: values[name] for name in declared if name.endswith("SecretName") and name in values}
