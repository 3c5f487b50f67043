"""`make deploy`'s last step, local/deploy_web.py, against moto's S3, CloudFront and CloudFormation (no network):
the right Content-Type and Cache-Control on every file, index.html uploaded last, stale files deleted one build
late, /app/* invalidated."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from local import deploy_web
from local.deploy_config import load_samconfig
from tests.support.http import ROOT

REGION = "eu-west-1"
STACK = "collectra-test"


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """A deployed stack as far as the web app is concerned: its bucket, its distribution, their outputs."""
    for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        session = boto3.Session(region_name=REGION)
        bucket = "collectra-test-web-123456789012-eu-west-1"
        session.client("s3").create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
        distribution = session.client("cloudfront").create_distribution(
            DistributionConfig={
                "CallerReference": "collectra-test",
                "Comment": "",
                "Enabled": True,
                "Origins": {
                    "Quantity": 1,
                    "Items": [
                        {
                            "Id": "app",
                            "DomainName": f"{bucket}.s3.{REGION}.amazonaws.com",
                            "S3OriginConfig": {"OriginAccessIdentity": ""},
                        }
                    ],
                },
                "DefaultCacheBehavior": {"TargetOriginId": "app", "ViewerProtocolPolicy": "https-only"},
            }
        )["Distribution"]["Id"]
        outputs = {
            "AppBucketName": {"Value": bucket},
            "DistributionId": {"Value": distribution},
            "AppUrl": {"Value": "https://app.collectra.example/app/"},
        }
        session.client("cloudformation").create_stack(
            StackName=STACK,
            TemplateBody=json.dumps({"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}, "Outputs": outputs}),
        )
        yield {"session": session, "bucket": bucket, "distribution": distribution}


def build(dist: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (dist / name).parent.mkdir(parents=True, exist_ok=True)
        (dist / name).write_text(text)
    return dist


FIRST = {
    "index.html": '<script type="module" src="/app/assets/index-D-_fDrot.js"></script>',
    "assets/index-D-_fDrot.js": "console.log(1)",
    "assets/index-MnuVhaZW.css": "body{}",
    "assets/DebtsPage-DNasi0Vl.js": "export {}",
    "assets/DebtsPage-DNasi0Vl.js.map": "{}",
    "favicon.svg": "<svg/>",
}


def objects(aws: dict[str, Any]) -> dict[str, dict[str, Any]]:
    s3 = aws["session"].client("s3")
    keys = [item["Key"] for item in s3.list_objects_v2(Bucket=aws["bucket"]).get("Contents", [])]
    return {key: s3.head_object(Bucket=aws["bucket"], Key=key) for key in keys}


def test_every_file_is_uploaded_under_app_with_its_type_and_caching(aws: dict[str, Any], tmp_path: Path) -> None:
    done = deploy_web.publish(aws["session"], STACK, build(tmp_path, FIRST))

    stored = objects(aws)
    assert set(stored) == {f"app/{name}" for name in FIRST} | {deploy_web.MANIFEST_KEY}
    expected = {
        "app/index.html": ("text/html; charset=utf-8", "no-cache"),
        "app/favicon.svg": ("image/svg+xml", "no-cache"),
        "app/assets/index-D-_fDrot.js": ("text/javascript; charset=utf-8", "public, max-age=31536000, immutable"),
        "app/assets/index-MnuVhaZW.css": ("text/css; charset=utf-8", "public, max-age=31536000, immutable"),
        "app/assets/DebtsPage-DNasi0Vl.js.map": ("application/json; charset=utf-8", deploy_web.IMMUTABLE),
    }
    for key, (content_type, cache_control) in expected.items():
        assert (stored[key]["ContentType"], stored[key]["CacheControl"]) == (content_type, cache_control), key
    assert done["bucket"] == aws["bucket"] and done["uploaded"] == len(FIRST)
    assert done["url"] == "https://app.collectra.example/app/"


def test_app_star_is_invalidated_in_the_stacks_distribution(aws: dict[str, Any], tmp_path: Path) -> None:
    done = deploy_web.publish(aws["session"], STACK, build(tmp_path, FIRST))

    cloudfront = aws["session"].client("cloudfront")
    [listed] = cloudfront.list_invalidations(DistributionId=aws["distribution"])["InvalidationList"]["Items"]
    assert listed["Id"] == done["invalidation"]
    batch = cloudfront.get_invalidation(DistributionId=aws["distribution"], Id=listed["Id"])["Invalidation"]
    assert batch["InvalidationBatch"]["Paths"]["Items"] == ["/app/*"]


def test_stale_files_go_one_build_late_so_open_tabs_still_load_their_chunks(
    aws: dict[str, Any], tmp_path: Path
) -> None:
    s3 = aws["session"].client("s3")
    s3.put_object(Bucket=aws["bucket"], Key="app/assets/left-over-from-long-ago.js", Body=b"")

    deploy_web.publish(aws["session"], STACK, build(tmp_path / "one", FIRST))
    assert "app/assets/left-over-from-long-ago.js" not in objects(aws)  # in no known build

    second = {"index.html": "<p>2</p>", "assets/index-Zz99Yy88.js": "console.log(2)"}
    done = deploy_web.publish(aws["session"], STACK, build(tmp_path / "two", second))
    kept = set(objects(aws))
    assert {f"app/{name}" for name in FIRST | second} <= kept  # the first build's chunks stay for open tabs
    assert done["deleted"] == []
    assert s3.get_object(Bucket=aws["bucket"], Key="app/index.html")["Body"].read() == b"<p>2</p>"

    third = {"index.html": "<p>3</p>", "assets/index-Xx77Ww66.js": "console.log(3)"}
    done = deploy_web.publish(aws["session"], STACK, build(tmp_path / "three", third))
    stored = set(objects(aws))
    assert stored == {f"app/{name}" for name in second | third} | {deploy_web.MANIFEST_KEY}
    assert sorted(done["deleted"]) == sorted(f"app/{name}" for name in FIRST if name != "index.html")


def test_the_manifest_is_outside_what_cloudfront_may_read() -> None:
    assert not deploy_web.MANIFEST_KEY.startswith(deploy_web.PREFIX)


def test_hashed_files_go_up_first_and_index_html_last(tmp_path: Path) -> None:
    order = [file.key for file in deploy_web.web_files(build(tmp_path, FIRST))]
    assert order[-1] == "app/index.html"
    immutable = [file.cache_control == deploy_web.IMMUTABLE for file in deploy_web.web_files(tmp_path)]
    assert immutable == sorted(immutable, reverse=True)


@pytest.mark.parametrize(
    ("name", "cached"),
    [
        ("assets/index-D-_fDrot.js", True),
        ("assets/SignInPage-fuGN5xgb.js", True),
        ("index.html", False),
        ("favicon.svg", False),
        ("assets/logo.svg", False),  # under assets/ but not hashed
        ("robots.txt", False),
    ],
)
def test_only_hashed_build_output_is_immutable(name: str, cached: bool) -> None:
    assert (deploy_web.cache_control(name) == deploy_web.IMMUTABLE) is cached


def test_nothing_is_published_without_a_build(aws: dict[str, Any], tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="npm run build"):
        deploy_web.publish(aws["session"], STACK, tmp_path)
    assert objects(aws) == {}


def test_a_stack_without_the_outputs_is_refused(aws: dict[str, Any], tmp_path: Path) -> None:
    aws["session"].client("cloudformation").create_stack(
        StackName="older", TemplateBody=json.dumps({"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}})
    )
    with pytest.raises(LookupError, match="AppBucketName, DistributionId"):
        deploy_web.publish(aws["session"], "older", build(tmp_path, FIRST))


@pytest.mark.parametrize("environment", ["dev", "prod"])
def test_the_stack_and_region_are_samconfigs(environment: str) -> None:
    settings = deploy_web._environment_settings(load_samconfig(ROOT / "samconfig.toml"), environment)
    assert settings == (f"collectra-{environment}", "eu-west-1")


def test_make_deploy_builds_the_app_first_and_publishes_it_after_sam_deploy() -> None:
    makefile = (ROOT / "Makefile").read_text()
    recipe = makefile.split("\ndeploy:", 1)[1].split("\n\n", 1)[0]
    lines = [line.strip() for line in recipe.splitlines()[1:]]
    build_web = next(i for i, line in enumerate(lines) if "npm ci" in line and "npm run build" in line)
    sam_deploy = next(i for i, line in enumerate(lines) if "$(SAM) deploy" in line)
    publish = next(i for i, line in enumerate(lines) if "local.deploy_web" in line)
    assert build_web < sam_deploy < publish
    assert "--config-env $(ENV)" in lines[publish]
