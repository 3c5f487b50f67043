"""Where an operations command acts (`make redrive`, `make restore-check`): the local stack by default, or an AWS
environment of samconfig.toml with `--env dev|prod` (the Makefile's ENV=...).

- Local: the emulator `make dev` runs, found through the same COLLECTRA_* ports `make remind` reads
  (local.dev.LocalStack), with the template parameters `make dev` gives its functions (EnvironmentName dev).
- AWS: the environment's region and stack name from samconfig.toml, and the template parameters its
  `parameter_overrides` set (so resource names resolve as they were deployed). It needs AWS credentials (refused
  without), and a command that changes something asks the person first (`confirm`), unless --yes (YES=1).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from local.cfn import REGION
from local.deploy_config import environments, load_samconfig, overrides
from local.emulator import client as emulator_client


class TargetError(Exception):
    """The command cannot act there (no such environment, no credentials); the message says why."""


@dataclass(frozen=True)
class Target:
    """Where the command's AWS calls go, and the template parameters naming that stack's resources."""

    description: str  # "the local stack (emulator http://127.0.0.1:5000)", "AWS prod (stack collectra-prod, ...)"
    parameters: Mapping[str, str]
    endpoint_url: str | None = None  # the emulator's; None: AWS
    region: str | None = None
    session: Any = field(default=None, repr=False)  # a boto3 Session, for AWS

    @property
    def is_aws(self) -> bool:
        return self.endpoint_url is None

    def client(self, service: str) -> Any:
        if self.endpoint_url is not None:
            return emulator_client(service, self.endpoint_url)
        return self.session.client(service, region_name=self.region)


def local_target() -> Target:
    from local.dev import LocalStack, stack_overrides

    stack = LocalStack.from_environment()
    return Target(
        f"the local stack (emulator {stack.moto_url})",
        stack_overrides(stack),
        endpoint_url=stack.moto_url,
        region=REGION,
    )


def environment_settings(samconfig: Mapping[str, Any], environment: str) -> tuple[str, str | None]:
    """The stack name and region `sam deploy --config-env environment` uses."""
    section = samconfig[environment]
    merged: dict[str, Any] = {}
    for command in ("global", "deploy"):
        merged |= (section.get(command) or {}).get("parameters") or {}
    if "stack_name" not in merged:
        raise TargetError(f"environment {environment!r} names no stack_name")
    return str(merged["stack_name"]), merged.get("region")


def aws_target(
    environment: str, config: str = "samconfig.toml", *, session_factory: Callable[..., Any] | None = None
) -> Target:
    samconfig = load_samconfig(config)
    if environment not in environments(samconfig):
        raise TargetError(f"{config} has no environment {environment!r} (one of: {', '.join(environments(samconfig))})")
    stack_name, region = environment_settings(samconfig, environment)
    if session_factory is None:
        import boto3

        session_factory = boto3.Session
    session = session_factory(region_name=region)
    if session.get_credentials() is None:
        raise TargetError(
            f"no AWS credentials found (AWS_PROFILE, AWS_ACCESS_KEY_ID, ~/.aws) to reach {environment}: nothing done"
        )
    return Target(
        f"AWS {environment} (stack {stack_name}, {region or 'the default region'})",
        overrides(samconfig, environment),
        region=region,
        session=session,
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--env", choices=("dev", "prod"), help="an AWS environment of --config; default: the local stack"
    )
    parser.add_argument("--config", default="samconfig.toml", help="the SAM configuration naming each environment")
    parser.add_argument("--yes", action="store_true", help="do not ask before changing anything in AWS")


def target_of(arguments: argparse.Namespace) -> Target:
    return local_target() if arguments.env is None else aws_target(arguments.env, arguments.config)


def confirm(question: str, *, target: Target, yes: bool, ask: Callable[[str], str] = input) -> bool:
    """Whether to go on: at once locally or with --yes; else the person's `y` to `question` (no terminal: no)."""
    if not target.is_aws or yes:
        return True
    if ask is input and not sys.stdin.isatty():
        print(f"{question} Not asked: no terminal (YES=1 to go on without asking).", file=sys.stderr)
        return False
    return ask(f"{question} [y/N] ").strip().lower() in ("y", "yes")
