"""A debtor's dispute, told at once: what the debtor's answer disputes, queued for the alert sender.

The debtor's request only queues one message per disputed debt (one SQS call): the alert itself (finding who
wants it, claiming, sending) happens in `digest.notices`, off the debtor's page, so their answer is as fast
as before. A dispute is named by its debt and the version the dispute gave it, so each dispute is told once,
and a debt disputed again after being reopened is told again.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from collectra import queues
from collectra.debts.states import COLLECTIBLE, Status
from collectra.digest.runs import QUEUE
from collectra.observability import logger


def disputed_by(debts: Sequence[Mapping[str, Any]], kind: str, debt_choice: str) -> list[tuple[str, int]]:
    """The (debt id, version after the dispute) the debtor's answer will dispute: a dispute of the debt they
    chose (or of all), on those that can still be disputed, as `debtors.page.answer_page` decides."""
    if kind != "dispute":
        return []
    return [
        (str(debt["id"]), int(debt["version"]) + 1)
        for debt in debts
        if debt_choice in ("all", debt["id"]) and Status(debt["status"]) in COLLECTIBLE
    ]


def announce(workspace_id: str, disputed: Sequence[tuple[str, int]]) -> None:
    """Queue the alerts of those disputes. A queue that refuses is logged, not raised: the dispute is recorded
    and in tomorrow's digest, and the debtor's answer must not fail for an email to the business."""
    bodies = [
        json.dumps({"kind": "dispute", "workspace_id": workspace_id, "debt_id": debt_id, "version": version})
        for debt_id, version in disputed
    ]
    try:
        queues.send(QUEUE, bodies)
    except Exception as error:  # any failure to queue is the same loss of an alert
        logger.warning("dispute alert not queued", extra={"workspace_id": workspace_id, "reason": type(error).__name__})
