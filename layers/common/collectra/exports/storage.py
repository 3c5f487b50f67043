"""Where archives go: the export bucket (encrypted at rest by the bucket's default, private, TLS only,
expired by a lifecycle rule), and the queue that hands an export's work to the worker.

Beside each archive, while it is built, its parts: `<archive's folder>/<export id>/parts/<piece>-<attempt>`,
each a packed file (`.gz`) and its manifest (`.json`), deleted once the archive is made or the export fails.

Clients are made on first use, never at import (cold start). The bucket, the queue and the archives'
lifetime come from the function's environment, which template.yaml sets from one parameter for the
bucket's lifecycle rule and for the export records' TTL alike.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from collectra import config, queues

DOWNLOAD_SECONDS = 15 * 60  # a presigned link is a bearer credential: short-lived
_s3: list[Any] = []


def _client() -> Any:
    if not _s3:
        import boto3
        from botocore.config import Config

        # Signature V4: the only one KMS-encrypted objects accept.
        _s3.append(boto3.client("s3", config=Config(signature_version="s3v4")))
    return _s3[0]


def object_key(user_id: str, export_id: str) -> str:
    return f"exports/{user_id}/{export_id}.zip"


def part_key(user_id: str, export_id: str, piece: str, attempt: str) -> str:
    """Where one attempt at a piece puts its part: an attempt never overwrites another's."""
    return f"exports/{user_id}/{export_id}/parts/{piece}-{attempt}"


def upload(path: Path, key: str, content_type: str = "application/zip") -> None:
    """Upload a file; large files go in parts (the transfer manager's multipart upload), so memory stays
    bounded; an abandoned multipart upload is removed by the bucket's lifecycle rule."""
    _client().upload_file(str(path), config.export_bucket(), key, ExtraArgs={"ContentType": content_type})


def put_json(key: str, value: Any) -> None:
    body = json.dumps(value, separators=(",", ":")).encode()
    _client().put_object(Bucket=config.export_bucket(), Key=key, Body=body, ContentType="application/json")


def get_json(key: str) -> Any:
    return json.loads(_client().get_object(Bucket=config.export_bucket(), Key=key)["Body"].read())


def open_range(key: str, at: int, size: int) -> Any:
    """A stream of `size` bytes of the object from offset `at`, read as it is consumed (a ranged GET)."""
    answer = _client().get_object(Bucket=config.export_bucket(), Key=key, Range=f"bytes={at}-{at + size - 1}")
    return answer["Body"]


def delete(key: str) -> None:
    """Delete an archive now (deleting one that is not there succeeds: S3's DeleteObject is idempotent)."""
    _client().delete_object(Bucket=config.export_bucket(), Key=key)


def delete_part(key: str) -> None:
    """Delete a part: its packed file and its manifest."""
    delete(key + ".gz")
    delete(key + ".json")


def download_url(key: str, filename: str) -> str:
    """A presigned GET for the archive, valid `DOWNLOAD_SECONDS`; signing is local (no call to S3)."""
    return str(
        _client().generate_presigned_url(
            "get_object",
            Params={
                "Bucket": config.export_bucket(),
                "Key": key,
                "ResponseContentDisposition": f'attachment; filename="{filename}"',
            },
            ExpiresIn=DOWNLOAD_SECONDS,
        )
    )


def enqueue(*messages: dict[str, Any]) -> None:
    queues.send("EXPORT_QUEUE_URL", [json.dumps(message) for message in messages])
