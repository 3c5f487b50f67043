"""A workspace's daily sending quota: how many reminder emails it may send in one UTC day.

Collectra's sender reputation is every tenant's, so a new workspace earns its volume. Its first sending day
allows `FIRST_DAY` emails; each later sending day allows twice the previous one's quota while that day's
bounces and complaints stayed under `HEALTHY_RATE` of what it sent, and the same quota otherwise. It never
exceeds the workspace's `sending_quota_cap`, a setting operators write on the workspace item (no API route
accepts it) and `DEFAULT_CAP` without one. "Day" is the UTC day; a day with no email does not count.

Each day is one small counter item per workspace (`keys.sending_day`): its quota, fixed when the day's first
email is counted, and the emails, bounces and complaints of that day. Sending one takes one from it with a
conditional update (`sent < quota`, one call), so concurrent senders never exceed it, and no item is shared between
workspaces. A reminder over the quota is not lost: the sender gives its steps back to be planned again the
next day (`collectra.reminders.sender`). Every email the quota holds back is counted in the `DailySendingQuotaReached`
metric (here when `take` refuses one, by the planner for the reminders it leaves for the next day), which is alarmed:
this is the workspace's own quota, not Brevo's account limit (Brevo answers that with a 402, which the sender does not
absorb: its messages go to the dead-letter queue). Bounces and complaints are counted by Brevo's webhook on the day
their email was sent (`collectra.reminders.feedback`); the first one in a day that takes its kind over 2% of at least
`MIN_VOLUME` emails counts `WorkspaceBounceRateHigh` or `WorkspaceComplaintRateHigh` once, which is alarmed: the
check happens where the counts change, so no daily job has to find the workspaces that sent (docs/decisions.md). The
items expire (TTL) after `KEPT_DAYS`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, cast

from aws_lambda_powertools.metrics import MetricUnit

from collectra import store
from collectra.clock import iso
from collectra.errors import Conflict
from collectra.observability import logger, metrics
from collectra.reminders.records import SendingDay
from collectra.store import keys
from collectra.workspaces.records import Workspace

FIRST_DAY = 50
HEALTHY_RATE = 0.02  # bounces plus complaints, as a share of the emails sent that day
DEFAULT_CAP = 10_000
KEPT_DAYS = 60  # a day's counter outlives any bounce or complaint Brevo reports late

BOUNCED, COMPLAINED = "bounced", "complained"
# Emails a day must have sent before its bounce or complaint rate is told to operators: 1 bounce in 10 is 10%, and
# not yet a pattern; from 50 (a new workspace's whole first day) 2% is a second bounce.
MIN_VOLUME = 50
TOLD = {BOUNCED: "bounce_rate_told", COMPLAINED: "complaint_rate_told"}  # on the day's item, once told


@dataclass(frozen=True)
class Day:
    """One day's quota and what was sent against it."""

    day: str
    quota: int
    sent: int

    @property
    def used_up(self) -> bool:
        return self.sent >= self.quota


def cap_of(workspace: Workspace) -> int:
    cap = workspace.get("sending_quota_cap")
    return int(cap) if isinstance(cap, int | float) and not isinstance(cap, bool) and cap >= 0 else DEFAULT_CAP


def next_quota(previous: dict[str, Any] | None, cap: int) -> int:
    """The quota of a new sending day, from the workspace's previous sending day (None: its first)."""
    if previous is None:
        return min(FIRST_DAY, cap)
    quota, sent = int(previous["quota"]), int(previous.get("sent", 0))
    troubles = int(previous.get(BOUNCED, 0)) + int(previous.get(COMPLAINED, 0))
    healthy = sent == 0 or troubles < HEALTHY_RATE * sent
    return min(quota * 2 if healthy else quota, cap)


def today_key(workspace_id: str, now: datetime) -> dict[str, str]:
    """The key of the workspace's sending day `now` falls in (UTC days)."""
    return keys.sending_day(workspace_id, now.astimezone(UTC).date().isoformat())


def day_of(item: SendingDay) -> Day:
    """A sending day's item as a Day."""
    return Day(day=item["sk"].removeprefix("DAY#"), quota=item["quota"], sent=item.get("sent", 0))


def take(workspace: Workspace, now: datetime) -> bool:
    """Count one email against today's quota; False (nothing counted) when the quota is used up.

    One conditional UpdateItem once the day is open (its item holds its quota: `sent < quota`); the day's first
    email finds no item, opens the day, and counts again.
    """
    key = today_key(workspace["id"], now)
    if _counted(key):
        return True
    if store.get(key, consistent=True) is not None:
        return _held_back()  # used up, or others took the last ones at the same moment
    _open_day(workspace, now.astimezone(UTC).date().isoformat(), now)
    return _counted(key) or _held_back()


