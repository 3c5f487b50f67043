"""The CloudWatch dashboard `collectra-<environment>`, generated with the rest of the stack (`# stack: dashboard`).

What it shows (docs/operations.md, "The dashboard"): the HTTP API by route group (requests, 4xx, 5xx, p95 and p99
latency, from the metrics `collectra.http.app.entry_point` emits) and as API Gateway counts it; the reminders
planned, sent, failed and suppressed; the payments Stripe tells us about; and what the bill grows with: each
function's GB-seconds (its Duration times its memory), invocations, and the table's consumed capacity units.

Every Collectra metric it draws is one the code emits (tests/stack/test_dashboard.py reads the handlers' metric
names); the functions, their memory and the log groups come from the declarations, so a new function is counted
without anyone editing this file. The body is JSON (`json.dumps`) inside a `!Sub`, so that `${Table}`,
`${SignupFunction}` and `${AWS::Region}` name this stack's own resources.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from stack.base import REMINDER_QUEUE, TABLE
from stack.function import Function, Http
from stack.intrinsics import Sub

LOGICAL_ID = "Dashboard"
NAMESPACE = "Collectra"
SERVICE = ("service", "collectra")  # Powertools' default dimension (POWERTOOLS_SERVICE_NAME)
# The route groups `entry_point` names in its metrics' `route_group` dimension (collectra/http/route_groups.py).
ROUTE_GROUPS = ("auth", "workspace", "debtors", "debts", "plans", "pages", "stripe_webhook", "brevo_webhook")
ROUTE_METRICS = ("ApiRequests", "Api4xx", "Api5xx", "ApiLatency")
STRIPE_WEBHOOK_ROUTE = "POST /webhooks/stripe"
# What a Stripe event applied means for the money (collectra/payments/decision.py): the types whose `applied` result
# the payments table counts (and only `applied`: a duplicate or a stale event changed nothing).
SETTLED = ("checkout.session.completed", "checkout.session.async_payment_succeeded", "payment_intent.succeeded")
REFUNDED = ("charge.refunded",)
DISPUTED = ("charge.dispute.created", "charge.dispute.closed")
WIDTH = 24  # CloudWatch's grid
FAST = 300  # seconds a point covers on the graphs of things that happen now
SLOW = 3600  # ... and on the cost graphs, which are read by the hour and the day
# CloudWatch's limits: metrics and expressions per graph, metrics per dashboard, characters per expression.
PER_WIDGET, PER_DASHBOARD, EXPRESSION_LENGTH = 500, 2500, 2048

Widget = dict[str, Any]
Row = list[Widget]


# ---------------------------------------------------------------- metrics as a graph's `metrics` rows


def collectra(name: str, *, label: str | None = None, stat: str | None = None, **dimensions: str) -> list[Any]:
    """A metric the code emits through Powertools: namespace Collectra, dimension service=collectra."""
    return aws(NAMESPACE, name, label=label, stat=stat, dimensions=(SERVICE, *dimensions.items()))


def aws(
    namespace: str,
    name: str,
    *,
    dimensions: Iterable[tuple[str, str]] = (),
    label: str | None = None,
    stat: str | None = None,
    metric_id: str | None = None,
    visible: bool = True,
) -> list[Any]:
    """A metric's row: namespace, name, each dimension's name and value, then its options."""
    options: dict[str, Any] = {"label": label, "stat": stat, "id": metric_id, "visible": None if visible else False}
    options = {key: value for key, value in options.items() if value is not None}
    return [namespace, name, *(part for pair in dimensions for part in pair), *([options] if options else [])]


def expression(text: str, *, label: str, metric_id: str, visible: bool = True) -> list[dict[str, Any]]:
    """A metric math row, named `metric_id` for the expressions that read it."""
    return [{"expression": text, "label": label, "id": metric_id, **({} if visible else {"visible": False})}]


def graph(title: str, metrics: list[list[Any]], *, width: int = 8, height: int = 6, **properties: Any) -> Widget:
    return {
        "type": "metric",
        "width": width,
        "height": height,
        "properties": {
            "title": title,
            "view": "timeSeries",
            "region": "${AWS::Region}",
            "stat": "Sum",
            "period": FAST,
            **properties,
            "metrics": metrics,
        },
    }


def text(markdown: str, *, height: int = 1) -> Widget:
    return {"type": "text", "width": WIDTH, "height": height, "properties": {"markdown": markdown}}


# ---------------------------------------------------------------- the sections


def api_rows() -> list[Row]:
    def by_group(name: str, **options: str) -> list[list[Any]]:
        return [collectra(name, label=group, route_group=group, **options) for group in ROUTE_GROUPS]

    api = (("ApiId", "${Api}"),)
    return [
        [text("## HTTP API by route group (Collectra's own metrics, one per request) and as API Gateway counts it")],
        [
            graph("Requests by route group", by_group("ApiRequests")),
            graph("4xx answers by route group", by_group("Api4xx")),
            graph("5xx answers by route group", by_group("Api5xx")),
        ],
        [
            graph("Latency p95 by route group (ms)", by_group("ApiLatency"), stat="p95", width=8),
            graph("Latency p99 by route group (ms)", by_group("ApiLatency"), stat="p99", width=8),
            graph(
                "API Gateway: requests, 4xx, 5xx (the whole Api)",
                [
                    aws("AWS/ApiGateway", "Count", dimensions=api, label="requests"),
                    aws("AWS/ApiGateway", "4xx", dimensions=api, label="4xx"),
                    aws("AWS/ApiGateway", "5xx", dimensions=api, label="5xx"),
                    aws("AWS/ApiGateway", "Latency", dimensions=api, label="latency p95 (ms)", stat="p95"),
                    aws("AWS/ApiGateway", "Latency", dimensions=api, label="latency p99 (ms)", stat="p99"),
                ],
                width=8,
            ),
        ],
    ]


def reminder_rows() -> list[Row]:
    dead_letters = (("QueueName", "${ReminderDeadLetterQueue.QueueName}"),)
    queue = (("QueueName", f"${{{REMINDER_QUEUE.logical_id}.QueueName}}"),)
    return [
        [text("## Reminders: planned by the shard planner, then sent, failed or held back by the sender")],
        [
            graph(
                "Reminders planned",
                [
                    collectra("RemindersDue", label="steps due"),
                    collectra("RemindersClaimed", label="steps claimed"),
                    collectra("ReminderMessages", label="emails queued"),
                    collectra("RemindersRescheduled", label="rescheduled"),
                ],
                width=6,
            ),
            graph(
                "Reminders sent",
                [
                    collectra("Reminder_sent", label="sent"),
                    collectra("Reminder_uncertain", label="recorded as sent (Brevo's idempotency window passed)"),
                    aws(
                        "AWS/SQS",
                        "ApproximateAgeOfOldestMessage",
                        dimensions=queue,
                        label="oldest queued email (s)",
                        stat="Maximum",
                    ),
                ],
                width=6,
            ),
            graph(
                "Reminders failed",
                [
                    collectra("Reminder_invalid_address", label="address refused by Brevo"),
                    collectra("Reminder_template_failed", label="template could not be rendered"),
                    collectra("PlannerDebtorFailed", label="debtors the planner skipped"),
                    aws(
                        "AWS/SQS",
                        "ApproximateNumberOfMessagesVisible",
                        dimensions=dead_letters,
                        label="emails in the dead-letter queue",
                        stat="Maximum",
                    ),
                ],
                width=6,
            ),
            graph(
                "Reminders suppressed or held back",
                [
                    collectra("RemindersSkipped", label="skipped by the planner"),
                    collectra("Reminder_skipped", label="skipped by the sender (paused, paid, disputed...)"),
                    collectra("Reminder_deferred", label="deferred (the debtor's rate limit)"),
                    collectra("Reminder_daily_quota", label="daily sending quota reached"),
                    collectra("Reminder_owner_not_verified", label="no verified owner yet"),
                    collectra("BrevoEvent_suppressed", label="addresses suppressed (bounce, complaint, unsubscribe)"),
                    collectra("ReminderOptOut_opted_out", label="debtors who opted out"),
                ],
                width=6,
            ),
        ],
    ]


def payment_rows(functions: Sequence[Function]) -> list[Row]:
    results = (
        "applied",
        "duplicate",
        "no_change",
        "stale",
        "ignored",
        "not_ours",
        "unknown_attempt",
        "wrong_account",
        "recorded_after_deletion",
        "unreadable",
    )
    webhook = next((f for f in functions if isinstance(f.event, Http) and f.event.route == STRIPE_WEBHOOK_ROUTE), None)
    if webhook is None:
        raise ValueError(f"the dashboard reads the Stripe webhook's log: no function serves {STRIPE_WEBHOOK_ROUTE}")
    return [
        [text("## Payments: what Stripe's events did, and the instalments Collectra charged itself")],
        [
            graph(
                "Payments settled, refunded, disputed (Stripe events applied)",
                [
                    collectra("PaymentsSettled", label="settled"),
                    collectra("PaymentsRefunded", label="refunded"),
                    collectra("PaymentsDisputed", label="disputed"),
                ],
                width=12,
            ),
            stripe_events_table(webhook),
        ],
        [
            graph(
                "Stripe events by result",
                [collectra(f"StripeEvent_{result}", label=result) for result in results],
                width=12,
            ),
            graph(
                "Instalments and refunds Collectra made",
                [
                    collectra("InstalmentCharged", label="instalments charged"),
                    collectra("InstalmentChargeFailed", label="instalment charges failed"),
                    collectra("OverpaymentRefunded", label="overpayments refunded"),
                ],
                width=12,
            ),
        ],
    ]


def log_group(function: Function) -> str:
    """The function's log group, as stack.template names it."""
    return f"/aws/lambda/collectra-${{EnvironmentName}}-{function.short_name}"


