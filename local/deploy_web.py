"""Publish the built web app (web/dist) to the stack's bucket, then have CloudFront forget the old one.

`python -m local.deploy_web --config-env prod` (the last step of `make deploy ENV=prod`, after `sam deploy`):

1. reads the stack's outputs (AppBucketName, DistributionId) from CloudFormation, the stack and region
   named by samconfig.toml's environment;
2. uploads every file of web/dist under `app/`, with its Content-Type and Cache-Control: Vite's hashed files
   (`assets/name-HASH.ext`) are immutable for a year, everything else (index.html first of all) is
   `no-cache`, so a browser asks again and gets the new index.html, which names the new hashed files.
   Hashed files go up first and index.html last, so no index.html names a file not yet uploaded;
3. deletes the stale files: those of neither this build nor the one before it (a tab opened before this
   deploy still loads its lazy chunks). The list of the last build's files is kept in the bucket, outside
   `app/` (so CloudFront cannot serve it), at `deploy-manifest.json`;
4. invalidates `/app/*` in the distribution, so its edges drop the old index.html now.

The bucket is versioned: a bad upload can be undone by restoring the previous versions (docs/deploy.md).
"""

from __future__ import annotations

import argparse
import json
import mimetypes
import re
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PREFIX = "app/"
MANIFEST_KEY = "deploy-manifest.json"
INVALIDATED_PATHS = ("/app/*",)
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
# Vite's content-hashed output: assets/<name>-<8 or more base64url characters>.<ext>
_HASHED = re.compile(r"^assets/.+-[A-Za-z0-9_-]{8,}\.[A-Za-z0-9.]+$")
_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".map": "application/json; charset=utf-8",
    ".svg": "image/svg+xml",
    ".txt": "text/plain; charset=utf-8",
    ".webmanifest": "application/manifest+json",
    ".ico": "image/x-icon",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".webp": "image/webp",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
}


@dataclass(frozen=True)
class WebFile:
    path: Path
    key: str  # the object's key: app/ and the path under dist
    content_type: str
    cache_control: str


