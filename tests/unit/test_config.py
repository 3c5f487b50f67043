from typing import Any

import pytest

from collectra.config import ConfigurationError, Settings

# Every required field, by name: a test changes one by its name, so the values are typed loosely.
GOOD: dict[str, Any] = {
    "environment": "dev",
    "table_name": "collectra-dev",
    "web_origin": "https://app.collectra.example",
    "jwt_secret_name": "collectra/dev/jwt",
    "brevo_api_key_secret_name": "collectra/dev/brevo",
    "brevo_api_url": "https://api.brevo.com",
    "email_sender_address": "no-reply@collectra.example",
    "public_base_url": "https://pay.collectra.example",
    "stripe_api_key_secret_name": "collectra/dev/stripe-api-key",
    "stripe_webhook_secret_name": "collectra/dev/stripe-webhook-secrets",
    "stripe_api_url": "https://api.stripe.com",
    "stripe_checkout_origin": "https://checkout.stripe.com",
    "page_link_secret_name": "collectra/dev/page-link-key",
}


def test_a_complete_environment_is_accepted() -> None:
    assert Settings(**GOOD).web_origin == "https://app.collectra.example"


@pytest.mark.parametrize(
    ("field", "value", "named"),
    [
        ("table_name", "", "table_name"),
        ("environment", "staging", "ENVIRONMENT"),
        ("web_origin", "https://app.example/path", "WEB_ORIGIN"),
        ("brevo_api_url", "brevo", "BREVO_API_URL"),
    ],
)
def test_a_wrong_environment_fails_loudly_naming_the_variable(field: str, value: str, named: str) -> None:
    with pytest.raises(ConfigurationError, match=named):
        Settings(**{**GOOD, field: value})