def stripe_events_table(webhook: Function) -> Widget:
    """Logs Insights over the webhook's own log line ("stripe event handled", with its result and the event's
    type): the events behind the Payments* counts, by type and day."""
    types = ", ".join(f'"{kind}"' for kind in (*SETTLED, *REFUNDED, *DISPUTED))
    query = (
        f"SOURCE '{log_group(webhook)}'"
        f' | filter message = "stripe event handled" and result = "applied" and stripe_event_type in [{types}]'
        " | stats count(*) as events by stripe_event_type, bin(1d)"
    )
    return {
        "type": "log",
        "width": 12,
        "height": 6,
        "properties": {
            "title": "Payments settled, refunded, disputed: Stripe events applied, by day and type",
            "region": "${AWS::Region}",
            "view": "table",
            "query": query,
        },
    }


def gigabyte_seconds(memory: int, metric_id: str) -> str:
    """One function's GB-seconds in a period: its Duration's Sum (ms) times its memory (MB)."""
    return f"FILL({metric_id},0)*{memory}"


def cost_rows(sections: Sequence[tuple[str, Sequence[Function]]], default_memory: int) -> list[Row]:
    """GB-seconds and invocations by package, each package's sum of its functions; the table's capacity units."""
    durations: list[list[Any]] = []
    invocations: list[list[Any]] = []
    gb_lines: list[list[Any]] = []
    invocation_lines: list[list[Any]] = []
    index = 0
    for title, functions in sections:
        gb_terms, invocation_terms = [], []
        for function in functions:
            name = (("FunctionName", f"${{{function.logical_id}}}"),)
            durations.append(aws("AWS/Lambda", "Duration", dimensions=name, metric_id=f"d{index}", visible=False))
            invocations.append(aws("AWS/Lambda", "Invocations", dimensions=name, metric_id=f"i{index}", visible=False))
            gb_terms.append(gigabyte_seconds(function.memory or default_memory, f"d{index}"))
            invocation_terms.append(f"FILL(i{index},0)")
            index += 1
        package = title.replace(" ", "_")
        gb_lines.append(expression(f"({'+'.join(gb_terms)})/1024/1000", label=title, metric_id=f"gb_{package}"))
        invocation_lines.append(expression("+".join(invocation_terms), label=title, metric_id=f"inv_{package}"))
    gb_total = "+".join(line[0]["id"] for line in gb_lines)
    invocation_total = "+".join(line[0]["id"] for line in invocation_lines)
    hidden = [
        expression(line[0]["expression"], label=line[0]["label"], metric_id=line[0]["id"], visible=False)
        for line in gb_lines + invocation_lines
    ]
    table = (("TableName", "${" + TABLE.logical_id + "}"),)

    def capacity(name: str) -> list[list[Any]]:
        lines = [aws("AWS/DynamoDB", name, dimensions=table, label="table")]
        lines += [
            aws("AWS/DynamoDB", name, dimensions=(*table, ("GlobalSecondaryIndexName", index)), label=index)
            for index in TABLE.indexes
        ]
        return lines

    return [
        [text("## Cost drivers: Lambda GB-seconds and invocations by package, DynamoDB capacity units (on demand)")],
        [
            graph(
                "Lambda GB-seconds per hour by package (Duration x memory)",
                [*gb_lines, *durations],
                width=12,
                period=SLOW,
                stacked=True,
            ),
            graph(
                "Lambda invocations per hour by package",
                [*invocation_lines, *invocations],
                width=12,
                period=SLOW,
                stacked=True,
            ),
        ],
        [
            graph(
                "Over the dashboard's time range: Lambda GB-seconds and invocations",
                [
                    expression(gb_total, label="GB-seconds", metric_id="gb_total"),
                    expression(invocation_total, label="invocations", metric_id="inv_total"),
                    *hidden,
                    *durations,
                    *invocations,
                ],
                width=6,
                view="singleValue",
                setPeriodToTimeRange=True,
                period=SLOW,
            ),
            graph("DynamoDB read units consumed", capacity("ConsumedReadCapacityUnits"), width=9, period=SLOW),
            graph("DynamoDB write units consumed", capacity("ConsumedWriteCapacityUnits"), width=9, period=SLOW),
        ],
    ]


