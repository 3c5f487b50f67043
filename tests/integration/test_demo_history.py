"""`make dev`'s demo workspace has months of history (local/seed_history.py): the figures a new user opens Home
and Reports to see are there, booked on the days they happened, and seeding again adds nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from local.brevo import BrevoStandIn


@pytest.mark.gateway
def test_the_demo_seed_gives_six_months_of_figures_once(
    gateway: Any, brevo: BrevoStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    from local.client import WebClient
    from local.seed import DEMO_EMAIL, DEMO_PASSWORD, seed_demo
    from local.seed_history import CUSTOMERS, MONTHS, debt_writer_environment, seed_history

    monkeypatch.setenv("COLLECTRA_BREVO_URL", brevo.url)
    seed_demo(gateway.url, history=debt_writer_environment(gateway))
    client = WebClient(gateway.url)
    assert client.call("POST", "/auth/login", {"email": DEMO_EMAIL, "password": DEMO_PASSWORD}).status == 200

    assert seed_history(client, debt_writer_environment(gateway)) == 0  # already there: nothing twice

    [eur] = client.call("GET", "/workspace/analytics/summary").json()["currencies"]
    this_month = datetime.now(UTC).strftime("%Y-%m")
    earlier = [month for month in eur["months"] if month["month"] < this_month and month["invoiced"] > 0]
    assert len(earlier) == MONTHS
    assert all(month["invoiced"] == sum(c.monthly for c in CUSTOMERS) for month in earlier)
    assert sum(month["collected_manual"] for month in eur["months"]) > 0
    assert sum(month["written_off"] for month in eur["months"]) == CUSTOMERS[1].monthly // 2
    assert sum(month["disputed"] for month in eur["months"]) > 0
    assert len([point for point in eur["dso"]["trend"] if point["countback_days"] is not None]) > 1
    assert eur["average_days_to_pay"] is not None
    aging = client.call("GET", "/workspace/analytics/aging?group_by=debtor&limit=100").json()["items"]
    assert "Kofi Mensah" in {row["debtor_name"] for row in aging}  # weeks late: his latest invoices are open


@pytest.mark.gateway
def test_the_demo_has_a_business_that_claims_late_payment_charges(
    gateway: Any, brevo: BrevoStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    from local.client import WebClient
    from local.seed import DEMO_PASSWORD, seed_demo

    monkeypatch.setenv("COLLECTRA_BREVO_URL", brevo.url)
    demo = seed_demo(gateway.url)
    client = WebClient(gateway.url)
    assert (
        client.call("POST", "/auth/login", {"email": demo.late_payment_email, "password": DEMO_PASSWORD}).status == 200
    )

    assert client.call("GET", "/workspace").json()["late_payment"]["jurisdiction"] == "DE"
    page = client.call("GET", "/debts?include=debtors").json()
    kinds = {debtor["id"]: debtor["kind"] for debtor in client.call("GET", "/debtors").json()["items"]}
    compensation = {kinds[d["debtor_id"]]: d["charges"]["compensation"]["due"] for d in page["items"]}
    assert compensation == {"business": 4_000, "consumer": 0}  # §288(5) BGB: the lump sum between businesses only
    assert {"Brigitte Bauer", "Jonas Weber", "Camille Martin"} <= set(demo.pages)
