"""What the template keeps, and for how long: the lifetimes docs/privacy.md states for logs, queued messages and
export archives are the template's own. (The table's TTL attribute is checked in tests/test_template.py.)"""

from __future__ import annotations

from typing import Any

import pytest

from local.template import load_template
from tests.support.http import ROOT

TEMPLATE = load_template(ROOT / "template.yaml")
STATED_LOG_DAYS = 30  # docs/privacy.md: function logs are kept 30 days unless an environment says otherwise


def resources(kind: str) -> dict[str, dict[str, Any]]:
    return {
        name: resource.get("Properties", {})
        for name, resource in TEMPLATE["Resources"].items()
        if resource["Type"] == kind
    }


def test_logs_are_kept_thirty_days_by_default() -> None:
    parameter = TEMPLATE["Parameters"]["LogRetentionDays"]
    assert parameter["Default"] == STATED_LOG_DAYS
    assert max(parameter["AllowedValues"]) <= 365


@pytest.mark.parametrize("name", sorted(resources("AWS::Logs::LogGroup")))
def test_every_log_group_keeps_logs_for_the_stated_days(name: str) -> None:
    assert resources("AWS::Logs::LogGroup")[name]["RetentionInDays"] == {"Ref": "LogRetentionDays"}


def test_nothing_logs_to_a_group_the_template_does_not_define() -> None:
    """A function without its own group logs to one Lambda creates, kept forever; so does an API access log."""
    groups = set(resources("AWS::Logs::LogGroup"))
    for name, function in resources("AWS::Serverless::Function").items():
        assert function.get("LoggingConfig", {}).get("LogGroup", {}).get("Ref") in groups, name
    for name, api in resources("AWS::Serverless::HttpApi").items():
        destination = api.get("AccessLogSettings", {}).get("DestinationArn")
        assert destination is None or destination == {"Fn::GetAtt": [destination["Fn::GetAtt"][0], "Arn"]}, name
        assert destination is None or destination["Fn::GetAtt"][0] in groups, name


# Buckets that hold no personal data, and why their objects do not expire.
NO_PERSONAL_DATA = {"AppBucket": "the web app's built files (HTML, scripts, translations), served to anyone"}


def test_there_is_a_bucket_and_each_expires_its_objects_and_is_encrypted_and_private() -> None:
    buckets = resources("AWS::S3::Bucket")
    assert buckets, "export archives are kept in a bucket of the template"
    assert set(NO_PERSONAL_DATA) < set(buckets)
    for name, bucket in buckets.items():
        rules = [rule for rule in bucket["LifecycleConfiguration"]["Rules"] if rule["Status"] == "Enabled"]
        assert name in NO_PERSONAL_DATA or any(
            "ExpirationInDays" in rule and not rule.get("Prefix") and not rule.get("Filter") for rule in rules
        ), (
            name,
            "every object expires",
        )
        assert any("AbortIncompleteMultipartUpload" in rule for rule in rules), (name, "unfinished uploads expire")
        [encryption] = bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"]
        assert encryption["ServerSideEncryptionByDefault"]["SSEAlgorithm"] in ("AES256", "aws:kms"), name
        assert bucket["PublicAccessBlockConfiguration"] == {
            "BlockPublicAcls": True,
            "BlockPublicPolicy": True,
            "IgnorePublicAcls": True,
            "RestrictPublicBuckets": True,
        }, name


@pytest.mark.parametrize("name", sorted(resources("AWS::SQS::Queue")))
def test_every_queue_keeps_messages_at_most_fourteen_days(name: str) -> None:
    period = int(resources("AWS::SQS::Queue")[name]["MessageRetentionPeriod"])
    assert 0 < period <= 14 * 24 * 3600