def _held_back() -> bool:
    metrics.add_metric(name="DailySendingQuotaReached", unit=MetricUnit.Count, value=1)
    return False


def _counted(key: dict[str, str]) -> bool:
    try:
        store.update(key, "ADD sent :one", values={":one": 1}, condition="attribute_exists(pk) AND sent < quota")
    except Conflict:
        return False
    return True


def peek(workspace: Workspace, now: datetime) -> Day | None:
    """Today's quota and count as they stand, without writing (None: nothing sent today yet)."""
    item = cast(SendingDay | None, store.get(today_key(workspace["id"], now), consistent=True))
    return None if item is None else day_of(item)


def left_today(workspace: Workspace, now: datetime) -> int:
    """Emails the workspace may still send today, only read: what its day's item allows, or, before its first email
    today, the quota the day will open with."""
    day = peek(workspace, now)
    if day is not None:
        return max(day.quota - day.sent, 0)
    today_sk = today_key(str(workspace["id"]), now)["sk"]
    return next_quota(_previous_day(str(workspace["id"]), today_sk), cap_of(workspace))


def next_day(now: datetime) -> datetime:
    """When the next UTC day, and its quota, begins."""
    return datetime.combine(now.astimezone(UTC).date() + timedelta(days=1), time(0), UTC)


def count_trouble(workspace_id: str, sent_at: str, kind: str) -> None:
    """Count a bounce or a complaint on the day its email was sent (nothing if that day's counter is gone), and tell
    operators the first time in that day that its rate of this kind goes over `HEALTHY_RATE` (`_told_over`)."""
    day = datetime.fromisoformat(sent_at).astimezone(UTC).date().isoformat()
    try:
        counted = store.update(
            keys.sending_day(workspace_id, day),
            "ADD #kind :one",
            values={":one": 1},
            names={"#kind": kind},
            condition="attribute_exists(pk)",
            return_new=True,
        )
    except Conflict:
        return
    if counted is not None and rate_over(counted, kind):
        _told_over(workspace_id, day, kind)


def rate_over(day: Mapping[str, Any], kind: str) -> bool:
    """Whether the day's bounces (or complaints) are over `HEALTHY_RATE` of what it sent, once it sent enough for a
    rate to mean something (`MIN_VOLUME`)."""
    sent = int(day.get("sent", 0))
    return sent >= MIN_VOLUME and int(day.get(kind, 0)) > HEALTHY_RATE * sent


def _told_over(workspace_id: str, day: str, kind: str) -> None:
    """One breach metric per workspace, day and kind: the first trouble over the rate marks the day (conditionally,
    so two webhook deliveries at once tell it once); the log names the workspace's id only."""
    try:
        store.update(
            keys.sending_day(workspace_id, day),
            "SET #told = :yes",
            values={":yes": True},
            names={"#told": TOLD[kind]},
            condition="attribute_not_exists(#told)",
        )
    except Conflict:
        return
    if kind == BOUNCED:
        metrics.add_metric(name="WorkspaceBounceRateHigh", unit=MetricUnit.Count, value=1)
    else:
        metrics.add_metric(name="WorkspaceComplaintRateHigh", unit=MetricUnit.Count, value=1)
    logger.warning(
        "a workspace's sending day went over the healthy rate",
        extra={"workspace_id": workspace_id, "day": day, "kind": kind},
    )


def _previous_day(workspace_id: str, day_sk: str) -> dict[str, Any] | None:
    """The workspace's last sending day before the day whose sort key is `day_sk` (None: it never sent)."""
    earlier = store.query(
        "pk = :pk AND sk < :day",
        {":pk": keys.sending_days(workspace_id), ":day": day_sk},
        limit=1,
        forward=False,
        consistent=True,
    ).items
    return earlier[0] if earlier else None


def _open_day(workspace: Workspace, day: str, now: datetime) -> SendingDay:
    workspace_id = str(workspace["id"])
    previous = _previous_day(workspace_id, keys.sending_day(workspace_id, day)["sk"])
    expires = datetime.combine(date.fromisoformat(day) + timedelta(days=KEPT_DAYS), time(0), UTC)
    key = keys.sending_day(workspace_id, day)
    item: SendingDay = {
        "pk": key["pk"],
        "sk": key["sk"],
        "quota": next_quota(previous, cap_of(workspace)),
        "sent": 0,
        "opened_at": iso(now),
        "expires_at": int(expires.timestamp()),
    }
    try:
        store.put(item, condition="attribute_not_exists(pk)")
    except Conflict:  # another sender opened the day first: theirs holds
        found = store.get(keys.sending_day(workspace_id, day), consistent=True)
        if found is not None:
            return cast(SendingDay, found)
    return item
