"""The AWS emulator: moto in server mode, bootstrapped with the template's tables, queues, buckets and secrets.

Functions reach it through AWS_ENDPOINT_URL, which boto3 honours natively, so production code runs
unchanged against it.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping
from typing import Any

import boto3
from botocore.exceptions import ClientError

from local.cfn import REGION
from local.moto_query import partition_queries
from local.moto_rollback import cheap_rollback
from local.moto_serial import serial_requests
from local.template import bucket_definitions, queue_definitions, secret_names, table_definitions

# Dummy credentials: botocore insists on signing, and a developer's real keys must never be used
# (or leak into a function) just because the emulator is down.
CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
}


def aws_environment(endpoint_url: str) -> dict[str, str]:
    """Environment variables that point an AWS SDK at the emulator."""
    return {
        # The emulator copies a whole table for each transaction: give it time rather than retrying.
        "COLLECTRA_AWS_READ_TIMEOUT": "120",
        **CREDENTIALS,
        "AWS_ENDPOINT_URL": endpoint_url,
        "AWS_REGION": REGION,
        "AWS_DEFAULT_REGION": REGION,
    }


def client(service: str, endpoint_url: str) -> Any:
    return boto3.session.Session().client(
        service,  # type: ignore[call-overload]
        endpoint_url=endpoint_url,
        region_name=REGION,
        aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        aws_session_token=CREDENTIALS["AWS_SESSION_TOKEN"],
    )


class Emulator:
    """moto's server on a background thread; port 0 picks a free port."""

    def __init__(self, host: str = "127.0.0.1", port: int = 5000, request_log: bool = False) -> None:
        # Imported here because moto takes a noticeable time to import and only this class needs it.
        from moto.server import ThreadedMotoServer

        if not request_log:
            # One line per AWS call drowns the function logs; errors still get through.
            logging.getLogger("werkzeug").setLevel(logging.ERROR)
        self._server = ThreadedMotoServer(ip_address=host, port=port, verbose=False)
        self._url: str | None = None
        self._rollback = cheap_rollback()
        self._queries = partition_queries()
        self._serial = serial_requests()

    def start(self) -> None:
        self._rollback.__enter__()
        self._queries.__enter__()
        self._serial.__enter__()
        self._server.start()
        host, port = self._server.get_host_and_port()
        self._url = f"http://{host}:{port}"

    @property
    def url(self) -> str:
        if self._url is None:
            raise RuntimeError("the emulator is not started")
        return self._url

    def stop(self) -> None:
        if self._url is not None:
            self._server.stop()
            self._url = None
            self._rollback.__exit__(None, None, None)
            self._queries.__exit__(None, None, None)
            self._serial.__exit__(None, None, None)

    def __enter__(self) -> Emulator:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()


def _error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def _ensure_table(dynamodb: Any, definition: Mapping[str, Any]) -> None:
    kwargs = dict(definition)
    ttl_attribute = kwargs.pop("TimeToLiveAttributeName", None)
    recovery = kwargs.pop("PointInTimeRecoveryEnabled", False)
    try:
        dynamodb.create_table(**kwargs)
    except ClientError as error:
        if _error_code(error) != "ResourceInUseException":
            raise
    dynamodb.get_waiter("table_exists").wait(TableName=kwargs["TableName"], WaiterConfig={"Delay": 0.1})
    if recovery:
        backups = dynamodb.describe_continuous_backups(TableName=kwargs["TableName"])["ContinuousBackupsDescription"]
        if backups["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] != "ENABLED":
            dynamodb.update_continuous_backups(
                TableName=kwargs["TableName"],
                PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True},
            )
    if ttl_attribute is None:
        return
    current = dynamodb.describe_time_to_live(TableName=kwargs["TableName"])["TimeToLiveDescription"]
    if current.get("TimeToLiveStatus") not in ("ENABLED", "ENABLING"):
        dynamodb.update_time_to_live(
            TableName=kwargs["TableName"],
            TimeToLiveSpecification={"Enabled": True, "AttributeName": ttl_attribute},
        )


