"""One Logger, Metrics and Tracer per process, configured by the POWERTOOLS_* environment."""

from __future__ import annotations

import warnings

from aws_lambda_powertools import Logger, Metrics, Tracer

# Most requests record no metric; Powertools would warn about that on every one of them.
warnings.filterwarnings("ignore", message="No application metrics to publish")

logger = Logger()
metrics = Metrics()
tracer = Tracer()
