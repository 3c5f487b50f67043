"""CloudFormation YAML and the handful of intrinsic functions a local stack needs to evaluate.

CloudFormation resolves `!Ref`, `!Sub` and friends at deploy time; locally we resolve them against the
parameter defaults (or overrides) so that names such as the table's come out as they would in AWS.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping
from typing import Any

import yaml

REGION = "us-east-1"
ACCOUNT_ID = "123456789012"
STACK_NAME = "collectra-local"

# A sentinel rather than None: `!Ref AWS::NoValue` must remove the surrounding key, while a YAML null
# is a legitimate value.
NO_VALUE: Any = object()

_PSEUDO_PARAMETERS: dict[str, Any] = {
    "AWS::Region": REGION,
    "AWS::AccountId": ACCOUNT_ID,
    "AWS::Partition": "aws",
    "AWS::URLSuffix": "amazonaws.com",
    "AWS::StackName": STACK_NAME,
    "AWS::StackId": f"arn:aws:cloudformation:{REGION}:{ACCOUNT_ID}:stack/{STACK_NAME}/local",
    "AWS::NoValue": NO_VALUE,
}

# What `!Ref` returns for resources whose reference is a physical name (the common case locally).
_NAME_PROPERTY = {
    "AWS::DynamoDB::Table": "TableName",
    "AWS::Serverless::Function": "FunctionName",
    "AWS::Lambda::Function": "FunctionName",
    "AWS::Logs::LogGroup": "LogGroupName",
    "AWS::Serverless::LayerVersion": "LayerName",
    "AWS::SQS::Queue": "QueueName",
    "AWS::S3::Bucket": "BucketName",
}

_SUB_VARIABLE = re.compile(r"\$\{([^}]*)\}")


class CfnLoader(yaml.SafeLoader):
    """A YAML loader that turns short-form intrinsics (`!Ref X`) into their long form (`{"Ref": "X"}`)."""


def _construct_intrinsic(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    if suffix in ("Ref", "Condition"):
        return {suffix: value}
    if suffix == "GetAtt" and isinstance(value, str):
        # The short form packs resource and attribute into one dotted string.
        value = value.split(".", 1)
    return {f"Fn::{suffix}": value}


CfnLoader.add_multi_constructor("!", _construct_intrinsic)


def parameter_values(template: Mapping[str, Any], overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """Each parameter's value as CloudFormation would pass it: the override, else the default, as text."""
    declared: Mapping[str, Any] = template.get("Parameters") or {}
    unknown = set(overrides or {}) - set(declared)
    if unknown:
        # A misspelt override would otherwise be silently ignored and the default used.
        raise ValueError(f"unknown template parameters: {', '.join(sorted(unknown))}")
    values = {name: str(spec["Default"]) for name, spec in declared.items() if "Default" in spec}
    values.update({name: str(value) for name, value in (overrides or {}).items()})
    return values


