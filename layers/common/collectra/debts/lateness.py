"""A debtor's usual lateness, stamped on each of their collectible debts, so the forecast predicts from their history.

A debt is expected `expected_late_days` after its due date (`aggregates.expected_on`). The number is the debtor's
average days late over the debts they paid (`formulas.usual_lateness` of the counters every paid debt adds to its
debtor, `service.DebtorChange`), copied onto the debt by a normal, version-checked write of the debt
(`debts.restamp`), so the forecast moves through the debt's own delta, exactly once.

Kept current off the caller's request: a write that can change the lateness (a debt became paid, a refund or a
reopening took it back) or that needs it (a new or imported debt) queues its debtor here, after its transaction
committed; the consumer restamps their debts.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from collectra import queues
from collectra.debts.records import Debt
from collectra.observability import logger, metrics

QUEUE = "LATENESS_QUEUE_URL"


def queue(workspace_id: str, debtor_ids: Iterable[str]) -> None:
    """Ask for these debtors' debts to be restamped (one message per debtor; an import's hundreds go ten a call).

    Called after the change committed: SQS refusing must not turn a recorded payment into an error its client
    would retry (a second payment). It is logged and counted (`LatenessNotQueued`); the debtor's next payment or
    new debt queues them again, and until then their forecast uses the lateness stamped before.
    """
    bodies = [json.dumps({"workspace_id": workspace_id, "debtor_id": d}) for d in sorted(set(debtor_ids))]
    try:
        queues.send(QUEUE, bodies)
    except Exception:
        logger.exception("lateness not queued", extra={"workspace_id": workspace_id, "debtors": len(bodies)})
        metrics.add_metric(name="LatenessNotQueued", unit="Count", value=len(bodies))


def stamp_of(debt: Debt) -> int:
    """The lateness a debt's forecast uses (0 until one is stamped: the due date)."""
    return int(debt.get("expected_late_days", 0))
