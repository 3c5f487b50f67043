"""Every route of the API is in exactly one route group (collectra.http.route_groups), the groups its metrics and
alarms are per: a new route that fits none fails here, rather than going unwatched or into a catch-all."""

from __future__ import annotations

import pytest

from collectra.http.route_groups import GROUPS, group_of
from local.template import Route
from tests.support.http import template_routes

ROUTES = sorted(template_routes().values(), key=lambda route: route.route_key)


def test_the_groups_are_the_ones_the_dashboard_and_alarms_read() -> None:
    assert GROUPS == ("auth", "workspace", "debtors", "debts", "plans", "pages", "stripe_webhook", "brevo_webhook")


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.route_key)
def test_every_route_of_the_template_is_in_a_group(route: Route) -> None:
    assert group_of(route.route_key) in GROUPS


def test_every_group_has_routes() -> None:
    assert {group_of(route.route_key) for route in ROUTES} == set(GROUPS)


@pytest.mark.parametrize(
    ("route_key", "group"),
    [
        ("POST /auth/login", "auth"),
        ("DELETE /account", "auth"),
        ("GET /account/export/{id}", "auth"),
        ("GET /workspace", "workspace"),
        ("PATCH /workspace/inbox/{id}", "workspace"),
        ("GET /debtors/{id}", "debtors"),
        ("POST /debtors/{id}/plans", "plans"),  # a debtor's plans are plans
        ("POST /plans/{id}/approve", "plans"),
        ("GET /debts", "debts"),
        ("GET /p/{token}", "pages"),
        ("POST /u/{token}", "pages"),
        ("GET /n/{token}", "pages"),
        ("POST /webhooks/stripe", "stripe_webhook"),
        ("POST /webhooks/brevo", "brevo_webhook"),
    ],
)
def test_a_route_is_in_the_group_of_its_path(route_key: str, group: str) -> None:
    assert group_of(route_key) == group


@pytest.mark.parametrize("route_key", ["GET /", "GET /pages", "GET /debtorsx", "GET /webhooks/paypal", "$default", ""])
def test_a_path_of_no_group_is_in_none(route_key: str) -> None:
    assert group_of(route_key) is None
