"""Refuse a deployment whose samconfig.toml environment is not ready, before `sam deploy` sees it.

`python -m local.deploy_config` (what `make check-config` and `make deploy` run) reads samconfig.toml and
template.yaml, with no AWS account, and exits non-zero naming every problem:

- every parameter the template groups as "Set per environment" (its `AWS::CloudFormation::Interface`
  metadata) is set in every environment's `parameter_overrides`, and `EnvironmentName` is the
  environment's own name; no override names a parameter the template does not declare;
- every value, default or override, meets the parameter's `AllowedValues` / `AllowedPattern`;
- in prod, no value contains `/dev/` or a loopback host, and every URL is `https://`;
- the template's own `Rules` hold for the values, as CloudFormation would evaluate them;
- WebOrigin and PublicBaseUrl are one origin, the CloudFront distribution's, which serves both the web app
  and the debtors' pages: `https://` and AppDomainName when a custom domain is set.

With `--require-credentials` it also stops, after those checks, when boto3 finds no AWS credentials, so a
deploy fails with one clear sentence rather than halfway through a build.
"""

from __future__ import annotations

import argparse
import re
import shlex
import sys
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from local.cfn import parameter_values
from local.template import load_template

PRODUCTION = "prod"
PER_ENVIRONMENT_GROUP = "Set per environment (samconfig.toml)"

_LOOPBACK = re.compile(r"(?i)(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[?::1\]?(?=[:/]|$)|0\.0\.0\.0)")
_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")


@dataclass(frozen=True)
class Problem:
    environment: str
    parameter: str
    message: str

    def __str__(self) -> str:
        return f"[{self.environment}] {self.parameter}: {self.message}"


def load_samconfig(path: str | Path = "samconfig.toml") -> dict[str, Any]:
    with open(path, "rb") as stream:
        return tomllib.load(stream)


def environments(samconfig: Mapping[str, Any]) -> list[str]:
    """The named environments that can be deployed: those with `deploy.parameters`."""
    return [name for name, section in samconfig.items() if isinstance(section, dict) and "deploy" in section]


def overrides(samconfig: Mapping[str, Any], environment: str) -> dict[str, str]:
    """An environment's `parameter_overrides` as a mapping, in either form SAM accepts.

    SAM takes a list of `Name=Value` strings or one string of them separated by spaces (quoted when a
    value has spaces).
    """
    raw = samconfig[environment]["deploy"]["parameters"].get("parameter_overrides", [])
    items = shlex.split(raw) if isinstance(raw, str) else [str(item) for item in raw]
    found: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep:
            raise ValueError(f"[{environment}] parameter_overrides: {item!r} is not Name=Value")
        found[name] = value
    return found


def per_environment_parameters(template: Mapping[str, Any]) -> list[str]:
    """The parameters the template's metadata says each environment must set itself."""
    interface = (template.get("Metadata") or {}).get("AWS::CloudFormation::Interface") or {}
    for group in interface.get("ParameterGroups") or []:
        if (group.get("Label") or {}).get("default") == PER_ENVIRONMENT_GROUP:
            return [str(name) for name in group["Parameters"]]
    raise ValueError(f"template.yaml has no parameter group labelled {PER_ENVIRONMENT_GROUP!r}")


def production_problems(name: str, value: str) -> list[str]:
    """Why `value` cannot be a production parameter value (nothing when it can)."""
    problems = []
    if "/dev/" in value:
        problems.append(f"{value!r} names a dev resource (/dev/)")
    if _LOOPBACK.search(value):
        problems.append(f"{value!r} points at a loopback address")
    if _URL.match(value) and not value.startswith("https://"):
        problems.append(f"{value!r} is a URL that is not https://")
    return problems


def _constraint_problems(spec: Mapping[str, Any], value: str) -> list[str]:
    allowed = spec.get("AllowedValues")
    if allowed is not None and value not in [str(item) for item in allowed]:
        return [f"{value!r} is not one of {allowed}"]
    pattern = spec.get("AllowedPattern")
    if pattern is not None and not re.fullmatch(str(pattern), value):
        return [f"{value!r} does not match {pattern}"]
    return []


