"""The scheduled checks and the code's own counts of what a person must see: Stripe events nobody applied, erasures
overdue, an export that failed, a workspace's bounce or complaint rate over 2%, its daily sending quota reached
(docs/operations.md, "Scheduled checks")."""

from __future__ import annotations

from stack.alarms.alarm import Alarm, Metric
from stack.alarms.reminders import lambda_errors

HOUR = 3600

ALARMS = (
    Alarm(
        "StripeEventsUnprocessed",
        description="Stripe events Stripe could not deliver to the webhook for over an hour, and that the hourly "
        "check could not apply either: a payment, refund or dispute may not be booked.",
        expression="unprocessed - replayed",
        metrics=(("unprocessed", Metric("StripeEventsUnprocessed")), ("replayed", Metric("StripeEventsReplayed"))),
        period=HOUR,
    ),
    Alarm(
        "StripeEventsCheckFailed",
        description="The hourly check of undelivered Stripe events failed, or could not list a connected account's "
        "events, two hours in a row.",
        expression="FILL(errors, 0) + FILL(accounts, 0)",
        metrics=(
            ("errors", lambda_errors("StripeEventsCheck")),
            ("accounts", Metric("StripeEventsAccountsFailed")),
        ),
        period=HOUR,
        evaluation_periods=2,
    ),
    Alarm(
        "StripeEventsCheckStopped",
        description="The hourly check of undelivered Stripe events has not completed a run for two hours.",
        metric=Metric("StripeEventsUnprocessed", stat="SampleCount"),
        period=HOUR,
        evaluation_periods=2,
        threshold=1,
        comparison="LessThanThreshold",
        missing="breaching",
    ),
    Alarm(
        "ErasuresOverdue",
        description="Erasures (an account, a workspace or a debtor) asked for over an hour ago are not finished.",
        metric=Metric("ErasuresOverdue", stat="Maximum"),
        period=HOUR,
        missing="ignore",  # the sweeper runs hourly: an hour without its run keeps the state it had
    ),
    Alarm(
        "ExportFailed",
        description="A data export (access, portability) failed on its last try and is recorded as failed.",
        metric=Metric("Export_failed"),
    ),
    Alarm(
        "WorkspaceBounceRateHigh",
        description="A workspace's hard bounces went over 2% of the emails it sent in a day (told once per workspace "
        "and day, its id in the Brevo webhook's log): its list harms every tenant's sender reputation.",
        metric=Metric("WorkspaceBounceRateHigh"),
        period=HOUR,
    ),
    Alarm(
        "WorkspaceComplaintRateHigh",
        description="A workspace's spam complaints went over 2% of the emails it sent in a day (told once per "
        "workspace and day, its id in the Brevo webhook's log).",
        metric=Metric("WorkspaceComplaintRateHigh"),
        period=HOUR,
    ),
    Alarm(
        "DailySendingQuotaReached",
        description="A workspace's own daily sending quota held reminders or plan notices back until the next day.",
        metric=Metric("DailySendingQuotaReached"),
        period=HOUR,
    ),
)
