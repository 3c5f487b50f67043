"""The function's configuration, read once from the environment.

A missing or malformed variable fails the first request loudly instead of misbehaving later.
"""

from __future__ import annotations

import os
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field, HttpUrl


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True)

    environment: str = Field(pattern=r"^(dev|prod|test)$")
    table_name: str = Field(min_length=3)
    web_origin: str = Field(pattern=r"^https?://[^/]+$")
    jwt_secret_name: str = Field(min_length=1)
    brevo_api_key_secret_name: str = Field(min_length=1)
    brevo_api_url: HttpUrl
    email_sender_address: str = Field(min_length=3)
    email_sender_name: str = "Collectra"

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
        brevo_api_url=HttpUrl(env.get("BREVO_API_URL", "")),
        email_sender_address=env.get("EMAIL_SENDER_ADDRESS", ""),
        email_sender_name=env.get("EMAIL_SENDER_NAME", "Collectra"),
    )
