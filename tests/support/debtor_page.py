"""The debtor's side, as their browser does it: open the page from its link, post its forms, connect Stripe
for the business so the page offers card payment."""

from __future__ import annotations

from urllib.parse import urlencode

from local.harness import Answer
from local.stripe import StripeStandIn
from tests.support.http import Browser
from tests.support.stripe_standin import Outbox, control

# A form posted from the page: a browser sends `Origin: null` for it (the page is served with no-referrer).
FORM = {"content-type": "application/x-www-form-urlencoded", "origin": "null"}


def page_token(business: Browser, debtor_id: str) -> str:
    """The business makes (or rotates) the debtor's link; the token it ends with."""
    return str(business.call("POST", f"/debtors/{debtor_id}/link").json()["url"]).rsplit("/", 1)[1]


def csrf_of(token: str) -> str:
    """The CSRF token of the page's forms, as a fresh visit shows it."""
    body = Browser().call("GET", f"/p/{token}").body
    return body.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def post_form(token: str, action: str, fields: dict[str, str], *, csrf: str | None = None) -> Answer:
    """Post one of the page's forms (`pay` or `answer`) with its CSRF token (a fresh one unless given)."""
    form = {"csrf_token": csrf or csrf_of(token), **fields}
    return Browser().call("POST", f"/p/{token}/{action}", raw_body=urlencode(form), headers=FORM, csrf_header=False)


def write_back(token: str, debt_id: str, message: str, kind: str = "question") -> None:
    answer = post_form(token, "answer", {"kind": kind, "debt_id": debt_id, "message": message})
    assert answer.status == 303, answer.body


def connect_stripe(business: Browser, stripe_api: StripeStandIn, outbox: Outbox, *, enabled: bool = True) -> str:
    """The business connects its Stripe account and Stripe says (account.updated) charges are enabled."""
    answer = business.call("POST", "/workspace/stripe/connect")
    assert answer.status == 200, answer.body
    account_id = str(answer.json()["account_id"])
    if enabled:
        control(stripe_api.url, f"accounts/{account_id}/update", {"charges_enabled": True, "details_submitted": True})
        outbox.deliver_new()
    return account_id
