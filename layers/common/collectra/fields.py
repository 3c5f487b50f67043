"""Field types shared by the API's models: one definition of an email address, a currency, a time zone, a date."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints, WithJsonSchema

from collectra.locales import SUPPORTED_LOCALES, is_time_zone, time_zones
from collectra.money import MINOR_UNIT_EXPONENT as CURRENCIES
from collectra.money import is_currency

# Every date a client sends (a due date, a payment's day, a promise) lies in these years. Rules move dates by
# days and weeks (a reminder's first look 31 days before the due date, a promise's next day), and Python's
# dates end at years 1 and 9999: a date far from today is a typing error, and must be refused before any of
# that arithmetic can fail halfway through a write (issue 11: a due date 0001-01-05 was a 500 mid-import).
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2199, 12, 31)

EMAIL_PATTERN = r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$"

EmailAddress = Annotated[
    str, StringConstraints(strip_whitespace=True, to_lower=True, max_length=254, pattern=EMAIL_PATTERN)
]
Text120 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
Text200 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
OptionalLine = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]


def _currency(code: str) -> str:
    # Exactly what the document's enum lists: a code in capitals, or in small letters (normalised).
    if not (is_currency(code) or (code.islower() and is_currency(code.upper()))):
        raise ValueError("not an ISO 4217 currency code")
    return code.upper()


# The document lists the codes, so a client (or a fuzzer) knows that a well-formed "AAA" is not one.
_CURRENCY_SCHEMA = {"type": "string", "enum": sorted(CURRENCIES) + sorted(code.lower() for code in CURRENCIES)}


def _time_zone(name: str) -> str:
    if not is_time_zone(name):
        raise ValueError("not an IANA time zone (e.g. Europe/Paris)")
    return name


def _locale(code: str) -> str:
    if code not in SUPPORTED_LOCALES:
        raise ValueError(f"must be one of {', '.join(SUPPORTED_LOCALES)}")
    return code


Currency = Annotated[str, AfterValidator(_currency), WithJsonSchema(_CURRENCY_SCHEMA)]


def _time_zone_schema(schema: dict[str, Any]) -> None:
    # Listed only when the document is built: reading the tz database costs a cold start nothing it needs.
    schema["enum"] = sorted(time_zones())


TimeZone = Annotated[
    str,
    StringConstraints(max_length=64),
    AfterValidator(_time_zone),
    Field(json_schema_extra=_time_zone_schema),
]
Locale = Annotated[str, AfterValidator(_locale), WithJsonSchema({"type": "string", "enum": list(SUPPORTED_LOCALES)})]


def _written_date(value: Any) -> Any:
    # JSON has no date type: a date is text. pydantic would also read a number as a Unix time.
    if not isinstance(value, str | date):
        raise ValueError("must be a date written YYYY-MM-DD")
    return value


# The pattern says in the document what the bounds say in the code: years 1900 to 2199.
CalendarDate = Annotated[
    date,
    BeforeValidator(_written_date),
    Field(ge=EARLIEST_DATE, le=LATEST_DATE, json_schema_extra={"pattern": r"^(19|20|21)[0-9]{2}-[0-9]{2}-[0-9]{2}$"}),
]


def _without_null(schema: dict[str, Any]) -> None:
    options = [option for option in schema.pop("anyOf", []) if option.get("type") != "null"]
    if len(options) == 1:
        schema.update(options[0])
    elif options:
        schema["anyOf"] = options


# For a field of an update that may be left out but not cleared: the model lets `null` through to the service,
# which names every such field in its 422, and the document does not offer `null`.
NOT_NULL = Field(json_schema_extra=_without_null)


def within_date_bounds(day: date) -> bool:
    """True for a date the API accepts (EARLIEST_DATE to LATEST_DATE), for readers that are not models."""
    return EARLIEST_DATE <= day <= LATEST_DATE
