"""One Logger and one Metrics per process, configured by the POWERTOOLS_* environment, and `entry`, the wrapper
every Lambda handler goes through.

No Powertools Tracer: importing the X-Ray SDK costs about 190 ms of every cold start (measured with
`python -X importtime`, see docs/decisions.md); Lambda's active tracing still records each invocation.
"""

from __future__ import annotations

import functools
import gc
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.logging.formatter import LambdaPowertoolsFormatter

from collectra import config, snapstart  # noqa: F401 - every function imports this module at init: the hook is registered then
from collectra.redaction import scrub_record

# Most requests record no metric; Powertools would warn about that on every one of them.
warnings.filterwarnings("ignore", message="No application metrics to publish")


class RedactingFormatter(LambdaPowertoolsFormatter):
    """Powertools' JSON lines, with personal data and secrets taken out of every field (collectra.redaction)."""

    def serialize(self, log: Any) -> str:
        return super().serialize(scrub_record(dict(log)))


logger = Logger(logger_formatter=RedactingFormatter())
metrics = Metrics(namespace=config.metrics_namespace())

Handler = TypeVar("Handler", bound=Callable[..., Any])
_collecting = [False]


def entry(*, correlation_id_path: str | None = None, collect_from_start: bool = False) -> Callable[[Handler], Handler]:
    """The Lambda entry point's wrapper: structured logs carrying the invocation's id (and the correlation id at
    `correlation_id_path`), metrics flushed after each invocation, and garbage collection back on once the cold
    start is over (collectra/__init__.py turned it off): after the first invocation, which for a request is part
    of the start its caller waits for; before it with `collect_from_start`, for a queue or schedule function, whose
    start nobody waits for and whose invocations may run for minutes."""

    def wrap(handler: Handler) -> Handler:
        logged = logger.inject_lambda_context(correlation_id_path=correlation_id_path, log_event=False)(
            metrics.log_metrics(handler)
        )

        @functools.wraps(handler)
        def invoked(event: Any, context: Any) -> Any:
            if collect_from_start:
                _collect_from_now()
            try:
                return logged(event, context)
            finally:
                _collect_from_now()

        return invoked  # type: ignore[return-value]

    return wrap


def _collect_from_now() -> None:
    """Once per process: what the start allocated is frozen (never scanned again: it lives as long as the
    container), then garbage collection is back on for what invocations allocate."""
    if not _collecting[0]:
        _collecting[0] = True
        gc.freeze()
        gc.enable()
