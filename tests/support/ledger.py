"""A debt's ledger as stored, for tests that check what was booked line by line."""

from __future__ import annotations

from typing import Any

from collectra import store
from collectra.store import keys


def ledger_of(workspace_id: str, debt_id: str) -> list[dict[str, Any]]:
    partition = keys.debt_history(workspace_id, debt_id)
    return store.query_all("pk = :p AND begins_with(sk, :l)", {":p": partition, ":l": "L#"})


def lines_booked(workspace_id: str, debt_id: str) -> dict[str | None, int]:
    """Net booked per line (None: principal; else the `charge`), money back taken off."""
    booked: dict[str | None, int] = {}
    for entry in ledger_of(workspace_id, debt_id):
        sign = 1 if entry["kind"] == "payment" else -1
        booked[entry.get("charge")] = booked.get(entry.get("charge"), 0) + sign * int(entry["amount"])
    return booked
