"""The events the local gateway builds have the shape of the payload 2.0 sample AWS documents."""

from __future__ import annotations

import json
from typing import Any

from local.harness import Harness
from tests.support.http import ROOT

SAMPLE = json.loads((ROOT / "tests/events/http_api_v2.json").read_text())


def shape(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: shape(inner) for key, inner in value.items() if key != "headers"}
    return type(value).__name__


def test_gateway_events_have_the_documented_fields_and_types() -> None:
    built = Harness().http_event("POST", "/auth/login", body={"email": "a@b.co", "password": "x"})
    assert shape({key: value for key, value in built.items() if key in SAMPLE}) == shape(SAMPLE)
    assert set(built["headers"]) >= {"content-type", "user-agent", "host"}
    assert built["body"] == '{"email": "a@b.co", "password": "x"}'
    assert built["isBase64Encoded"] is False
    assert "cookies" not in built
