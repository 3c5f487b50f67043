"""Build the API's OpenAPI document from the handlers' own resolvers: `python -m local.openapi [--check]`.

The document is committed at docs/openapi.json; `--check` fails when the committed copy is stale.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DOCUMENT = ROOT / "docs" / "openapi.json"


def build() -> dict[str, Any]:
    sys.path.insert(0, str(ROOT / "layers" / "common"))
    from aws_lambda_powertools.event_handler.openapi.merge import OpenAPIMerge

    from collectra.http.app import COOKIE_AUTH

    merge = OpenAPIMerge(
        title="Collectra API",
        version="0.1.0",
        description="Debt collection with transparent reminders and secure payment links. "
        "Authentication is by the HttpOnly access_token cookie; state-changing requests made with cookies "
        'must send `X-Requested-With: collectra`. Errors are `{"error": {"code", "message", "details"}}`.',
        security_schemes={"cookieAuth": COOKIE_AUTH},
        on_conflict="error",
    )
    merge.discover(path=ROOT / "functions", pattern="*.py", recursive=True, project_root=ROOT)
    document: dict[str, Any] = json.loads(merge.get_openapi_json_schema())
    return document


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


def main(argv: list[str]) -> int:
    text = render(build())
    if "--check" in argv:
        if not DOCUMENT.exists() or DOCUMENT.read_text() != text:
            print("docs/openapi.json is stale: run `make openapi` and commit it.", file=sys.stderr)
            return 1
        return 0
    DOCUMENT.write_text(text)
    print(f"wrote {DOCUMENT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
