"""A workspace's late-payment choices for one debtor, read from the workspace's `late_payment` map and the
debtor's `kind` (docs/late-payment.md). Off unless the workspace enabled it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from collectra.interest.law import BUSINESS, CONSUMER, JURISDICTIONS

PRINCIPAL_FIRST = "principal_first"
STATUTORY = "statutory"  # §367 BGB: costs, then interest, then principal
ORDERS = (PRINCIPAL_FIRST, STATUTORY)


@dataclass(frozen=True)
class Terms:
    jurisdiction: str
    debtor_kind: str
    claim_interest: bool = True
    claim_compensation: bool = True
    contractual_rate: Decimal | None = None  # percent per year; applies to business debtors only
    grace_days: int = 0
    pause_while_disputed: bool = True
    allocation: str = PRINCIPAL_FIRST

    def __post_init__(self) -> None:
        if self.jurisdiction not in JURISDICTIONS or self.debtor_kind not in (BUSINESS, CONSUMER):
            raise ValueError(f"unknown jurisdiction or debtor kind: {self.jurisdiction}, {self.debtor_kind}")
        if self.allocation not in ORDERS or not 0 <= self.grace_days <= 90:
            raise ValueError(f"allocation {self.allocation!r} or grace_days {self.grace_days} out of range")
        if self.contractual_rate is not None and not self.contractual_rate >= 0:
            raise ValueError(f"a contractual rate is a percentage of at least 0, not {self.contractual_rate}")


def terms_of(workspace: Mapping[str, Any], debtor: Mapping[str, Any] | None) -> Terms | None:
    """The terms for `debtor` (None: not known yet, a business), or None when the workspace claims nothing."""
    chosen = workspace.get("late_payment")
    if not chosen or not chosen.get("enabled"):
        return None
    rate = chosen.get("contractual_rate")
    return Terms(
        jurisdiction=chosen.get("jurisdiction", "EU"),
        debtor_kind=(debtor or {}).get("kind") or BUSINESS,
        claim_interest=bool(chosen.get("claim_interest", True)),
        claim_compensation=bool(chosen.get("claim_compensation", True)),
        contractual_rate=None if rate is None else Decimal(str(rate)),
        grace_days=int(chosen.get("grace_days", 0)),
        pause_while_disputed=bool(chosen.get("pause_while_disputed", True)),
        allocation=chosen.get("allocation", PRINCIPAL_FIRST),
    )
