"""The stack as CloudFormation deploys it stays within CloudFormation's 500 resources per stack.

template.yaml's own count says little: SAM turns each function into its function, role and permission (and an event
source, a rule, a version and an alias where it has them). So the template is transformed here by SAM's own
translator (samtranslator, which cfn-lint brings), offline: the code locations stand in for what `sam package`
uploads. When this fails, move the alarms and the dashboard into a nested stack (docs/decisions.md, issue 19).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest
from samtranslator.translator.transform import transform  # type: ignore[import-untyped]
from samtranslator.yaml_helper import yaml_parse  # type: ignore[import-untyped]

from tests.support.http import ROOT

LIMIT = 500  # CloudFormation's resources per stack


class _NoManagedPolicies:
    def load(self) -> dict[str, str]:
        return {}


def deployed_resources() -> dict[str, Any]:
    text = (ROOT / "template.yaml").read_text(encoding="utf-8")
    packaged = re.sub(r"^(\s*)(CodeUri|ContentUri): \S+$", r"\1\2: s3://bucket/key.zip", text, flags=re.MULTILINE)
    return dict(transform(yaml_parse(packaged), {}, _NoManagedPolicies(), feature_toggle=None)["Resources"])


def test_the_deployed_stack_has_fewer_resources_than_cloudformation_allows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    resources = deployed_resources()
    kinds = Counter(resource["Type"] for resource in resources.values())
    print(f"\n{len(resources)} of {LIMIT} resources once SAM transforms the template: {kinds.most_common(6)}")
    assert kinds["AWS::Lambda::Function"] == kinds["AWS::IAM::Role"] > 90  # the transform did expand the functions
    assert len(resources) <= LIMIT, f"{len(resources)} resources: split the stack (see this module's docstring)"
