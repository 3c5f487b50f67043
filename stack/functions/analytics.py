"""The figures: aging, DSO, CEI, days to pay and the cash forecast."""

from __future__ import annotations

from stack.base import JWT
from stack.blocks import secret, table
from stack.function import Function, Http
from stack.key_families import SIGNED_IN

FUNCTIONS = (
    Function(
        "AnalyticsSummary",
        handler="functions/analytics/summary.handler",
        event=Http("GET /workspace/analytics/summary"),
        # PutItem: the first read after a business day writes its closing figures (analytics.closings).
        permissions=(table("BatchGetItem", "Query", "PutItem"), secret(JWT)),
        keys=SIGNED_IN,
    ),
)
