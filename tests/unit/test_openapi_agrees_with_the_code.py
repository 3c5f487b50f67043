"""The OpenAPI document says what the code answers, and accepts exactly what the validators accept (issue 12)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from pydantic import TypeAdapter, ValidationError

from collectra.debtors.models import ExternalRef
from collectra.fields import CalendarDate, Currency, EmailAddress, Locale, Text120, TimeZone
from collectra.money import MINOR_UNIT_EXPONENT

DOCUMENT: dict[str, Any] = json.loads((Path(__file__).resolve().parents[2] / "docs" / "openapi.json").read_text())
OPERATIONS = [
    (method, path, operation)
    for path, operations in DOCUMENT["paths"].items()
    for method, operation in operations.items()
]


def schema_of(alias: Any) -> dict[str, Any]:
    return TypeAdapter(alias).json_schema()


def accepts(alias: Any, value: str) -> bool:
    try:
        TypeAdapter(alias).validate_python(value)
    except ValidationError:
        return False
    return True


def test_the_currency_enum_is_exactly_what_the_validator_accepts() -> None:
    listed = set(schema_of(Currency)["enum"])

    assert listed == set(MINOR_UNIT_EXPONENT) | {code.lower() for code in MINOR_UNIT_EXPONENT}
    assert all(accepts(Currency, code) for code in listed)
    assert not any(accepts(Currency, code) for code in ("AAA", "Eur", "EURO", ""))


def test_time_zones_and_locales_are_listed_as_the_validators_read_them() -> None:
    zones = set(schema_of(TimeZone)["enum"])

    assert {"Europe/Paris", "UTC", "America/New_York"} <= zones
    assert all(accepts(TimeZone, zone) for zone in zones)
    assert set(schema_of(Locale)["enum"]) == {"en", "fr", "de"}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        (method, path)
        for method, path, operation in OPERATIONS
        if "application/json" in (operation.get("requestBody") or {}).get("content", {})
    ],
)
def test_every_json_body_declares_the_gates_400_and_415(method: str, path: str) -> None:
    responses = DOCUMENT["paths"][path][method]["responses"]

    assert {"400", "415", "422"} <= set(responses)


@pytest.mark.parametrize(("method", "path"), [(m, p) for m, p, _ in OPERATIONS if "{" in p])
def test_every_path_parameter_declares_a_json_404(method: str, path: str) -> None:
    assert "application/json" in DOCUMENT["paths"][path][method]["responses"]["404"]["content"]


def test_empty_answers_declare_no_body() -> None:
    empty = [
        (method, path, status)
        for method, path, operation in OPERATIONS
        for status, response in operation["responses"].items()
        if status in {"204", "303"}
    ]

    assert empty
    for method, path, status in empty:
        assert DOCUMENT["paths"][path][method]["responses"][status].get("content", {}) == {}, (method, path)


def test_created_ids_are_linked_to_the_operations_that_take_them() -> None:
    links = DOCUMENT["paths"]["/debtors"]["post"]["responses"]["201"]["links"]

    assert links["GET /debtors/{id}"]["parameters"] == {"id": "$response.body#/id"}
    assert "links" in DOCUMENT["paths"]["/debts"]["post"]["responses"]["201"]


def test_the_csv_import_declares_its_body() -> None:
    body = DOCUMENT["paths"]["/debts/import"]["post"]["requestBody"]

    assert body["required"] is True
    assert body["content"]["text/csv"]["schema"]["minLength"] == 1


SAMPLES = ["Ada", "  Ada  ", "   ", "", "\tAda\n", "\u00a0Ada", "#ref", " x", "a" * 120, " " + "a" * 120, "a\x1fb"]
EMAILS = ["ada@example.com", "  Ada@Example.com ", "ada @example.com", "a\u00a0b@c.d", "a\x1cb@c.d", "@x.y", "a@b"]


@pytest.mark.parametrize(
    ("alias", "values"),
    [(Text120, SAMPLES), (ExternalRef, SAMPLES), (EmailAddress, EMAILS), (CalendarDate, ["2026-01-31", "1899-12-31"])],
)
def test_the_document_and_the_check_refuse_exactly_the_same_values(alias: Any, values: list[str]) -> None:
    # Text is trimmed before it is checked; the document describes the text as sent, so it must agree.
    document = jsonschema.Draft202012Validator(schema_of(alias), format_checker=jsonschema.FormatChecker())

    for value in values:
        assert document.is_valid(value) == accepts(alias, value), repr(value)


def test_every_bound_is_written_in_json_schemas_words() -> None:
    # pydantic writes its own `gt`/`ge`/`lt`/`le` when it cannot translate a bound; no client reads those.
    found: list[str] = []

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            found.extend(f"{where}.{key}" for key in ("gt", "ge", "lt", "le") if isinstance(node.get(key), int | float))
            for key, value in node.items():
                walk(value, f"{where}.{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{where}[{index}]")

    walk(DOCUMENT, "$")

    assert found == []


@pytest.mark.parametrize(
    ("method", "path"), [(m, p) for m, p, _ in OPERATIONS if m in {"post", "put", "patch", "delete"}]
)
def test_every_state_changing_operation_declares_the_csrf_403(method: str, path: str) -> None:
    # The gate refuses a foreign Origin on every one of them, with or without a cookie.
    assert "application/json" in DOCUMENT["paths"][path][method]["responses"]["403"]["content"]


def test_every_list_taking_an_opaque_cursor_tells_the_fuzzer_it_may_refuse_one() -> None:
    # A cursor is only valid if this list gave it out; no schema can say so, so each such list needs its
    # 422 allowed in local/fuzz.toml, or `make fuzz` fails on the first random string it happens to try.
    import tomllib

    config = tomllib.loads((Path(__file__).resolve().parents[2] / "local" / "fuzz.toml").read_text())
    allowing_422 = {
        entry["include-name"]
        for entry in config.get("operations", [])
        if 422 in entry.get("checks", {}).get("positive_data_acceptance", {}).get("expected-statuses", [])
    }
    with_cursor = {
        f"{method.upper()} {path}"
        for method, path, operation in OPERATIONS
        if any(parameter.get("name") == "cursor" for parameter in operation.get("parameters", []))
    }

    assert with_cursor, "no list takes a cursor: the check looks at the wrong document"
    assert sorted(with_cursor - allowing_422) == []
