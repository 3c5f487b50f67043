"""One Logger and one Metrics per process, configured by the POWERTOOLS_* environment.

No Powertools Tracer: importing the X-Ray SDK costs about 190 ms of every cold start (measured with
`python -X importtime`, see docs/decisions.md); Lambda's active tracing still records each invocation.
"""

from __future__ import annotations

import warnings
from typing import Any

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
