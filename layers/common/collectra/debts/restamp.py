"""The lateness queue's consumer: a debtor's current lateness stamped on their collectible debts that carry another.

Each rewrite is the debt's normal write (`service.saved_ops`: conditioned on the version read, with its delta to
the figures) plus a condition that the debtor's counters are still as read. A payment that lands in between, a
second consumer or a redelivered message makes it fail, and `restamp` starts again from fresh reads: a stale
lateness never overwrites a newer one, and nothing is written twice (a redelivered message finds every stamp
current and writes nothing).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from collectra import store
from collectra.analytics.formulas import usual_lateness
from collectra.debts import service
from collectra.debts.lateness import stamp_of
from collectra.debts.records import Debt
from collectra.debts.states import COLLECTIBLE
from collectra.store import keys

ATTEMPTS = 5  # fresh reads after lost races; each loss means someone else moved the debtor or the debt meanwhile


def restamp(workspace_id: str, debtor_id: str, *, now: datetime) -> int:
    """Stamp the debtor's lateness on each of their collectible debts that carries another; returns how many debts
    were written. Calls: the debtor (GetItem), their debts (one gsi3 Query, one BatchGetItem of the collectible
    ones), one transaction per debt to change; from the start again after a lost race."""
    for _ in range(ATTEMPTS):
        try:
            return _restamp_once(workspace_id, debtor_id, now=now)
        except store.ConditionsFailed:
            continue
    raise RuntimeError(f"the lateness kept changing during {ATTEMPTS} attempts")  # SQS hands the message back


def _restamp_once(workspace_id: str, debtor_id: str, *, now: datetime) -> int:
    debtor = store.get(keys.debtor(workspace_id, debtor_id), consistent=True)
    if debtor is None:
        return 0
    paid, late = int(debtor.get("paid_debts", 0)), int(debtor.get("days_late_total", 0))
    lateness = usual_lateness(late, paid)
    listed = service.listed_debts_of_debtor(workspace_id, debtor_id)
    collectible = [item for item in listed if item["status"] in COLLECTIBLE]
    debts = cast(list[Debt], store.whole(collectible, index="gsi3", consistent=True))
    written = 0
    for debt in debts:
        if debt["status"] not in COLLECTIBLE or stamp_of(debt) == lateness:
            continue
        # Not `updated_at`: nothing the debt owes changed (the aging's replay reads it as "owed something else").
        after = cast(Debt, {**debt, "expected_late_days": lateness, "version": debt["version"] + 1})
        store.transact([*service.saved_ops(workspace_id, debt, after, now=now), _as_read(debtor, paid, late)])
        written += 1
    return written


def _as_read(debtor: dict[str, Any], paid: int, late: int) -> store.Operation:
    """A condition that the debtor's lateness counters are still what the stamp was worked out from."""
    key = {"pk": debtor["pk"], "sk": debtor["sk"]}
    if "paid_debts" not in debtor:  # no debt of theirs was ever counted
        return store.check_op(key, "attribute_not_exists(paid_debts)")
    return store.check_op(key, "paid_debts = :paid AND days_late_total = :late", {":paid": paid, ":late": late})
