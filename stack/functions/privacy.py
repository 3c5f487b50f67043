"""Deleting accounts and workspaces, and the erasure that follows."""

from __future__ import annotations

from stack.base import ACCOUNTING_RETENTION_YEARS, DELETION_QUEUE, EXPORT_BUCKET, JWT, STRIPE_API_KEY
from stack.blocks import bucket, query, secret, send_to, table
from stack.function import Consume, Function, Http, Schedule
from stack.intrinsics import Ref
from stack.key_families import (
    EMAILS,
    PAYMENT_INTENTS,
    SIGNED_IN,
    STRIPE_ACCOUNTS,
    TOKENS,
    UNFINISHED_ERASURES,
)

FUNCTIONS = (
    Function(
        "DeleteAccount",
        handler="functions/privacy/delete_account.handler",
        event=Http("DELETE /account"),
        permissions=(
            table("GetItem", "BatchGetItem", "Query", "PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem"),
            query("gsi1"),
            send_to(DELETION_QUEUE),
            secret(JWT),
        ),
        keys=(EMAILS, *SIGNED_IN),
        memory=1024,
        timeout=30,
        settings=(ACCOUNTING_RETENTION_YEARS,),  # how long a deleted workspace's accounting records stay
    ),
    Function(
        "DeleteWorkspace",
        handler="functions/privacy/delete_workspace.handler",
        event=Http("DELETE /workspace"),
        permissions=(
            table("GetItem", "BatchGetItem", "Query", "PutItem", "UpdateItem", "BatchWriteItem"),
            send_to(DELETION_QUEUE),
            secret(JWT),
        ),
        keys=SIGNED_IN,
        memory=1024,
        settings=(ACCOUNTING_RETENTION_YEARS,),  # how long a deleted workspace's accounting records stay
    ),
    Function(
        "ErasureWorker",
        handler="functions/privacy/erasure_worker.handler",
        event=Consume(DELETION_QUEUE, batch_size=1),
        permissions=(
            # A deleted workspace's, or an erased debtor's, export archives are deleted with them.
            bucket(EXPORT_BUCKET, "DeleteObject", objects="exports/*"),
            table("GetItem", "BatchGetItem", "Query", "PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem"),
            query("gsi1", "gsi3", "gsi5"),  # gsi5: an erased debtor's inbox items
            send_to(DELETION_QUEUE),
            secret(STRIPE_API_KEY),
        ),
        keys=(EMAILS, PAYMENT_INTENTS, STRIPE_ACCOUNTS, TOKENS, *SIGNED_IN),
        memory=1024,
        timeout=300,
        settings=(ACCOUNTING_RETENTION_YEARS,),  # how long a deleted workspace's accounting records stay
    ),
    Function(
        "ErasureSweeper",
        handler="functions/privacy/erasure_sweeper.handler",
        event=Schedule(Ref("ErasureSweepSchedule"), "Resume erasures that stopped half-way."),
        permissions=(
            query("gsi1"),
            send_to(DELETION_QUEUE),
        ),
        keys=(UNFINISHED_ERASURES,),
        timeout=60,
    ),
)
