"""Debts imported from a CSV file."""

from __future__ import annotations

from stack.base import JWT, LATENESS_QUEUE
from stack.blocks import query, secret, send_to, table
from stack.function import Function, Http
from stack.key_families import SIGNED_IN

FUNCTIONS = (
    Function(
        "ImportDebts",
        handler="functions/imports/import_debts.handler",
        event=Http("POST /debts/import"),
        permissions=(
            table("BatchGetItem", "PutItem", "UpdateItem", "DeleteItem"),
            query("gsi2"),
            send_to(LATENESS_QUEUE),  # debtors whose debts' forecast moves (debts.lateness)
            secret(JWT),
        ),
        keys=SIGNED_IN,
        # 10,000 rows are 10,000 small transactions: room to finish, and CPU to parse.
        memory=1024,
        timeout=120,
    ),
)
