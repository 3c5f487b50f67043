"""Where archives go: the export bucket (encrypted at rest by the bucket's default, private, TLS only,
expired by a lifecycle rule), and the queue that hands an export to the worker.

Clients are made on first use, never at import (cold start). The bucket, the queue and the archives'
lifetime come from the function's environment, which template.yaml sets from one parameter for the
bucket's lifecycle rule and for the export records' TTL alike.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from collectra import aws, config, queues

DOWNLOAD_SECONDS = 15 * 60  # a presigned link is a bearer credential: short-lived
_s3: list[Any] = []


def _client() -> Any:
    if not _s3:
        from botocore.config import Config

        # Signature V4: the only one KMS-encrypted objects accept.
        _s3.append(aws.client("s3", config=Config(signature_version="s3v4")))
    return _s3[0]


def object_key(user_id: str, export_id: str) -> str:
    return f"exports/{user_id}/{export_id}.zip"


def upload(path: Path, key: str) -> None:
    """Upload the archive; large files go in parts (s3transfer's multipart upload, what boto3's upload_file
    runs), so memory stays bounded; an abandoned multipart upload is removed by the bucket's lifecycle rule."""
    from s3transfer.manager import TransferManager  # only the export worker uploads

    with TransferManager(_client()) as transfers:
        transfers.upload(str(path), config.export_bucket(), key, extra_args={"ContentType": "application/zip"}).result()


def delete(key: str) -> None:
    """Delete an archive now (deleting one that is not there succeeds: S3's DeleteObject is idempotent)."""
    _client().delete_object(Bucket=config.export_bucket(), Key=key)


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


def enqueue(message: dict[str, Any]) -> None:
    queues.send("EXPORT_QUEUE_URL", [json.dumps(message)])