# ---------------------------------------------------------------- the whole


def body(sections: Sequence[tuple[str, Sequence[Function]]], default_memory: int) -> dict[str, Any]:
    functions = [function for _, functions in sections for function in functions]
    rows: list[Row] = [
        [
            text(
                "# Collectra (${EnvironmentName})\n"
                "Generated by `python -m stack` (stack/dashboard.py): a change made here is undone by the next "
                'deploy. What each graph means: docs/operations.md, "The dashboard"; every alarm and its runbook: '
                'docs/operations.md, "Alarms".',
                height=2,
            )
        ],
        *api_rows(),
        *reminder_rows(),
        *payment_rows(functions),
        *cost_rows(sections, default_memory),
    ]
    return {"start": "-PT24H", "periodOverride": "inherit", "widgets": list(_laid_out(rows))}


def _laid_out(rows: Sequence[Row]) -> Iterable[Widget]:
    y = 0
    for row in rows:
        if sum(widget["width"] for widget in row) > WIDTH:
            raise ValueError(f"a dashboard row is wider than {WIDTH}: {[w['properties'].get('title') for w in row]}")
        x = 0
        for widget in row:
            yield {"type": widget["type"], "x": x, "y": y, **widget}
            x += widget["width"]
        y += max(widget["height"] for widget in row)


