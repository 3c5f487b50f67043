"""Payments: a workspace's Stripe account, Checkout from the debtor's page, and Stripe's webhooks."""
