"""samconfig.toml sets every environment-specific parameter per environment, and a prod deployment with a
laptop's or dev's value is refused: by `make check-config` / `make deploy` and by the template's Rules."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from local import deploy_config
from local.cfn import parameter_values
from local.template import load_template
from tests.support.http import ROOT

TEMPLATE = load_template(ROOT / "template.yaml")
SAMCONFIG_TEXT = (ROOT / "samconfig.toml").read_text()
SAMCONFIG = deploy_config.load_samconfig(ROOT / "samconfig.toml")
PER_ENVIRONMENT = deploy_config.per_environment_parameters(TEMPLATE)
SECRET_PARAMETERS = sorted(name for name in TEMPLATE["Parameters"] if name.endswith("SecretName"))


def _with_prod_override(name: str, value: str) -> dict[str, Any]:
    """samconfig.toml as read, with one of prod's overrides replaced."""
    dev, prod = SAMCONFIG_TEXT.split("[prod.global")
    changed = tomllib.loads(dev + "[prod.global" + re.sub(rf'"{name}=[^"]*"', f'"{name}={value}"', prod))
    assert deploy_config.overrides(changed, "prod")[name] == value
    return changed


def test_dev_and_prod_are_the_environments_to_deploy() -> None:
    assert deploy_config.environments(SAMCONFIG) == ["dev", "prod"]


@pytest.mark.parametrize("environment", ["dev", "prod"])
def test_every_environment_specific_parameter_is_set_in_each_environment(environment: str) -> None:
    given = deploy_config.overrides(SAMCONFIG, environment)
    assert [name for name in PER_ENVIRONMENT if name not in given] == []
    assert given["EnvironmentName"] == environment


def test_every_parameter_whose_default_suits_only_a_laptop_or_dev_is_set_per_environment() -> None:
    # A parameter added later with a dev or local default cannot slip out of the per-environment group.
    defaults = parameter_values(TEMPLATE)
    unsafe = {name for name, value in defaults.items() if deploy_config.production_problems(name, value)}
    assert {"PublicBaseUrl", "WebOrigin", *SECRET_PARAMETERS} <= unsafe
    assert unsafe <= set(PER_ENVIRONMENT)


def test_every_parameter_is_in_exactly_one_group() -> None:
    groups = TEMPLATE["Metadata"]["AWS::CloudFormation::Interface"]["ParameterGroups"]
    grouped = [name for group in groups for name in group["Parameters"]]
    assert sorted(grouped) == sorted(TEMPLATE["Parameters"])


def test_the_template_reads_six_secrets_each_environment_names_its_own() -> None:
    assert len(SECRET_PARAMETERS) == 6
    for environment in ("dev", "prod"):
        given = deploy_config.overrides(SAMCONFIG, environment)
        assert all(given[name].startswith(f"collectra/{environment}/") for name in SECRET_PARAMETERS)


def test_the_committed_configuration_passes_every_check_and_the_template_rules() -> None:
    assert deploy_config.check(TEMPLATE, SAMCONFIG) == []
    prod = parameter_values(TEMPLATE, deploy_config.overrides(SAMCONFIG, "prod"))
    assert prod["PublicBaseUrl"].startswith("https://")
    assert deploy_config.rule_problems(TEMPLATE, "prod", prod) == []


def test_the_template_rule_refuses_prod_with_the_dev_defaults() -> None:
    # What CloudFormation evaluates when `sam deploy` is run by hand with a bare prod configuration.
    values = parameter_values(TEMPLATE, {"EnvironmentName": "prod"})
    refused = {problem.message for problem in deploy_config.rule_problems(TEMPLATE, "prod", values)}
    assert any("PublicBaseUrl" in message for message in refused)
    assert any("secret names" in message for message in refused)
    assert any("AlarmEmail" in message for message in refused)


def test_the_template_rule_does_not_apply_to_dev() -> None:
    assert deploy_config.rule_problems(TEMPLATE, "dev", parameter_values(TEMPLATE)) == []