class Resolver:
    """Evaluates intrinsic functions of one template against fixed parameter values."""

    def __init__(self, template: Mapping[str, Any], overrides: Mapping[str, str] | None = None) -> None:
        self.template = template
        self.parameters = parameter_values(template, overrides)
        self.resources: Mapping[str, Any] = template.get("Resources") or {}

    def resolve(self, value: Any) -> Any:
        if isinstance(value, list):
            items = [self.resolve(item) for item in value]
            return [item for item in items if item is not NO_VALUE]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            ((key, argument),) = value.items()
            if key == "Ref":
                return self.ref(argument)
            if key == "Condition":
                return self.condition(argument)
            if key.startswith("Fn::"):
                return self._function(key[4:], argument)
        resolved = {key: self.resolve(item) for key, item in value.items()}
        return {key: item for key, item in resolved.items() if item is not NO_VALUE}

    def ref(self, name: str) -> Any:
        if name in self.parameters:
            return self.parameters[name]
        if name in _PSEUDO_PARAMETERS:
            return _PSEUDO_PARAMETERS[name]
        if name in self.resources:
            return self._physical_ref(name)
        raise ValueError(f"!Ref {name}: no such parameter or resource (or a parameter without a Default)")

    def get_att(self, logical_id: str, attribute: str) -> str:
        resource = self._resource(logical_id)
        kind = resource.get("Type")
        name = self._physical_name(logical_id)
        arns = {
            "AWS::DynamoDB::Table": f"arn:aws:dynamodb:{REGION}:{ACCOUNT_ID}:table/{name}",
            "AWS::Serverless::Function": f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:{name}",
            "AWS::Lambda::Function": f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:{name}",
            "AWS::SQS::Queue": f"arn:aws:sqs:{REGION}:{ACCOUNT_ID}:{name}",
            "AWS::Logs::LogGroup": f"arn:aws:logs:{REGION}:{ACCOUNT_ID}:log-group:{name}:*",
            "AWS::S3::Bucket": f"arn:aws:s3:::{name}",
        }
        if attribute == "Arn" and kind in arns:
            return arns[kind]
        if attribute == "QueueName" and kind == "AWS::SQS::Queue":
            return name
        raise ValueError(f"!GetAtt {logical_id}.{attribute} is not emulated locally")

    def condition(self, name: str) -> bool:
        conditions: Mapping[str, Any] = self.template.get("Conditions") or {}
        if name not in conditions:
            raise ValueError(f"unknown condition {name}")
        return bool(self.resolve(conditions[name]))

    def _function(self, name: str, argument: Any) -> Any:
        if name == "Sub":
            return self._sub(argument)
        if name == "GetAtt":
            logical_id, attribute = argument if isinstance(argument, list) else argument.split(".", 1)
            return self.get_att(self.resolve(logical_id), self.resolve(attribute))
        if name == "If":
            condition, when_true, when_false = argument
            return self.resolve(when_true if self.condition(condition) else when_false)
        args = self.resolve(argument)
        if name == "Join":
            delimiter, items = args
            return str(delimiter).join(str(item) for item in items)
        if name == "Select":
            index, items = args
            return items[int(index)]
        if name == "Split":
            delimiter, text = args
            return str(text).split(str(delimiter))
        if name == "Equals":
            left, right = args
            return str(left) == str(right)
        if name == "And":
            return all(args)
        if name == "Or":
            return any(args)
        if name == "Not":
            return not args[0]
        if name == "FindInMap":
            mapping, top, second = args
            return self.template["Mappings"][mapping][top][second]
        if name == "Base64":
            return base64.b64encode(str(args).encode()).decode()
        raise ValueError(f"Fn::{name} is not emulated locally")

    def _sub(self, argument: Any) -> str:
        text, variables = (argument, {}) if isinstance(argument, str) else argument

        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            if name.startswith("!"):
                # `${!Literal}` is CloudFormation's escape for a literal `${Literal}`.
                return "${" + name[1:] + "}"
            if name in variables:
                return str(self.resolve(variables[name]))
            if "." in name:
                logical_id, attribute = name.split(".", 1)
                return self.get_att(logical_id, attribute)
            return str(self.ref(name))

        return _SUB_VARIABLE.sub(replace, str(text))

    def _resource(self, logical_id: str) -> Mapping[str, Any]:
        if logical_id not in self.resources:
            raise ValueError(f"no resource {logical_id}")
        resource: Mapping[str, Any] = self.resources[logical_id]
        return resource

    def _physical_name(self, logical_id: str) -> str:
        resource = self._resource(logical_id)
        prop = _NAME_PROPERTY.get(resource.get("Type", ""))
        properties = resource.get("Properties") or {}
        if prop and prop in properties:
            return str(self.resolve(properties[prop]))
        # CloudFormation would generate a name; the logical id is a stable local stand-in.
        return logical_id

    def _physical_ref(self, logical_id: str) -> str:
        name = self._physical_name(logical_id)
        if self._resource(logical_id).get("Type") == "AWS::SQS::Queue":
            return f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT_ID}/{name}"
        return name
