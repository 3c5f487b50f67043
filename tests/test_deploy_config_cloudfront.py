"""make check-config and the template's Rules for the CloudFront distribution: one origin serves the web app and
the debtors' pages, so WebOrigin and PublicBaseUrl are that origin; a custom domain needs its certificate."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from local import deploy_config
from local.cfn import parameter_values
from local.template import load_template
from tests.support.http import ROOT

TEMPLATE = load_template(ROOT / "template.yaml")
SAMCONFIG = deploy_config.load_samconfig(ROOT / "samconfig.toml")


def with_overrides(environment: str, **values: str) -> dict[str, Any]:
    changed = copy.deepcopy(SAMCONFIG)
    parameters = changed[environment]["deploy"]["parameters"]
    kept = [item for item in parameters["parameter_overrides"] if item.split("=", 1)[0] not in values]
    parameters["parameter_overrides"] = kept + [f"{name}={value}" for name, value in values.items()]
    return changed


def problems(samconfig: dict[str, Any]) -> set[tuple[str, str]]:
    return {(p.environment, p.parameter) for p in deploy_config.check(TEMPLATE, samconfig)}


@pytest.mark.parametrize("environment", ["dev", "prod"])
def test_each_environment_serves_app_and_pages_on_its_custom_domain(environment: str) -> None:
    given = deploy_config.overrides(SAMCONFIG, environment)
    origin = f"https://{given['AppDomainName']}"
    assert given["WebOrigin"] == given["PublicBaseUrl"] == origin
    assert given["AppCertificateArn"].startswith("arn:aws:acm:us-east-1:")


@pytest.mark.parametrize("name", ["WebOrigin", "PublicBaseUrl"])
def test_an_origin_other_than_the_custom_domain_is_refused(name: str) -> None:
    assert problems(with_overrides("prod", **{name: "https://pay.collectra.example"})) == {("prod", name)}


def test_a_new_custom_domain_moves_both_origins() -> None:
    moved = with_overrides("prod", AppDomainName="collectra.example")
    assert problems(moved) == {("prod", "WebOrigin"), ("prod", "PublicBaseUrl")}
    both = with_overrides(
        "prod",
        AppDomainName="collectra.example",
        WebOrigin="https://collectra.example",
        PublicBaseUrl="https://collectra.example",
    )
    assert problems(both) == set()


def test_without_a_custom_domain_the_two_origins_must_still_be_one() -> None:
    bare = {"AppDomainName": "", "AppCertificateArn": ""}
    same = with_overrides(
        "dev", **bare, WebOrigin="https://d111.cloudfront.net", PublicBaseUrl="https://d111.cloudfront.net"
    )
    assert problems(same) == set()
    apart = with_overrides("dev", **bare, WebOrigin="https://d111.cloudfront.net", PublicBaseUrl="https://x.example")
    assert problems(apart) == {("dev", "PublicBaseUrl")}


def test_a_custom_domain_without_its_certificate_is_refused_by_the_template_rule() -> None:
    values = parameter_values(TEMPLATE, {"AppDomainName": "app.collectra.example"})
    [refused] = deploy_config.rule_problems(TEMPLATE, "dev", values)
    assert "AppCertificateArn" in refused.message
    assert deploy_config.rule_problems(TEMPLATE, "dev", parameter_values(TEMPLATE)) == []


@pytest.mark.parametrize(
    "arn",
    [
        "arn:aws:acm:eu-west-1:111122223333:certificate/0a1b2c3d-0000-4000-8000-00000000f0d1",  # not us-east-1
        "app.collectra.example",
    ],
)
def test_the_certificate_must_be_an_acm_arn_in_us_east_1(arn: str) -> None:
    assert ("prod", "AppCertificateArn") in problems(with_overrides("prod", AppCertificateArn=arn))
