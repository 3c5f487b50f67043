"""The function's configuration, read once from the environment.

A missing or malformed variable fails the first request loudly instead of misbehaving later. A plain
dataclass, not a pydantic model: building the model (with its URL type) cost ~45 ms of every cold start.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache

_ORIGIN = re.compile(r"^https?://[^/\s]+$")
_URL = re.compile(r"^https?://[^\s]+$")


class ConfigurationError(RuntimeError):
    """The function's environment is wrong: a deployment problem, not a request problem."""


@dataclass(frozen=True)
class Settings:
    environment: str
    table_name: str
    web_origin: str
    jwt_secret_name: str
    brevo_api_key_secret_name: str
    brevo_api_url: str
    email_sender_address: str
    public_base_url: str
    stripe_api_key_secret_name: str
    stripe_webhook_secret_name: str
    stripe_api_url: str
    stripe_checkout_origin: str
    page_link_secret_name: str
    email_sender_name: str = "Collectra"
    # How long the anonymised accounting records of a deleted workspace are kept (invoices, payments).
    accounting_retention_years: int = 10

    def __post_init__(self) -> None:
        problems = [name for name, value in vars(self).items() if not value]
        if self.environment not in ("dev", "prod"):
            problems.append("ENVIRONMENT (dev or prod)")
        if not _ORIGIN.match(self.web_origin):
            problems.append("WEB_ORIGIN (scheme://host[:port])")
        if not _URL.match(self.brevo_api_url):
            problems.append("BREVO_API_URL")
        if not _ORIGIN.match(self.public_base_url):
            problems.append("PUBLIC_BASE_URL (scheme://host[:port], where debtors' pages are served)")
        if not _URL.match(self.stripe_api_url):
            problems.append("STRIPE_API_URL")
        if not _ORIGIN.match(self.stripe_checkout_origin):
            problems.append("STRIPE_CHECKOUT_ORIGIN (scheme://host[:port], where Stripe Checkout pages are)")
        if not 1 <= self.accounting_retention_years <= 30:
            problems.append("ACCOUNTING_RETENTION_YEARS (a whole number of years, 1 to 30)")
        if problems:
            raise ConfigurationError(f"missing or invalid configuration: {', '.join(problems)}")

    @property
    def livemode(self) -> bool:
        return self.environment == "prod"


@lru_cache(maxsize=1)
def settings() -> Settings:
    """The settings of this process; cached, so the environment is parsed once per container."""
    env = os.environ
    return Settings(
        environment=env.get("ENVIRONMENT", ""),
        table_name=env.get("TABLE_NAME", ""),
        web_origin=env.get("WEB_ORIGIN", ""),
        jwt_secret_name=env.get("JWT_SECRET_NAME", ""),
        brevo_api_key_secret_name=env.get("BREVO_API_KEY_SECRET_NAME", ""),
        brevo_api_url=env.get("BREVO_API_URL", ""),
        email_sender_address=env.get("EMAIL_SENDER_ADDRESS", ""),
        public_base_url=env.get("PUBLIC_BASE_URL", ""),
        stripe_api_key_secret_name=env.get("STRIPE_API_KEY_SECRET_NAME", ""),
        stripe_webhook_secret_name=env.get("STRIPE_WEBHOOK_SECRET_NAME", ""),
        stripe_api_url=env.get("STRIPE_API_URL", ""),
        stripe_checkout_origin=env.get("STRIPE_CHECKOUT_ORIGIN", ""),
        page_link_secret_name=env.get("PAGE_LINK_SECRET_NAME", ""),
        email_sender_name=env.get("EMAIL_SENDER_NAME", "Collectra"),
        accounting_retention_years=_whole_number(env.get("ACCOUNTING_RETENTION_YEARS", "10")),
    )


def _whole_number(text: str) -> int:
    """A whole number, or 0 (which the settings' check refuses) for anything else."""
    return int(text) if text.strip().isdigit() else 0
