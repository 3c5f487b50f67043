"""Demo data for `make dev`: a demo user and workspace, created through the API like any web client would."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

DEMO_EMAIL = "demo@collectra.local"
DEMO_PASSWORD = "collectra-demo-2026"
DEMO_ORIGIN_HEADERS = {"content-type": "application/json", "x-requested-with": "collectra"}


def _post(url: str, body: dict[str, object]) -> int:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST", headers=DEMO_ORIGIN_HEADERS)
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def seed_demo(api_url: str) -> tuple[str, str]:
    """Sign the demo user up (or check they can sign in, when the data is already there)."""
    status = _post(
        f"{api_url}/auth/signup",
        {"email": DEMO_EMAIL, "password": DEMO_PASSWORD, "name": "Demo Owner", "workspace_name": "Demo Plumbing Ltd"},
    )
    if status == 409:
        status = _post(f"{api_url}/auth/login", {"email": DEMO_EMAIL, "password": DEMO_PASSWORD})
    if status not in (200, 201):
        raise RuntimeError(f"demo seed failed: the API answered {status}")
    return DEMO_EMAIL, DEMO_PASSWORD
