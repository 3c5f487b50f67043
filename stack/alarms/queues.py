"""Every dead-letter queue: a message there failed every receive and waits for a person (docs/operations.md,
"Dead letters and redrive"). tests/stack/test_alarms.py checks each queue's dead-letter queue is here."""

from __future__ import annotations

from stack.alarms.alarm import Alarm, Metric
from stack.intrinsics import GetAtt


def waiting_in(queue: str) -> Metric:
    """The messages visible in the queue (`logical id`), as SQS counts them every minute."""
    return Metric(
        "ApproximateNumberOfMessagesVisible",
        namespace="AWS/SQS",
        dimensions=(("QueueName", GetAtt(queue, "QueueName")),),
        stat="Maximum",
    )


def dead_letters(name: str, queue: str, description: str) -> Alarm:
    return Alarm(name, description=description, metric=waiting_in(queue))


ALARMS = (
    dead_letters(
        "ReminderDeadLetters",
        "ReminderDeadLetterQueue",
        "Reminder emails keep failing and wait in the dead-letter queue.",
    ),
    dead_letters(
        "LatenessDeadLetters",
        "LatenessDeadLetterQueue",
        "Debtors whose forecast could not be brought up to date wait in the dead-letter queue.",
    ),
    dead_letters(
        "NotifyDeadLetters",
        "NotifyDeadLetterQueue",
        "Members' digests or dispute alerts keep failing and wait in the dead-letter queue.",
    ),
    dead_letters(
        "PlannerShardDeadLetters",
        "PlannerShardDeadLetterQueue",
        "Shards of reminder runs keep failing to be planned and wait in the dead-letter queue.",
    ),
    dead_letters(
        "ErasureDeadLetters",
        "DeletionDeadLetterQueue",
        "Erasure jobs keep failing and wait in the deletion dead-letter queue.",
    ),
    dead_letters(
        "ExportDeadLetters",
        "ExportDeadLetterQueue",
        "Exports keep failing and wait in the export dead-letter queue.",
    ),
    dead_letters(
        "ResetEmailDeadLetters",
        "ResetEmailDeadLetterQueue",
        "Password reset emails keep failing and wait in the dead-letter queue (each link lives an hour).",
    ),
)
