"""A workspace as the API shows it, and the changes it accepts."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints

from collectra.locales import SUPPORTED_LOCALES, is_time_zone
from collectra.money import is_currency

Text120 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
Text200 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
OptionalLine = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
EmailAddress = Annotated[
    str,
    StringConstraints(strip_whitespace=True, to_lower=True, max_length=254, pattern=r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$"),
]


def _currency(code: str) -> str:
    if not is_currency(code):
        raise ValueError("not an ISO 4217 currency code")
    return code


def _time_zone(name: str) -> str:
    if not is_time_zone(name):
        raise ValueError("not an IANA time zone (e.g. Europe/Paris)")
    return name


def _locale(code: str) -> str:
    if code not in SUPPORTED_LOCALES:
        raise ValueError(f"must be one of {', '.join(SUPPORTED_LOCALES)}")
    return code


Currency = Annotated[str, StringConstraints(to_upper=True, pattern=r"^[A-Za-z]{3}$"), AfterValidator(_currency)]
TimeZone = Annotated[str, StringConstraints(max_length=64), AfterValidator(_time_zone)]
Locale = Annotated[str, AfterValidator(_locale)]


class PostalAddress(BaseModel):
    model_config = ConfigDict(extra="forbid")

    line1: Text200
    line2: OptionalLine = ""
    postal_code: Annotated[str, StringConstraints(strip_whitespace=True, max_length=20)] = ""
    city: Text120
    region: OptionalLine = ""
    country: Annotated[str, StringConstraints(to_upper=True, pattern=r"^[A-Za-z]{2}$")]


class WorkspaceView(BaseModel):
    id: str
    name: str
    legal_name: str | None
    postal_address: PostalAddress | None
    sender_name: str | None
    reply_to: str | None
    default_currency: str
    time_zone: str
    locale: str
    created_at: str
    updated_at: str

    @classmethod
    def of(cls, item: dict[str, Any]) -> WorkspaceView:
        return cls.model_validate({name: item.get(name) for name in cls.model_fields})


class WorkspaceUpdate(BaseModel):
    """Only the fields present change; `null` clears an optional one."""

    model_config = ConfigDict(extra="forbid")

    name: Text120 | None = None
    legal_name: Text200 | None = None
    postal_address: PostalAddress | None = None
    sender_name: Text120 | None = None
    reply_to: EmailAddress | None = None
    default_currency: Currency | None = None
    time_zone: TimeZone | None = None
    locale: Locale | None = None
