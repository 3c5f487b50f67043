"""AWS clients, made from the process's one botocore session.

botocore rather than boto3: no function uses boto3's resource API or its S3 transfer methods, and importing
boto3 (with s3transfer) only to reach botocore cost every cold start about 0.05x `import boto3` (measured,
docs/decisions.md). One session, so that the clients a function makes share botocore's loaded models and
endpoint rules (a second client from the same session costs a tenth of the first). Clients honour
AWS_ENDPOINT_URL (the local emulator) as boto3's do: that is botocore's own configuration.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from botocore.config import Config
    from botocore.session import Session

_session: list[Session] = []
# A function may read in threads from its first request on (home.summary); botocore sessions are not thread-safe.
_lock = threading.Lock()


def session() -> Session:
    """The process's botocore session (its event hooks reach every client made after they are registered)."""
    with _lock:
        return _session_locked()


def client(service: str, config: Config | None = None) -> Any:
    """A new client for `service` (botocore's name: "dynamodb", "sqs", "s3", "secretsmanager"). Callers keep it:
    one per service and process, made on first use (not at import: cold start)."""
    with _lock:
        return _session_locked().create_client(service, config=config)


def _session_locked() -> Session:
    if not _session:
        import botocore.session  # on first use, not at import: cold start

        _session.append(botocore.session.get_session())
    return _session[0]
