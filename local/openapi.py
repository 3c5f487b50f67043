"""Build the API's OpenAPI document from the handlers' own resolvers: `python -m local.openapi [--check]`.

Every handler module under functions/ is loaded and its resolver asked for its part; the parts are merged.
The document is committed at docs/openapi.json; `--check` fails when the committed copy is stale.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

from local.openapi_additions import add_cross_site_refusal, add_links, add_path_not_found, add_raw_bodies

ROOT = Path(__file__).resolve().parents[1]
DOCUMENT = ROOT / "docs" / "openapi.json"
DESCRIPTION = (
    "Debt collection with transparent reminders and secure payment links. Authentication is by the HttpOnly "
    "access_token cookie; state-changing requests made with cookies must send `X-Requested-With: collectra`. "
    'Errors are `{"error": {"code", "message", "details"}}`.'
)


def _resolver(path: Path) -> Any:
    spec = importlib.util.spec_from_file_location(f"openapi_{path.parent.name}_{path.stem}", path)
    if spec is None or spec.loader is None:
        raise ImportError(path)
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(path.parent))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(path.parent))
    return getattr(module, "app", None)


def _security_schemes() -> dict[str, Any]:
    # Declared here, not in the handlers: the OpenAPI models cost ~100 ms of import that no request needs.
    from aws_lambda_powertools.event_handler.openapi.models import APIKey, APIKeyIn

    return {"cookieAuth": APIKey(name="access_token", in_=APIKeyIn.cookie, description="Set by /auth/login")}


def resolver_schema(resolver: Any) -> dict[str, Any]:
    """One handler's own part of the document."""
    resolver.configure_openapi(security_schemes=_security_schemes())
    schema: dict[str, Any] = json.loads(resolver.get_openapi_json_schema())
    return schema


def build() -> dict[str, Any]:
    sys.path.insert(0, str(ROOT / "layers" / "common"))
    from aws_lambda_powertools.event_handler.openapi.merge import OpenAPIMerge

    merge = OpenAPIMerge(
        title="Collectra API",
        version="0.1.0",
        description=DESCRIPTION,
        security_schemes=_security_schemes(),
        on_conflict="error",
    )
    for path in sorted((ROOT / "functions").rglob("*.py")):
        resolver = _resolver(path)
        if resolver is not None:
            merge.add_schema(resolver_schema(resolver))
    document: dict[str, Any] = json.loads(merge.get_openapi_json_schema())
    add_links(document)
    error_schema = {"schema": {"$ref": "#/components/schemas/ErrorBody"}}
    add_path_not_found(document, error_schema)
    add_cross_site_refusal(document, error_schema)
    add_raw_bodies(document)
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