def _ensure_secret(secretsmanager: Any, name: str, value: str | None) -> None:
    try:
        secretsmanager.describe_secret(SecretId=name)
    except ClientError as error:
        if _error_code(error) != "ResourceNotFoundException":
            raise
        secretsmanager.create_secret(Name=name, SecretString=value or secrets.token_urlsafe(48))
        return
    if value is not None:
        current = secretsmanager.get_secret_value(SecretId=name).get("SecretString")
        if current != value:
            secretsmanager.put_secret_value(SecretId=name, SecretString=value)


_NO_SUCH_QUEUE = ("AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist")
# Fixed when a queue is created: SQS refuses to change them afterwards.
_CREATION_ONLY = ("FifoQueue",)


def _ensure_queue(sqs: Any, definition: Mapping[str, Any]) -> None:
    """Create the queue, or bring an existing one's attributes (redrive policy included) to the template's."""
    try:
        url = sqs.get_queue_url(QueueName=definition["QueueName"])["QueueUrl"]
    except ClientError as error:
        if _error_code(error) not in _NO_SUCH_QUEUE:
            raise
        sqs.create_queue(**definition)
        return
    attributes = {k: v for k, v in definition.get("Attributes", {}).items() if k not in _CREATION_ONLY}
    if attributes:
        sqs.set_queue_attributes(QueueUrl=url, Attributes=attributes)
    if definition.get("tags"):
        sqs.tag_queue(QueueUrl=url, Tags=definition["tags"])


_BUCKET_SETTINGS = {
    "ServerSideEncryptionConfiguration": "put_bucket_encryption",
    "PublicAccessBlockConfiguration": "put_public_access_block",
    "LifecycleConfiguration": "put_bucket_lifecycle_configuration",
}


def _ensure_bucket(s3: Any, definition: Mapping[str, Any]) -> None:
    """Create the bucket (in us-east-1: no location constraint), then set what the template sets on it.

    The bucket policy is not applied: moto does not enforce policies, and locally everything is plain HTTP.
    """
    try:
        s3.create_bucket(Bucket=definition["Bucket"])
    except ClientError as error:
        if _error_code(error) != "BucketAlreadyOwnedByYou":
            raise
    for setting, call in _BUCKET_SETTINGS.items():
        if setting in definition:
            getattr(s3, call)(Bucket=definition["Bucket"], **{setting: definition[setting]})


def create_tables(endpoint_url: str, template: Mapping[str, Any], overrides: Mapping[str, str] | None = None) -> None:
    """The template's tables, as `bootstrap` makes them: indexes, encryption, TTL, point-in-time recovery."""
    dynamodb = client("dynamodb", endpoint_url)
    for definition in table_definitions(template, overrides):
        _ensure_table(dynamodb, definition)


def bootstrap(
    endpoint_url: str,
    template: Mapping[str, Any],
    overrides: Mapping[str, str] | None = None,
    secret_values: Mapping[str, str] | None = None,
) -> None:
    """Create the template's tables (with TTL, point-in-time recovery and encryption), queues (dead-letter queues
    first, then the queues that redrive to them), buckets (with their encryption, public access block and
    lifecycle) and secrets in the emulator; safe to run again.

    Secrets get a random value when first created, except those named in `secret_values`
    (parameter name -> value), which are set to that value, e.g. the Brevo stand-in's API key.
    """
    unknown = set(secret_values or {}) - set(secret_names(template, overrides))
    if unknown:
        raise ValueError(f"not secret-name parameters of the template: {', '.join(sorted(unknown))}")
    create_tables(endpoint_url, template, overrides)
    sqs = client("sqs", endpoint_url)
    for definition in queue_definitions(template, overrides):
        _ensure_queue(sqs, definition)
    s3 = client("s3", endpoint_url)
    for definition in bucket_definitions(template, overrides):
        _ensure_bucket(s3, definition)
    secretsmanager = client("secretsmanager", endpoint_url)
    for parameter, name in secret_names(template, overrides).items():
        _ensure_secret(secretsmanager, name, (secret_values or {}).get(parameter))
