"""Stripe Connect: the workspace's account."""

from __future__ import annotations

from stack.base import JWT, STRIPE_API_KEY
from stack.blocks import secret, table
from stack.function import Function, Http
from stack.key_families import SIGNED_IN, STRIPE_ACCOUNTS

FUNCTIONS = (
    Function(
        "GetStripe",
        handler="functions/payments/get_stripe.handler",
        event=Http("GET /workspace/stripe"),
        permissions=(
            table("BatchGetItem"),
            secret(JWT),
        ),
        keys=SIGNED_IN,
    ),
    Function(
        "ConnectStripe",
        handler="functions/payments/connect_stripe.handler",
        event=Http("POST /workspace/stripe/connect"),
        permissions=(
            table("BatchGetItem", "GetItem", "PutItem", "UpdateItem"),
            secret(JWT, STRIPE_API_KEY),
        ),
        keys=(STRIPE_ACCOUNTS, *SIGNED_IN),
    ),
)
