"""Data export (access and portability): request, build, download."""

from __future__ import annotations

from stack.base import EXPORT_BUCKET, EXPORT_QUEUE, EXPORT_RETENTION_DAYS, JWT
from stack.blocks import bucket, secret, send_to, table
from stack.function import Consume, Function, Http

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
        settings=(EXPORT_RETENTION_DAYS,),
    ),
    Function(
        "GetExport",
        handler="functions/exports/get_export.handler",
        event=Http("GET /account/export/{id}"),
        permissions=(
            table("BatchGetItem", "GetItem"),
            secret(JWT),
            bucket(EXPORT_BUCKET, "GetObject", objects="exports/*"),
        ),
    ),
    Function(
        "ExportWorker",
        handler="functions/exports/export_worker.handler",
        event=Consume(EXPORT_QUEUE, batch_size=1, max_concurrency=5),
        permissions=(
            table("Query", "GetItem", "UpdateItem", "DeleteItem", indexes=("gsi1",)),
            bucket(EXPORT_BUCKET, "PutObject", "AbortMultipartUpload", "DeleteObject", objects="exports/*"),
        ),
        memory=1769,
        timeout=900,
        ephemeral_storage=2048,
        settings=(EXPORT_RETENTION_DAYS,),
    ),
)
