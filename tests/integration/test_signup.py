"""Signing up through POST /auth/signup, and verifying the address."""

from __future__ import annotations

import re

import pytest

from collectra import config
from local.brevo import BrevoStandIn
from tests.support.http import Browser
from tests.support.world import item_count, messages_to


def signup_body(email: str, **overrides: object) -> dict[str, object]:
    return {
        "email": email,
        "password": "a long passphrase",
        "name": "Ada Lovelace",
        "workspace_name": "Analytical Ltd",
    } | overrides


def test_signup_creates_owner_workspace_and_signs_in(browser: Browser, unique_email: str) -> None:
    answer = browser.call("POST", "/auth/signup", signup_body(unique_email.upper()))

    assert answer.status == 201
    body = answer.json()
    assert body["user"]["email"] == unique_email
    assert body["user"]["email_verified"] is False
    assert body["role"] == "owner"
    assert body["workspace"]["name"] == "Analytical Ltd"
    assert set(answer.set_cookies()) == {"access_token", "refresh_token"}
    me = browser.call("GET", "/auth/me")
    assert me.status == 200
    assert me.json()["workspace"]["id"] == body["workspace"]["id"]


def test_signup_emails_a_link_that_verifies_the_address_once(
    browser: Browser, unique_email: str, brevo: BrevoStandIn
) -> None:
    browser.call("POST", "/auth/signup", signup_body(unique_email))
    (email,) = messages_to(brevo, unique_email)
    match = re.search(r"verify-email\?token=([A-Za-z0-9_\-]+)", email["textContent"])
    assert match, "no verification link"
    token = match.group(1)
    # The link opens the web app, served at /app/ from the API's own origin.
    assert f"{config.public_base_url()}/app/verify-email?token={token}" in email["textContent"]

    first = browser.call("POST", "/auth/verify-email", {"token": token})
    again = browser.call("POST", "/auth/verify-email", {"token": token})

    assert first.status == 204
    assert again.status == 400
    assert again.json()["error"]["code"] == "invalid_token"
    assert browser.call("GET", "/auth/me").json()["user"]["email_verified"] is True


def test_second_signup_with_same_email_is_refused_and_writes_nothing(browser: Browser, unique_email: str) -> None:
    browser.call("POST", "/auth/signup", signup_body(unique_email))
    before = item_count()

    again = Browser().call("POST", "/auth/signup", signup_body(unique_email.upper(), workspace_name="Other"))

    assert again.status == 409
    assert again.json()["error"]["code"] == "email_taken"
    assert item_count() == before


@pytest.mark.parametrize(
    ("raw_body", "status", "field"),
    [
        ("{not json", 400, "body"),
        ('{"email": "a@b.co", "password": "a long passphrase", "name": "A"}', 422, "body.workspace_name"),
        (
            '{"email": "not-an-email", "password": "a long passphrase", "name": "A", "workspace_name": "W"}',
            422,
            "body.email",
        ),
        ('{"email": "a@b.co", "password": "short", "name": "A", "workspace_name": "W"}', 422, "body.password"),
        (
            '{"email": "a@b.co", "password": "' + "p" * 129 + '", "name": "A", "workspace_name": "W"}',
            422,
            "body.password",
        ),
        (
            '{"email": "a@b.co", "password": "a long passphrase", "name": "' + "n" * 121 + '", "workspace_name": "W"}',
            422,
            "body.name",
        ),
        ('{"email": "a@b.co", "password": 12345678, "name": "A", "workspace_name": "W"}', 422, "body.password"),
        (
            '{"email": "a@b.co", "password": "a long passphrase", "name": "A", "workspace_name": "W", "admin": true}',
            422,
            "body.admin",
        ),
        ("[]", 422, "body"),
    ],
)
def test_bad_signup_input_names_the_field_and_writes_nothing(
    browser: Browser, raw_body: str, status: int, field: str
) -> None:
    before = item_count()

    answer = browser.call("POST", "/auth/signup", raw_body=raw_body)

    assert answer.status == status
    error = answer.json()["error"]
    assert {"code", "message", "details"} <= set(error)
    assert field in [detail["field"] for detail in error["details"]]
    assert item_count() == before


def test_password_of_128_characters_is_accepted_whole(browser: Browser, unique_email: str) -> None:
    # A passphrase (long repeats alone are refused as too easy to guess), 128 characters of 2 bytes mostly.
    password = "a long passphrase " + "é" * 109 + "x"
    assert browser.call("POST", "/auth/signup", signup_body(unique_email, password=password)).status == 201

    truncated = Browser().call("POST", "/auth/login", {"email": unique_email, "password": password[:-1] + "y"})
    whole = Browser().call("POST", "/auth/login", {"email": unique_email, "password": password})

    assert truncated.status == 401
    assert whole.status == 200


def test_signup_makes_one_dynamodb_call(browser: Browser, unique_email: str, dynamodb_calls: list[str]) -> None:
    browser.call("POST", "/auth/signup", signup_body(unique_email))
    assert dynamodb_calls == ["TransactWriteItems"]
