"""What the handlers cannot say about themselves in the OpenAPI document: links between operations, the
404 the resolver gives for a path it cannot read, and bodies the handlers read raw.

Links let a client (and schemathesis's stateful phase) feed the id one operation creates into the next:
POST /debtors -> GET /debtors/{id}, POST /debts with that debtor, and so on.
"""

from __future__ import annotations

from typing import Any

# (method, path, status) of the answer that holds the id -> [(method, path of the next operation, where the id goes)]
_ID = "$response.body#/id"
_LINKS: dict[tuple[str, str, str], list[tuple[str, str, dict[str, str]]]] = {
    ("post", "/debtors", "201"): [
        ("get", "/debtors/{id}", {"id": _ID}),
        ("patch", "/debtors/{id}", {"id": _ID}),
        ("delete", "/debtors/{id}", {"id": _ID}),
        ("post", "/debtors/{id}/link", {"id": _ID}),
        ("delete", "/debtors/{id}/link", {"id": _ID}),
        ("post", "/debts", {"body#/debtor_id": _ID}),
    ],
    ("post", "/debts", "201"): [
        ("get", "/debts/{id}", {"id": _ID}),
        ("patch", "/debts/{id}", {"id": _ID}),
        ("get", "/debts/{id}/timeline", {"id": _ID}),
        ("post", "/debts/{id}/payments", {"id": _ID}),
        ("post", "/debts/{id}/pause", {"id": _ID}),
        ("post", "/debts/{id}/resume", {"id": _ID}),
        ("post", "/debts/{id}/dispute", {"id": _ID}),
        ("post", "/debts/{id}/reopen", {"id": _ID}),
        ("post", "/debts/{id}/cancel", {"id": _ID}),
        ("post", "/debts/{id}/write-off", {"id": _ID}),
        ("post", "/debts/{id}/remind", {"id": _ID}),
        ("put", "/debts/{id}/reminder-steps", {"id": _ID}),
        ("delete", "/debts/{id}/reminder-steps", {"id": _ID}),
    ],
    ("post", "/account/export", "202"): [("get", "/account/export/{id}", {"id": _ID})],
    ("post", "/workspace/members", "201"): [("delete", "/workspace/invitations/{id}", {"id": _ID})],
}

# Bodies a handler reads itself (Powertools validates JSON and forms only).
_RAW_BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("post", "/debts/import"): {
        "required": True,
        "content": {"text/csv": {"schema": {"type": "string", "minLength": 1, "maxLength": 5 * 1024 * 1024}}},
    },
}


def _operation_id(document: dict[str, Any], method: str, path: str) -> str:
    operation = document["paths"][path][method]
    return str(operation["operationId"])


def add_links(document: dict[str, Any]) -> None:
    for (method, path, status), targets in _LINKS.items():
        response = document["paths"][path][method]["responses"][status]
        links = response.setdefault("links", {})
        for target_method, target_path, parameters in targets:
            name = f"{target_method.upper()} {target_path}"
            link: dict[str, Any] = {"operationId": _operation_id(document, target_method, target_path)}
            path_parameters = {key: value for key, value in parameters.items() if not key.startswith("body#")}
            body = {key.removeprefix("body#/"): value for key, value in parameters.items() if key.startswith("body#")}
            if path_parameters:
                link["parameters"] = path_parameters
            if body:
                link["requestBody"] = body
            links[name] = link


def add_path_not_found(document: dict[str, Any], error_schema: dict[str, Any]) -> None:
    """A path parameter holding characters no id has (a control character, a symbol) is not routed to the
    handler: the resolver answers its 404 in the error shape. API Gateway passes such paths on, so say it."""
    for path, operations in document["paths"].items():
        if "{" not in path:
            continue
        for operation in operations.values():
            responses = operation["responses"]
            if "404" not in responses:
                responses["404"] = {"description": "No such resource", "content": {"application/json": error_schema}}
            else:
                content = responses["404"].setdefault("content", {})
                content.setdefault("application/json", error_schema)


def add_cross_site_refusal(document: dict[str, Any], error_schema: dict[str, Any]) -> None:
    """Every state-changing request passes the CSRF check before its route (collectra.http.gate): one from a
    foreign `Origin` is refused with 403 even without a cookie, on the sign-in, the pages and the webhooks too."""
    for operations in document["paths"].values():
        for method, operation in operations.items():
            if method not in {"post", "put", "patch", "delete"}:
                continue
            refusal = operation["responses"].setdefault(
                "403",
                {"description": "Cross-site request refused (a foreign Origin, or a cookie without X-Requested-With)"},
            )
            refusal.setdefault("content", {}).setdefault("application/json", error_schema)


def add_raw_bodies(document: dict[str, Any]) -> None:
    for (method, path), body in _RAW_BODIES.items():
        document["paths"][path][method]["requestBody"] = body