def content_type(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix in _TYPES:
        return _TYPES[suffix]
    guessed, _ = mimetypes.guess_type(name)
    return guessed or "application/octet-stream"


def cache_control(relative: str) -> str:
    """Hashed build output never changes under its name; anything else must be asked for again."""
    return IMMUTABLE if _HASHED.match(relative) else REVALIDATE


def web_files(dist: Path) -> list[WebFile]:
    """The build's files in upload order: immutable ones first, index.html last."""
    if not (dist / "index.html").is_file():
        raise FileNotFoundError(f"{dist}/index.html not found: build the app first (cd web && npm ci && npm run build)")
    files = []
    for path in sorted(p for p in dist.rglob("*") if p.is_file()):
        relative = path.relative_to(dist).as_posix()
        files.append(WebFile(path, PREFIX + relative, content_type(relative), cache_control(relative)))
    return sorted(files, key=lambda f: (f.cache_control != IMMUTABLE, f.key == PREFIX + "index.html", f.key))


def stack_outputs(cloudformation: Any, stack_name: str) -> dict[str, str]:
    [stack] = cloudformation.describe_stacks(StackName=stack_name)["Stacks"]
    return {output["OutputKey"]: output["OutputValue"] for output in stack.get("Outputs", [])}


def upload(s3: Any, bucket: str, files: Iterable[WebFile]) -> None:
    for file in files:
        with file.path.open("rb") as body:
            s3.put_object(
                Bucket=bucket,
                Key=file.key,
                Body=body,
                ContentType=file.content_type,
                CacheControl=file.cache_control,
            )


def _keys_under(s3: Any, bucket: str, prefix: str) -> set[str]:
    keys: set[str] = set()
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        keys.update(item["Key"] for item in page.get("Contents", []))
    return keys


def _previous_build(s3: Any, bucket: str) -> set[str]:
    try:
        body = s3.get_object(Bucket=bucket, Key=MANIFEST_KEY)["Body"].read()
    except s3.exceptions.NoSuchKey:
        return set()
    return set(json.loads(body)["keys"])


def delete_stale(s3: Any, bucket: str, current: set[str]) -> list[str]:
    """Delete what neither this build nor the previous one has; record this build. Returns the deleted keys."""
    stale = sorted(_keys_under(s3, bucket, PREFIX) - current - _previous_build(s3, bucket))
    for start in range(0, len(stale), 1000):
        batch = [{"Key": key} for key in stale[start : start + 1000]]
        s3.delete_objects(Bucket=bucket, Delete={"Objects": batch, "Quiet": True})
    manifest = json.dumps({"keys": sorted(current)}, indent=1)
    s3.put_object(Bucket=bucket, Key=MANIFEST_KEY, Body=manifest.encode(), ContentType="application/json")
    return stale


def invalidate(cloudfront: Any, distribution_id: str) -> str:
    answer = cloudfront.create_invalidation(
        DistributionId=distribution_id,
        InvalidationBatch={
            "Paths": {"Quantity": len(INVALIDATED_PATHS), "Items": list(INVALIDATED_PATHS)},
            "CallerReference": f"collectra-web-{time.time_ns()}",
        },
    )
    return str(answer["Invalidation"]["Id"])


def publish(session: Any, stack_name: str, dist: Path) -> dict[str, Any]:
    """Steps 1-4 with `session` (a boto3 Session); what was done, for the log."""
    files = web_files(dist)
    outputs = stack_outputs(session.client("cloudformation"), stack_name)
    missing = [name for name in ("AppBucketName", "DistributionId") if name not in outputs]
    if missing:
        raise LookupError(f"stack {stack_name} has no output {', '.join(missing)}: deploy the template first")
    bucket, distribution = outputs["AppBucketName"], outputs["DistributionId"]
    s3 = session.client("s3")
    upload(s3, bucket, files)
    deleted = delete_stale(s3, bucket, {file.key for file in files})
    invalidation = invalidate(session.client("cloudfront"), distribution)
    return {
        "bucket": bucket,
        "uploaded": len(files),
        "deleted": deleted,
        "distribution": distribution,
        "invalidation": invalidation,
        "url": outputs.get("AppUrl", ""),
    }


def _environment_settings(samconfig: Mapping[str, Any], environment: str) -> tuple[str, str | None]:
    """The stack name and region `sam deploy --config-env environment` uses."""
    if environment not in samconfig:
        raise LookupError(f"no environment {environment!r} in the configuration")
    section = samconfig[environment]
    merged: dict[str, Any] = {}
    for command in ("global", "deploy"):
        merged |= (section.get(command) or {}).get("parameters") or {}
    if "stack_name" not in merged:
        raise LookupError(f"environment {environment!r} names no stack_name")
    return str(merged["stack_name"]), merged.get("region")


def main(argv: Sequence[str] | None = None) -> int:
    import boto3

    from local.deploy_config import load_samconfig

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--config", default="samconfig.toml")
    parser.add_argument("--config-env", required=True, help="the environment `sam deploy` just deployed")
    parser.add_argument("--dist", default="web/dist", type=Path)
    args = parser.parse_args(argv)
    try:
        stack_name, region = _environment_settings(load_samconfig(args.config), args.config_env)
        done = publish(boto3.Session(region_name=region), stack_name, args.dist)
    except (FileNotFoundError, LookupError) as problem:
        print(f"web app not published: {problem}", file=sys.stderr)
        return 1
    print(
        f"Web app: {done['uploaded']} files to s3://{done['bucket']}/{PREFIX}, {len(done['deleted'])} stale deleted; "
        f"CloudFront {done['distribution']} invalidating {', '.join(INVALIDATED_PATHS)} ({done['invalidation']})."
    )
    if done["url"]:
        print(f"Open {done['url']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