def _leaf(value: Any) -> bool:
    """A scalar, or a list or map of scalars and maps of scalars: a metric's row, a widget's position."""
    if isinstance(value, dict):
        return all(not isinstance(item, dict | list) for item in value.values())
    if isinstance(value, list):
        return all(_leaf(item) and not isinstance(item, list) for item in value)
    return True


def to_json(value: Any, indent: int = 0) -> str:
    """JSON a person can read in template.yaml: each metric on a line of its own, a widget's short settings
    together on one line, the rest one item per line."""
    if _leaf(value) or not value:
        return json.dumps(value)
    inner = " " * (indent + 1)
    if isinstance(value, list):
        items = [f"{inner}{to_json(item, indent + 1)}" for item in value]
        return "[\n" + ",\n".join(items) + "\n" + " " * indent + "]"
    lines: list[str] = []
    short: list[str] = []
    for key, item in value.items():
        written = f"{json.dumps(key)}: {to_json(item, indent + 1)}"
        if _leaf(item) and len(inner) + len(", ".join([*short, written])) <= 110:
            short.append(written)
            continue
        if short:
            lines.append(inner + ", ".join(short))
        short = [written] if _leaf(item) else []
        if not _leaf(item):
            lines.append(inner + written)
    if short:
        lines.append(inner + ", ".join(short))
    return "{\n" + ",\n".join(lines) + "\n" + " " * indent + "}"


def dashboard_resource(sections: Sequence[tuple[str, Sequence[Function]]], default_memory: int) -> dict[str, Any]:
    """The AWS::CloudWatch::Dashboard, by logical id."""
    properties = {
        "DashboardName": Sub("collectra-${EnvironmentName}"),
        "DashboardBody": Sub(to_json(body(sections, default_memory)) + "\n"),
    }
    return {LOGICAL_ID: {"Type": "AWS::CloudWatch::Dashboard", "Properties": properties}}
