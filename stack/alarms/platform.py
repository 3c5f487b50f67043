"""What the code stands on: the reminder sender and its queue, the DynamoDB table, Lambda's concurrency."""

from __future__ import annotations

from typing import get_args

from stack.alarms.alarm import Alarm, Metric
from stack.alarms.reminders import QUARTER, lambda_errors
from stack.base import TABLE
from stack.blocks import DynamoDBAction
from stack.intrinsics import GetAtt, Sub

FIVE_MINUTES = 300
MINUTE = 60
TABLE_NAME = (("TableName", TABLE.name),)  # the restored table while the stack uses one
INDEXES = ("gsi1", "gsi2", "gsi3", "gsi4", "gsi5")  # stack.base.TABLE.indexes (tests/stack/test_alarms.py checks)
# Every DynamoDB operation the code calls: what the functions may be granted (stack.blocks), the ConditionChecks
# being made inside TransactWriteItems, which is the operation CloudWatch names.
OPERATIONS = (*(action for action in get_args(DynamoDBAction) if action != "ConditionCheckItem"), "TransactWriteItems")
SENDER_FAILURES = 5  # in 15 minutes: Brevo refusing or failing past the sender's own retries, not one blip

REMINDER_SENDER_FAILED = Alarm(
    "ReminderSenderFailed",
    description=f"At least {SENDER_FAILURES} reminder emails failed in 15 minutes (Brevo refused or failed past "
    "the retries, or the sender crashed or timed out); SQS hands them back, five failures and they are dead letters.",
    expression="FILL(crashed, 0) + FILL(failed, 0)",
    metrics=(("crashed", lambda_errors("ReminderSender")), ("failed", Metric("ReminderMessageFailed"))),
    threshold=SENDER_FAILURES - 1,
    period=QUARTER,
)

REMINDER_QUEUE_STALE = Alarm(
    "ReminderQueueStale",
    description="A reminder email has waited in the reminder queue for more than an hour: the senders do not keep up, "
    "or keep failing it.",
    metric=Metric(
        "ApproximateAgeOfOldestMessage",
        namespace="AWS/SQS",
        dimensions=(("QueueName", GetAtt("ReminderQueue", "QueueName")),),
        stat="Maximum",
    ),
    threshold=3600,
    period=FIVE_MINUTES,
)


def table_metric(name: str, index: str | None = None) -> Metric:
    dimensions = TABLE_NAME if index is None else (*TABLE_NAME, ("GlobalSecondaryIndexName", index))
    return Metric(name, namespace="AWS/DynamoDB", dimensions=dimensions)


def throttled(name: str, metric_name: str, what: str) -> Alarm:
    """The table's and its indexes' throttle events (the table's own count leaves its indexes out): 6 metrics."""
    metrics = (("table", table_metric(metric_name)), *((index, table_metric(metric_name, index)) for index in INDEXES))
    return Alarm(
        name,
        description=f"DynamoDB throttled {what} of the table or its indexes in two 5-minute periods running "
        "(on-demand: a hot partition, or the table's own limits); the SDK's retries no longer hide it.",
        expression="SUM([" + ", ".join(f"FILL({metric_id}, 0)" for metric_id, _ in metrics) + "])",
        metrics=metrics,
        period=FIVE_MINUTES,
        evaluation_periods=2,
    )


TABLE_SYSTEM_ERRORS = Alarm(
    "TableSystemErrors",
    description="DynamoDB answered 500 (SystemErrors) to operations of the code in two 5-minute periods running.",
    expression="SUM([" + ", ".join(f"FILL(op{n}, 0)" for n in range(len(OPERATIONS))) + "])",
    metrics=tuple(
        (f"op{n}", Metric("SystemErrors", namespace="AWS/DynamoDB", dimensions=(*TABLE_NAME, ("Operation", operation))))
        for n, operation in enumerate(OPERATIONS)
    ),
    period=FIVE_MINUTES,
    evaluation_periods=2,
)

# Account-wide throttles. The functions capped on purpose are capped in their queue's event source mapping
# (MaximumConcurrency: the reminder sender, at its reserved concurrency; the export worker), which never throttles,
# so any throttle is the account's limit reached.
LAMBDA_THROTTLED = Alarm(
    "LambdaThrottled",
    description="Lambda throttled invocations in the account: API requests answered 5xx, scheduled runs delayed.",
    metric=Metric("Throttles", namespace="AWS/Lambda", dimensions=()),
    period=FIVE_MINUTES,
)

CONCURRENCY_PERCENT = 80
LAMBDA_CONCURRENCY_HIGH = Alarm(
    "LambdaConcurrencyHigh",
    description=f"The account's Lambda concurrent executions went above {CONCURRENCY_PERCENT}% of its limit "
    "(AccountConcurrencyLimit) in three of the last five minutes: at the limit, every function throttles.",
    expression=Sub("100 * concurrent / ${AccountConcurrencyLimit}"),
    metrics=(("concurrent", Metric("ConcurrentExecutions", namespace="AWS/Lambda", dimensions=(), stat="Maximum")),),
    threshold=CONCURRENCY_PERCENT,
    period=MINUTE,
    evaluation_periods=5,
    datapoints=3,
)

ALARMS = (
    REMINDER_SENDER_FAILED,
    REMINDER_QUEUE_STALE,
    throttled("TableReadsThrottled", "ReadThrottleEvents", "reads"),
    throttled("TableWritesThrottled", "WriteThrottleEvents", "writes"),
    TABLE_SYSTEM_ERRORS,
    LAMBDA_THROTTLED,
    LAMBDA_CONCURRENCY_HIGH,
)
