"""Demo data for `make dev`: a demo user and workspace, created through the API like any web client would."""

from __future__ import annotations

from local.client import WebClient

DEMO_EMAIL = "demo@collectra.local"
DEMO_PASSWORD = "collectra-demo-2026"


def seed_demo(api_url: str) -> tuple[str, str]:
    """Sign the demo user up (or check they can sign in, when the data is already there)."""
    client = WebClient(api_url)
    signup = {
        "email": DEMO_EMAIL,
        "password": DEMO_PASSWORD,
        "name": "Demo Owner",
        "workspace_name": "Demo Plumbing Ltd",
    }
    status = client.call("POST", "/auth/signup", signup).status
    if status == 409:
        status = client.call("POST", "/auth/login", {"email": DEMO_EMAIL, "password": DEMO_PASSWORD}).status
    if status not in (200, 201):
        raise RuntimeError(f"demo seed failed: the API answered {status}")
    return DEMO_EMAIL, DEMO_PASSWORD
