"""Data export (access and portability): request, build, download."""

from __future__ import annotations

from stack.base import EXPORT_BUCKET, EXPORT_QUEUE, EXPORT_RETENTION_DAYS, JWT
from stack.blocks import bucket, query, secret, send_to, table
from stack.function import Consume, Function, Http
from stack.key_families import SIGNED_IN

FUNCTIONS = (
    Function(
        "RequestExport",
        handler="functions/exports/request_export.handler",
        event=Http("POST /account/export"),
        permissions=(
            table("BatchGetItem", "GetItem", "PutItem", "UpdateItem", "DeleteItem"),
            secret(JWT),
            send_to(EXPORT_QUEUE),
        ),
        keys=SIGNED_IN,
        settings=(EXPORT_RETENTION_DAYS,),
    ),
    Function(
        "GetExport",
        handler="functions/exports/get_export.handler",
        event=Http("GET /account/export/{id}"),
        permissions=(
            table("BatchGetItem", "GetItem"),
            secret(JWT),
            # Only to sign download links: a presigned URL carries this function's permission.
            bucket(EXPORT_BUCKET, "GetObject", objects="exports/*"),
        ),
        keys=SIGNED_IN,
    ),
    Function(
        "ExportWorker",
        handler="functions/exports/export_worker.handler",
        # At most 5 at once bounds the table reads of concurrent exports; throttled messages wait instead of failing.
        event=Consume(EXPORT_QUEUE, batch_size=1, max_concurrency=5),
        permissions=(
            table("Query", "GetItem", "UpdateItem", "DeleteItem"),
            query("gsi1"),
            # Parts are written, read back by the assembly and deleted; DeleteObject also removes an archive
            # whose workspace was deleted (or debtor erased) while it was built.
            bucket(
                EXPORT_BUCKET, "PutObject", "GetObject", "AbortMultipartUpload", "DeleteObject", objects="exports/*"
            ),
            # Its own queue: a plan queues the pieces, a cut piece its rest, the last piece read the assembly.
            send_to(EXPORT_QUEUE),
        ),
        keys=SIGNED_IN,
        # One full vCPU (Lambda gives CPU in proportion to memory): the work is CPU-bound (botocore's ~2 ms per
        # Query), so more memory makes it faster for the same GB-seconds. Memory used stays far below it.
        memory=1769,
        timeout=900,
        # The archive is spooled and zipped on local disk before it is uploaded (see bench/exports.py).
        ephemeral_storage=2048,
        settings=(EXPORT_RETENTION_DAYS,),
    ),
)
