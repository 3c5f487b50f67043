"""Account emails link into the web app, served at /app/ from the API's own origin (PUBLIC_BASE_URL)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from collectra import config
from collectra.email import account, brevo

# What building account emails reads (the app's origin too, to show the links do not point there).
ENVIRONMENT = {
    "WEB_ORIGIN": "http://127.0.0.1:5173",
    "EMAIL_SENDER_ADDRESS": "no-reply@collectra.example",
    "PUBLIC_BASE_URL": "https://collectra.example",
}


@pytest.fixture(autouse=True)
def environment() -> Iterator[None]:
    with config.environment_of(ENVIRONMENT):
        yield


EMAILS: list[tuple[Callable[[str], brevo.Message], str]] = [
    (lambda token: account.verification("a@example.com", "Ada", token), "verify-email"),
    (lambda token: account.password_reset("a@example.com", token), "reset-password"),
    (lambda token: account.email_change("a@example.com", "Ada", token), "confirm-email"),
    (lambda token: account.email_change_notice("a@example.com", "Ada", token), "cancel-email-change"),
    (lambda token: account.invitation("a@example.com", "Analytical Ltd", "Ada", "member", token), "join"),
]


@pytest.mark.parametrize(("build", "route"), EMAILS, ids=[route for _, route in EMAILS])
def test_each_account_email_links_into_the_app_at_the_apis_origin(
    build: Callable[[str], brevo.Message], route: str
) -> None:
    message = build("tok_en-1")
    link = f"https://collectra.example/app/{route}?token=tok_en-1"

    assert f": {link}\n" in message.text
    assert f'<a href="{link}">' in message.html
    assert "127.0.0.1:5173" not in message.text + message.html  # not Vite's dev server


def test_a_token_is_quoted_in_the_link() -> None:
    assert account.app_link("join", "a b&c") == "https://collectra.example/app/join?token=a%20b%26c"
