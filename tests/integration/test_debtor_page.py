"""The debtor's public page through GET /p/{token} and POST /p/{token}/answer."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest

from local.harness import Answer
from tests.conftest import Account, new_debt
from tests.support.http import Browser


def link_token(account: Account, debtor_id: str) -> str:
    return str(account.browser.call("POST", f"/debtors/{debtor_id}/link").json()["url"]).rsplit("/", 1)[1]


def form(page: Answer) -> dict[str, str]:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.body)
    assert match, "no CSRF token in the form"
    return {"csrf_token": match.group(1)}


def post_answer(token: str, fields: dict[str, str], browser: Browser | None = None) -> Answer:
    from urllib.parse import urlencode

    return (browser or Browser()).call(
        "POST",
        f"/p/{token}/answer",
        raw_body=urlencode(fields),
        csrf_header=False,
        headers={"content-type": "application/x-www-form-urlencoded"},
    )


@pytest.fixture
def page(account: Account, debtor: dict[str, Any]) -> dict[str, Any]:
    account.browser.call(
        "PATCH",
        "/workspace",
        {
            "legal_name": "Hopper & Co SAS",
            "reply_to": "accounts@hopper.example",
            "postal_address": {"line1": "1 Rue Lafayette", "postal_code": "75009", "city": "Paris", "country": "FR"},
        },
    )
    debt = new_debt(account, debtor["id"], amount=123_456, due_on="2026-11-01", description="Chaudière")
    paid = new_debt(account, debtor["id"], amount=500)
    account.browser.call("POST", f"/debts/{paid['id']}/payments", {"amount": 500, "received_on": "2026-11-20"})
    return {"token": link_token(account, debtor["id"]), "debt": debt, "paid": paid}


def test_the_page_shows_who_asks_and_what_is_owed_in_the_debtors_language(page: dict[str, Any]) -> None:
    answer = Browser().call("GET", f"/p/{page['token']}", send_cookies=False)

    assert answer.status == 200
    assert answer.headers["content-type"].startswith("text/html")
    body = answer.body
    assert 'lang="fr"' in body
    assert "Hopper &amp; Co SAS" in body and "1 Rue Lafayette" in body
    assert page["debt"]["invoice_number"] in body
    assert "1\u202f234,56\u00a0€" in body
    assert page["paid"]["invoice_number"] not in body  # paid debts are not asked for


def test_the_page_sends_the_headers_that_keep_the_token_private(page: dict[str, Any]) -> None:
    headers = Browser().call("GET", f"/p/{page['token']}").headers
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["cache-control"] == "no-store"
    assert "noindex" in headers["x-robots-tag"]
    assert "default-src 'none'" in headers["content-security-policy"]
    assert "script-src" not in headers["content-security-policy"]


def test_unknown_revoked_and_rotated_links_all_get_the_same_404(account: Account, debtor: dict[str, Any]) -> None:
    old = link_token(account, debtor["id"])
    current = link_token(account, debtor["id"])
    unknown = Browser().call("GET", "/p/" + "x" * 43)
    rotated = Browser().call("GET", f"/p/{old}")
    account.browser.call("DELETE", f"/debtors/{debtor['id']}/link")
    revoked = Browser().call("GET", f"/p/{current}")

    assert unknown.status == rotated.status == revoked.status == 404
    assert re.sub(r"nonce-[^']+|nonce=\"[^\"]+\"", "", unknown.body) == re.sub(
        r"nonce-[^']+|nonce=\"[^\"]+\"", "", revoked.body
    )


def test_a_link_opens_only_with_its_own_secret_and_its_own_workspace(
    account: Account, debtor: dict[str, Any], emulator: object
) -> None:
    workspace_id, debtor_id, secret = link_token(account, debtor["id"]).split(".")
    someone_else = account.browser.call("POST", "/debtors", {"name": "B", "email": "b@example.com"}).json()
    other = link_token(account, someone_else["id"])
    forged = {
        "another debtor's secret": f"{workspace_id}.{debtor_id}.{other.split('.')[2]}",
        "a changed secret": f"{workspace_id}.{debtor_id}.{secret[:-1]}{'A' if secret[-1] != 'A' else 'B'}",
        "another workspace": f"ws_{'0' * 26}.{debtor_id}.{secret}",
        "a missing part": f"{debtor_id}.{secret}",
    }
    for label, token in forged.items():
        assert Browser().call("GET", f"/p/{token}").status == 404, label
    assert Browser().call("GET", f"/p/{workspace_id}.{debtor_id}.{secret}").status == 200


def test_opening_the_page_reads_three_times_and_writes_the_view_once(
    page: dict[str, Any], dynamodb_calls: list[str]
) -> None:
    """The link's debtor and business in one batch, the keys of their debts (the index projects only their status),
    the debts in one batch; then the view."""
    assert Browser().call("GET", f"/p/{page['token']}").status == 200
    assert dynamodb_calls == ["BatchGetItem", "Query", "BatchGetItem", "TransactWriteItems"]


def test_guessing_links_is_rate_limited(emulator: object) -> None:
    guesser = Browser()
    statuses = [guesser.call("GET", f"/p/{'g' * 40}{n:03d}").status for n in range(21)]
    assert statuses[:20] == [404] * 20
    assert statuses[20] == 429


def test_a_dispute_from_the_page_disputes_the_debt_and_shows_on_the_timeline(
    account: Account, page: dict[str, Any]
) -> None:
    shown = Browser().call("GET", f"/p/{page['token']}")
    fields = form(shown) | {"kind": "dispute", "debt_id": page["debt"]["id"], "message": "Never received it"}

    answer = post_answer(page["token"], fields)

    assert answer.status == 303
    assert answer.headers["location"] == f"/p/{page['token']}?notice=answer_received_dispute"
    debt = account.browser.call("GET", f"/debts/{page['debt']['id']}").json()
    assert debt["status"] == "disputed"
    entries = account.browser.call("GET", f"/debts/{page['debt']['id']}/timeline").json()["items"]
    kinds = [e["type"] for e in entries]
    assert "page_viewed" in kinds
    message = next(e for e in entries if e["type"] == "debtor_message")
    assert message["data"] == {"kind": "dispute", "message": "Never received it"}
    assert message["actor"]["kind"] == "debtor"


def test_a_promise_for_all_that_is_owed_holds_reminders_until_kept_or_broken(
    account: Account, page: dict[str, Any]
) -> None:
    promised = (date.today() + timedelta(days=30)).isoformat()  # within the default 90 days
    fields = form(Browser().call("GET", f"/p/{page['token']}")) | {"kind": "promise", "promise_date": promised}
    assert post_answer(page["token"], fields).status == 303
    debt = account.browser.call("GET", f"/debts/{page['debt']['id']}").json()
    assert (debt["promise"]["amount"], debt["promise"]["on"]) == (123_456, promised)  # no amount: all of it
    assert debt["status"] == "open"


def test_a_form_without_its_token_changes_nothing(account: Account, page: dict[str, Any]) -> None:
    answer = post_answer(page["token"], {"kind": "dispute", "debt_id": "all", "csrf_token": "0" * 40})
    assert answer.status == 422
    assert account.browser.call("GET", f"/debts/{page['debt']['id']}").json()["status"] == "open"


def test_a_cross_site_post_is_refused(account: Account, page: dict[str, Any]) -> None:
    fields = form(Browser().call("GET", f"/p/{page['token']}")) | {"kind": "dispute", "debt_id": "all"}
    from urllib.parse import urlencode

    answer = Browser().call(
        "POST",
        f"/p/{page['token']}/answer",
        raw_body=urlencode(fields),
        csrf_header=False,
        headers={"content-type": "application/x-www-form-urlencoded", "origin": "https://evil.example"},
    )
    assert answer.status == 403
    assert account.browser.call("GET", f"/debts/{page['debt']['id']}").json()["status"] == "open"


def test_a_signed_in_persons_cookies_do_not_stop_the_debtors_forms(account: Account, page: dict[str, Any]) -> None:
    """The app and the debtor's page share an origin: an owner trying a debtor's link in their own browser sends
    their session cookies with the page's form, which posts with `Origin: null` (the page has no referrer)."""
    from urllib.parse import urlencode

    fields = form(Browser().call("GET", f"/p/{page['token']}")) | {"kind": "dispute", "debt_id": "all"}
    answer = account.browser.call(
        "POST",
        f"/p/{page['token']}/answer",
        raw_body=urlencode(fields),
        csrf_header=False,
        headers={"content-type": "application/x-www-form-urlencoded", "origin": "null"},
    )
    assert answer.status == 303, answer.body
    assert account.browser.call("GET", f"/debts/{page['debt']['id']}").json()["status"] == "disputed"


def test_erasing_the_debtor_erases_what_they_wrote_but_keeps_that_they_wrote(
    account: Account, debtor: dict[str, Any], page: dict[str, Any]
) -> None:
    fields = form(Browser().call("GET", f"/p/{page['token']}")) | {"kind": "question", "message": "Call me on 0612"}
    post_answer(page["token"], fields)
    account.browser.call("POST", f"/debts/{page['debt']['id']}/cancel")

    assert account.browser.call("DELETE", f"/debtors/{debtor['id']}").status == 200

    entries = account.browser.call("GET", f"/debts/{page['debt']['id']}/timeline").json()["items"]
    message = next(e for e in entries if e["type"] == "debtor_message")
    assert message["data"] == {"kind": "question", "message": "[erased]"}
