"""Field types shared by the API's models: one definition of an email address, a currency, a time zone, a date."""

from __future__ import annotations

import re
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

# What is trimmed from text a person typed: JSON's own whitespace. Written out rather than `\s`, which means
# different characters in Python, in pydantic's Rust regex and in a client's ECMAScript one.
_SPACE = " \t\n\r"
_SPACE_CLASS = r"[ \t\n\r]"
_NOT_SPACE = r"[^ \t\n\r]"

# Control characters and every Unicode space, spelled out for the same reason.
INVISIBLE = r"\x00-\x20\x7f\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff"
EMAIL_PATTERN = rf"^[^@{INVISIBLE}]{{1,64}}@[^@{INVISIBLE}]+\.[^@{INVISIBLE}]+$"


def trim(max_length: int | None = None) -> Any:
    """Text a person typed loses the spaces around it before it is checked; `max_length` applies to the
    text as sent, as the document's `maxLength` does. Pair with `as_sent` for the document."""

    def trimmed(value: Any) -> Any:
        if not isinstance(value, str):
            return value  # the type check refuses it, in its own words
        if max_length is not None and len(value) > max_length:
            raise ValueError(f"must be at most {max_length} characters")
        return value.strip(_SPACE)

    return BeforeValidator(trimmed)


def as_sent(pattern: str | None = None, *, non_blank: bool = False) -> Any:
    """The document's pattern for trimmed text, written for the text as sent (spaces around it allowed), so
    that the document and the check refuse exactly the same values."""

    def document(schema: dict[str, Any]) -> None:
        if pattern is not None:
            inner = pattern.removeprefix("^")
            anchored = inner.endswith("$") and not inner.endswith("\\$")
            inner = inner.removesuffix("$") if anchored else inner
            schema["pattern"] = f"^{_SPACE_CLASS}*(?:{inner})" + (f"{_SPACE_CLASS}*$" if anchored else "")
        elif non_blank:
            schema["pattern"] = _NOT_SPACE

    return Field(json_schema_extra=document)


EmailAddress = Annotated[
    str,
    trim(254),
    StringConstraints(to_lower=True, max_length=254, pattern=EMAIL_PATTERN),
    as_sent(EMAIL_PATTERN),
]
Text120 = Annotated[str, trim(120), StringConstraints(min_length=1, max_length=120), as_sent(non_blank=True)]
Text200 = Annotated[str, trim(200), StringConstraints(min_length=1, max_length=200), as_sent(non_blank=True)]
OptionalLine = Annotated[str, trim(200), StringConstraints(max_length=200)]


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


def _json_integer(value: Any) -> Any:
    # JSON Schema's integer: any number without a fraction (30.0 too), never a string or a boolean, which
    # pydantic would otherwise read as 30 or 1.
    if isinstance(value, str | bool):
        raise ValueError("must be a whole number")
    return value


# An integer in a request body, exactly as the document's `"type": "integer"` means it. Written after any
# bounds in an `Annotated[int, Field(...), WHOLE_NUMBER]`: placed before them, pydantic writes its own `gt`
# and `le` into the document instead of JSON Schema's `exclusiveMinimum` and `maximum`.
WHOLE_NUMBER = BeforeValidator(_json_integer)
JsonInteger = Annotated[int, WHOLE_NUMBER]


def _written_date(value: Any) -> Any:
    # JSON has no date type: a date is text. pydantic would also read a number as a Unix time.
    if not isinstance(value, str | date):
        raise ValueError("must be a date written YYYY-MM-DD")
    if isinstance(value, str) and not _DATE_TEXT.fullmatch(value):  # pydantic reads "0" as a Unix time too
        raise ValueError("must be a date written YYYY-MM-DD")
    return value


_DATE_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


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
