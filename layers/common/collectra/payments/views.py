"""What the Stripe webhook answers (Stripe only reads the status; the body helps whoever reads its log)."""

from __future__ import annotations

from collectra.models import Model


class WebhookReceipt(Model):
    received: bool
    result: str  # applied, duplicate, no_change, ignored, not_ours, wrong_account, unknown_attempt, stale, unreadable