class RuleEvaluator:
    """CloudFormation's rule functions (the Rules section) over fixed parameter values."""

    def __init__(self, values: Mapping[str, str]) -> None:
        self.values = values

    def evaluate(self, expression: Any) -> Any:
        if isinstance(expression, list):
            return [self.evaluate(item) for item in expression]
        if not isinstance(expression, dict):
            return str(expression)
        ((function, argument),) = expression.items()
        if function == "Ref":
            return self.values[argument]
        arguments = self.evaluate(argument)
        match function:
            case "Fn::Equals":
                return arguments[0] == arguments[1]
            case "Fn::Not":
                return not arguments[0]
            case "Fn::And":
                return all(arguments)
            case "Fn::Or":
                return any(arguments)
            case "Fn::Contains":
                return arguments[1] in arguments[0]
            case "Fn::EachMemberIn":
                return set(arguments[0]) <= set(arguments[1])
            case "Fn::EachMemberEquals":
                return all(item == arguments[1] for item in arguments[0])
        raise ValueError(f"rule function {function} is not evaluated here")


def rule_problems(template: Mapping[str, Any], environment: str, values: Mapping[str, str]) -> list[Problem]:
    """Each assertion of the template's Rules that `values` fail, as CloudFormation would refuse them."""
    evaluator = RuleEvaluator(values)
    problems = []
    for rule_name, rule in (template.get("Rules") or {}).items():
        if "RuleCondition" in rule and not evaluator.evaluate(rule["RuleCondition"]):
            continue
        for assertion in rule["Assertions"]:
            if not evaluator.evaluate(assertion["Assert"]):
                message = assertion.get("AssertDescription", "assertion failed")
                problems.append(Problem(environment, f"rule {rule_name}", message))
    return problems


def check(template: Mapping[str, Any], samconfig: Mapping[str, Any]) -> list[Problem]:
    """Every reason the environments of `samconfig` cannot be deployed with `template` (none: they can)."""
    declared: Mapping[str, Any] = template.get("Parameters") or {}
    required = per_environment_parameters(template)
    problems: list[Problem] = []
    for environment in environments(samconfig):
        given = overrides(samconfig, environment)
        unknown = sorted(set(given) - set(declared))
        problems += [Problem(environment, name, "not a parameter of template.yaml") for name in unknown]
        problems += [
            Problem(environment, name, "set per environment, but not in this environment's parameter_overrides")
            for name in required
            if name not in given
        ]
        values = parameter_values(template, {k: v for k, v in given.items() if k in declared})
        if values.get("EnvironmentName") != environment:
            problems.append(Problem(environment, "EnvironmentName", f"must be {environment!r}"))
        for name, value in values.items():
            problems += [Problem(environment, name, why) for why in _constraint_problems(declared[name], value)]
            if values.get("EnvironmentName") == PRODUCTION:
                problems += [Problem(environment, name, why) for why in production_problems(name, value)]
        problems += rule_problems(template, environment, values)
        problems += same_origin_problems(environment, values)
    return problems


def same_origin_problems(environment: str, values: Mapping[str, str]) -> list[Problem]:
    """WebOrigin and PublicBaseUrl must both be the CloudFront distribution's origin (docs/deploy.md)."""
    if "AppDomainName" not in values:
        return []
    domain = values["AppDomainName"]
    if domain:
        expected = f"https://{domain}"
        why = f"must be {expected!r}: the distribution's custom domain (AppDomainName) serves the app and the pages"
        return [Problem(environment, name, why) for name in ("WebOrigin", "PublicBaseUrl") if values[name] != expected]
    if values["PublicBaseUrl"] != values["WebOrigin"]:
        why = "must be WebOrigin: one CloudFront distribution serves the web app and the debtors' pages"
        return [Problem(environment, "PublicBaseUrl", why)]
    return []


def _has_credentials() -> bool:
    import boto3  # only here: the offline check does not need it

    return boto3.Session().get_credentials() is not None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--template", default="template.yaml")
    parser.add_argument("--config", default="samconfig.toml")
    parser.add_argument("--config-env", help="the environment about to be deployed; it must exist")
    parser.add_argument("--require-credentials", action="store_true", help="also fail when no AWS credentials")
    args = parser.parse_args(argv)
    template = load_template(args.template)
    samconfig = load_samconfig(args.config)
    if args.config_env is not None and args.config_env not in environments(samconfig):
        print(f"{args.config}: no environment {args.config_env!r} to deploy", file=sys.stderr)
        return 2
    problems = check(template, samconfig)
    for problem in problems:
        print(f"{args.config}: {problem}", file=sys.stderr)
    if problems:
        print(f"{args.config}: {len(problems)} problem(s); nothing deployed.", file=sys.stderr)
        return 1
    print(f"{args.config}: {', '.join(environments(samconfig))} ready to deploy with {args.template}.")
    if args.require_credentials and not _has_credentials():
        print(
            "No AWS credentials found (AWS_PROFILE, AWS_ACCESS_KEY_ID, ~/.aws): configure them to deploy; "
            "nothing deployed.",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