@pytest.mark.parametrize(
    ("name", "value", "reason"),
    [
        ("JwtSecretName", "collectra/dev/jwt-signing-key", "/dev/"),
        ("StripeWebhookSecretName", "collectra/dev/stripe-webhook-secrets-copy", "/dev/"),
        ("PublicBaseUrl", "http://127.0.0.1:3000", "loopback"),
        ("PublicBaseUrl", "https://localhost", "loopback"),
        ("PublicBaseUrl", "http://pay.collectra.example", "not https://"),
        ("WebOrigin", "http://app.collectra.example", "not https://"),
    ],
)
def test_the_check_refuses_a_prod_value_for_dev_or_a_laptop(name: str, value: str, reason: str) -> None:
    problems = deploy_config.check(TEMPLATE, _with_prod_override(name, value))
    assert [(p.environment, p.parameter) for p in problems if reason in p.message] == [("prod", name)]


def test_the_check_refuses_an_environment_missing_a_per_environment_parameter() -> None:
    changed = deploy_config.load_samconfig(ROOT / "samconfig.toml")
    overrides = changed["prod"]["deploy"]["parameters"]["parameter_overrides"]
    changed["prod"]["deploy"]["parameters"]["parameter_overrides"] = [
        item for item in overrides if not item.startswith("PageLinkSecretName=")
    ]
    problems = deploy_config.check(TEMPLATE, changed)
    assert ("prod", "PageLinkSecretName") in {(p.environment, p.parameter) for p in problems}


def test_the_check_refuses_an_override_the_template_does_not_declare() -> None:
    problems = deploy_config.check(TEMPLATE, _with_prod_override("WebOrigin", "https://app.collectra.example"))
    assert problems == []
    changed = deploy_config.load_samconfig(ROOT / "samconfig.toml")
    changed["prod"]["deploy"]["parameters"]["parameter_overrides"].append("PublicBaseURL=https://x.example")
    problems = deploy_config.check(TEMPLATE, changed)
    assert [(p.parameter, p.message) for p in problems] == [("PublicBaseURL", "not a parameter of template.yaml")]


def test_check_config_exits_non_zero_on_a_copy_with_a_dev_secret_and_zero_on_the_committed_one(
    tmp_path: Path,
) -> None:
    bad = tmp_path / "samconfig.toml"
    bad.write_text(SAMCONFIG_TEXT.replace("collectra/prod/page-link-key", "collectra/dev/page-link-key"))
    command = [sys.executable, "-m", "local.deploy_config", "--template", str(ROOT / "template.yaml")]
    refused = subprocess.run([*command, "--config", str(bad)], capture_output=True, text=True, cwd=ROOT, check=False)
    assert refused.returncode == 1
    assert "[prod] PageLinkSecretName: 'collectra/dev/page-link-key' names a dev resource" in refused.stderr
    accepted = subprocess.run(
        [*command, "--config", str(ROOT / "samconfig.toml")], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert accepted.returncode == 0, accepted.stderr


def test_without_credentials_the_deploy_stops_after_the_check_with_one_clear_sentence(tmp_path: Path) -> None:
    environment = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "AWS_CONFIG_FILE": str(tmp_path / "none"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none"),
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    result = subprocess.run(
        [sys.executable, "-m", "local.deploy_config", "--config-env", "prod", "--require-credentials"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=environment,
        check=False,
    )
    assert result.returncode == 1
    assert "ready to deploy" in result.stdout
    assert "No AWS credentials found" in result.stderr


def test_make_deploy_checks_the_configuration_before_building_or_deploying() -> None:
    # `make -n` prints the recipe without running it: the check comes first, `sam deploy` last.
    result = subprocess.run(
        [str(shutil.which("make")), "-n", "deploy", "ENV=prod"], capture_output=True, text=True, cwd=ROOT, check=True
    )
    lines = [line for line in result.stdout.splitlines() if "local.deploy_config" in line or " deploy " in line]
    assert "local.deploy_config" in lines[0] and "--config-env prod" in lines[0] and "--require-credentials" in lines[0]
    assert "sam deploy" in lines[-1] and "--config-env prod" in lines[-1]


def test_the_readme_tells_how_to_create_every_secret_of_every_environment() -> None:
    readme = (ROOT / "README.md").read_text()
    for environment in ("dev", "prod"):
        given = deploy_config.overrides(SAMCONFIG, environment)
        for name in SECRET_PARAMETERS:
            assert f"create-secret --name {given[name]}" in readme, (environment, name)
