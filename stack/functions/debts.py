"""Debts, their lifecycle and timeline."""

from __future__ import annotations

from stack.base import JWT, LATENESS_QUEUE
from stack.blocks import query, secret, send_to, table
from stack.function import Consume, Function, Http
from stack.key_families import SIGNED_IN, WORKSPACES

FUNCTIONS = (
    Function(
        "CreateDebt",
        handler="functions/debts/create_debt.handler",
        event=Http("POST /debts"),
        permissions=(
            table("BatchGetItem", "PutItem", "UpdateItem"),
            send_to(LATENESS_QUEUE),  # the debtor, whose debts' forecast moves (debts.lateness)
            secret(JWT),
        ),
        keys=SIGNED_IN,
    ),
    Function(
        "ListDebts",
        handler="functions/debts/list_debts.handler",
        event=Http("GET /debts"),
        permissions=(
            table("BatchGetItem"),
            query("gsi1", "gsi2", "gsi3", "gsi4"),
            secret(JWT),
        ),
        keys=SIGNED_IN,
    ),
    Function(
        "GetDebt",
        handler="functions/debts/get_debt.handler",
        event=Http("GET /debts/{id}"),
        permissions=(
            table("BatchGetItem", "GetItem"),  # the debtor, whose kind its charges depend on
            secret(JWT),
        ),
        keys=SIGNED_IN,
    ),
    Function(
        "UpdateDebt",
        handler="functions/debts/update_debt.handler",
        event=Http("PATCH /debts/{id}"),
        permissions=(
            table("BatchGetItem", "PutItem", "UpdateItem", "DeleteItem"),
            send_to(LATENESS_QUEUE),  # the debtor, whose debts' forecast moves (debts.lateness)
            secret(JWT),
        ),
        keys=SIGNED_IN,
    ),
    Function(
        "RecordPayment",
        handler="functions/debts/record_payment.handler",
        event=Http("POST /debts/{id}/payments"),
        permissions=(
            table("BatchGetItem", "PutItem", "UpdateItem"),
            query("gsi5"),  # the debtor's open inbox items a payment resolves (debts/resolved.py)
            send_to(LATENESS_QUEUE),  # the debtor, whose debts' forecast moves (debts.lateness)
            secret(JWT),
        ),
        keys=SIGNED_IN,
    ),
    Function(
        "PromiseDebt",
        handler="functions/debts/promise_debt.handler",
        event=Http("POST /debts/{id}/promise"),
        permissions=(
            # UpdateItem: the figures' shard, as a promise moves what is promised and predicted (debts.aggregates).
            table("BatchGetItem", "PutItem", "UpdateItem"),
            secret(JWT),
        ),
        keys=SIGNED_IN,
    ),
    Function(
        "WithdrawPromise",
        handler="functions/debts/withdraw_promise.handler",
        event=Http("DELETE /debts/{id}/promise"),
        permissions=(
            # UpdateItem: the figures' shard, as a promise moves what is promised and predicted (debts.aggregates).
            table("BatchGetItem", "PutItem", "UpdateItem"),
            secret(JWT),
        ),
        keys=SIGNED_IN,
    ),
    Function(
        "PauseDebt",
        handler="functions/debts/pause_debt.handler",
        event=Http("POST /debts/{id}/pause"),
        permissions=(
            table("BatchGetItem", "PutItem"),
            secret(JWT),
        ),
        keys=SIGNED_IN,
    ),
    Function(
        "ResumeDebt",
        handler="functions/debts/resume_debt.handler",
        event=Http("POST /debts/{id}/resume"),
        permissions=(
            table("BatchGetItem", "PutItem"),
            secret(JWT),
        ),
        keys=SIGNED_IN,
    ),
    Function(
        "CancelDebt",
        handler="functions/debts/cancel_debt.handler",
        event=Http("POST /debts/{id}/cancel"),
        permissions=(
            table("BatchGetItem", "PutItem", "UpdateItem"),
            query("gsi5"),  # the debtor's open inbox items a status change resolves (debts/resolved.py)
            secret(JWT),
        ),
        keys=SIGNED_IN,
    ),
    Function(
        "WriteOffDebt",
        handler="functions/debts/write_off_debt.handler",
        event=Http("POST /debts/{id}/write-off"),
        permissions=(
            table("BatchGetItem", "PutItem", "UpdateItem"),
            query("gsi5"),  # the debtor's open inbox items a status change resolves (debts/resolved.py)
            secret(JWT),
        ),
        keys=SIGNED_IN,
    ),
    Function(
        "DisputeDebt",
        handler="functions/debts/dispute_debt.handler",
        event=Http("POST /debts/{id}/dispute"),
        permissions=(
            # UpdateItem: a note answers the debt's open question in the inbox (debts/resolved.py), and the disputed
            # amount is added to the figures; Query on gsi5: that question is found by its debt.
            table("BatchGetItem", "PutItem", "UpdateItem"),
            query("gsi5"),
            secret(JWT),
        ),
        keys=SIGNED_IN,
    ),
    Function(
        "ReopenDebt",
        handler="functions/debts/reopen_debt.handler",
        event=Http("POST /debts/{id}/reopen"),
        permissions=(
            table("BatchGetItem", "PutItem", "UpdateItem"),
            query("gsi5"),  # the debtor's open inbox items a status change resolves (debts/resolved.py)
            send_to(LATENESS_QUEUE),  # the debtor, whose debts' forecast moves (debts.lateness)
            secret(JWT),
        ),
        keys=SIGNED_IN,
    ),
    Function(
        "WaiveCharges",
        handler="functions/debts/waive_charges.handler",
        event=Http("POST /debts/{id}/waiver"),
        permissions=(
            # PutItem the debt and its timeline entry: a waiver moves no figure (debts.aggregates) and no counter.
            table("BatchGetItem", "PutItem"),
            secret(JWT),
        ),
        keys=SIGNED_IN,
    ),
    Function(
        "DebtTimeline",
        handler="functions/debts/debt_timeline.handler",
        event=Http("GET /debts/{id}/timeline"),
        permissions=(
            table("BatchGetItem", "Query"),
            secret(JWT),
        ),
        keys=SIGNED_IN,
    ),
    Function(
        "RestampLateness",
        handler="functions/debts/restamp_lateness.handler",
        event=Consume(LATENESS_QUEUE, batch_size=10),
        permissions=(
            # GetItem: the debtor (consistent); Query on gsi3: their debts; PutItem the debt, UpdateItem the
            # figures' shard, ConditionCheckItem the debtor's counters as read, all in one transaction.
            table("GetItem", "BatchGetItem", "PutItem", "UpdateItem", "ConditionCheckItem"),
            query("gsi3"),
        ),
        keys=(WORKSPACES,),  # the debtor, their debts and the figures' shards: all in the workspace's partition
        timeout=120,
    ),
)
