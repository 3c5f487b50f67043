"""The reminder runs and the payment plans' scheduler: a failed run, a run that stopped, a debtor or a plan skipped."""

from __future__ import annotations

from stack.alarms.alarm import Alarm, Metric
from stack.intrinsics import Ref

QUARTER = 900  # the reminder schedule's interval (ReminderSchedule)


def lambda_errors(function: str) -> Metric:
    """The function's invocations that failed (raised, timed out, ran out of memory), as Lambda counts them."""
    return Metric("Errors", namespace="AWS/Lambda", dimensions=(("FunctionName", Ref(f"{function}Function")),))


ALARMS = (
    Alarm(
        "ReminderPlannerFailed",
        description="A scheduled reminder run failed.",
        metric=lambda_errors("ReminderPlanner"),
        period=QUARTER,
    ),
    Alarm(
        "PlanShardFailed",
        description="Planning a shard of a reminder run failed (SQS hands the slice back; three failures and it "
        "waits in the dead-letter queue).",
        metric=lambda_errors("PlanShard"),
        period=QUARTER,
    ),
    Alarm(
        "ReminderRunsStopped",
        description="No shard of a reminder run has been planned to its end for two intervals.",
        metric=Metric("ReminderRunCompleted"),
        period=QUARTER,
        evaluation_periods=2,
        threshold=1,
        comparison="LessThanThreshold",
        missing="breaching",
    ),
    Alarm(
        "PlannerDebtorFailed",
        description="The planner skipped a debtor whose planning failed; the rest of the run went on.",
        metric=Metric("PlannerDebtorFailed"),
        period=QUARTER,
    ),
    Alarm(
        "PlanLookFailed",
        description="The instalment scheduler skipped a plan whose look failed; the other plans went on.",
        metric=Metric("PlanLookFailed"),
        period=QUARTER,
    ),
)
