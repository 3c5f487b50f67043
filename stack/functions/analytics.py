"""Where the money is: the reports on the workspace's receivables."""

from __future__ import annotations

from stack.base import JWT
from stack.blocks import query, secret, table
from stack.function import Function, Http
from stack.key_families import SIGNED_IN

# Aging by debtor and its CSV: debtors by name (gsi1), each one's debts (gsi3), the debts (BatchGetItem), and the
# history partitions of the debts changed since the report's date (Query on the table).
_AGING_READS = (table("BatchGetItem", "Query"), query("gsi1", "gsi3"), secret(JWT))

FUNCTIONS = (
    Function(
        "AnalyticsAging",
        handler="functions/analytics/aging.handler",
        event=Http("GET /workspace/analytics/aging"),
        permissions=_AGING_READS,
        keys=SIGNED_IN,
    ),
    Function(
        "AnalyticsExportCsv",
        handler="functions/analytics/export_csv.handler",
        event=Http("GET /workspace/analytics/export.csv"),
        permissions=_AGING_READS,
        keys=SIGNED_IN,
    ),
    Function(
        "AnalyticsSummary",
        handler="functions/analytics/analytics_summary.handler",
        event=Http("GET /workspace/analytics/summary"),
        # PutItem: the first read after a business day writes its closing figures (analytics.closings).
        permissions=(table("BatchGetItem", "Query", "PutItem"), secret(JWT)),
        keys=SIGNED_IN,
    ),
)
