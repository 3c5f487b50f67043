"""How far away a debtor may promise to pay, from their page: a workspace setting, bounded.

A promise pauses a debt's reminders until its date. Without a limit, one answer on the page (a slip of
the date picker, or a debtor buying time: 9999-12-31) silenced a debt's reminders for good. A business
chooses its horizon (`promise_max_days`, 1 to 180 days, 90 unless set); a later date is refused with a
notice that names the last date accepted, and nothing is recorded.
Here, with the workspace whose setting it is: the debtor's page reads it, and the workspace's own views.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

DEFAULT_PROMISE_MAX_DAYS = 90
PROMISE_MAX_DAYS_LIMIT = 180


def promise_max_days(workspace: Mapping[str, Any]) -> int:
    """The workspace's horizon in days (the default for a workspace that never set one)."""
    days = workspace.get("promise_max_days")
    return DEFAULT_PROMISE_MAX_DAYS if days is None else int(days)


def latest_promise(workspace: Mapping[str, Any], today: date) -> date:
    """The last date a promise made `today` (the business's date) may name."""
    return today + timedelta(days=promise_max_days(workspace))


def promise_allowed(promised: date, workspace: Mapping[str, Any], today: date) -> bool:
    """From today (a promise for the past is no promise) to the workspace's horizon, both included."""
    return today <= promised <= latest_promise(workspace, today)
