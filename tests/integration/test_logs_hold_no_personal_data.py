"""No log line or metric holds an email address, a name, a token, a password or a message's text.

The main flows run with recognisable values, while every line the functions write is captured; then
each value is searched for. The functions log ids and outcomes, and collectra.redaction scrubs what
slips through (an exception quoting an address, a token in a URL).
"""

from __future__ import annotations

import io
import logging
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import PASSWORD
from tests.support.erasure import run_jobs_of
from tests.support.exports import work
from tests.support.http import Browser
from tests.support.reminders import drain, plan
from tests.support.reset_emails import deliver_reset_emails
from tests.support.team import invite

pytestmark = pytest.mark.usefixtures("own_reminders_only")


@pytest.fixture
def written() -> Iterator[io.StringIO]:
    """Every line the functions' logger writes, as it would reach CloudWatch (after its formatter)."""
    from collectra.observability import logger

    stream = io.StringIO()
    handlers = [h for h in logger._logger.handlers if isinstance(h, logging.StreamHandler)]
    previous = [handler.setStream(stream) for handler in handlers]
    yield stream
    for handler, old in zip(handlers, previous, strict=True):
        handler.setStream(old)


def test_the_main_flows_log_nothing_personal(
    written: io.StringIO, capfd: pytest.CaptureFixture[str], account: Any, brevo: Any
) -> None:
    from datetime import datetime

    marker = uuid.uuid4().hex[:8]
    values = {
        "debtor email": f"canary.debtor.{marker}@example.org",
        "debtor name": f"Quillonbury {marker}",
        "message": f"my cat ate the invoice {marker}",
        "owner password": PASSWORD,
        "new password": f"canary passphrase {marker}",
        "invitee email": f"canary.invitee.{marker}@example.org",
        "invitee name": f"Zebulonia {marker}",
        "corrected email": f"canary.corrected.{marker}@example.org",
    }
    browser = account.browser
    debtor = browser.call(
        "POST", "/debtors", {"name": values["debtor name"], "email": values["debtor email"], "locale": "en"}
    ).json()
    debt = browser.call(
        "POST",
        "/debts",
        {
            "debtor_id": debtor["id"],
            "invoice_number": f"INV-{marker}",
            "amount": 5_000,
            "currency": "EUR",
            "due_on": "2027-03-04",
        },
    ).json()
    link = browser.call("POST", f"/debtors/{debtor['id']}/link").json()["url"]
    token = link.rsplit("/", 1)[1]
    visitor = Browser()
    page = visitor.call("GET", f"/p/{token}").body
    csrf = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    visitor.call(
        "POST",
        f"/p/{token}/answer",
        raw_body=f"kind=question&debt_id=all&message={values['message'].replace(' ', '+')}&csrf_token={csrf}",
        headers={"content-type": "application/x-www-form-urlencoded", "origin": "null"},
        csrf_header=False,
    )
    browser.call("POST", "/debtors", {"name": values["debtor name"], "email": "not an address"})  # a 422
    browser.call(
        "POST", "/auth/password/change", {"current_password": PASSWORD, "new_password": values["new password"]}
    )
    Browser().call("POST", "/auth/login", {"email": account.email, "password": "wrong " + values["new password"]})
    Browser().call("POST", "/auth/password/forgot", {"email": account.email})
    deliver_reset_emails()
    brevo.fail_next(400, 1)  # Brevo refuses the first reminder: its error must not leak the address
    plan(datetime.fromisoformat("2027-03-01T09:00:00+01:00"))
    drain()
    browser.call("GET", f"/debts/{debt['id']}/timeline")
    # The team, a correction, an export and an account deletion.
    _, invitation = invite(browser, brevo, "member", values["invitee email"])
    invitee = Browser()
    joined = invitee.call(
        "POST",
        "/auth/invitations/accept",
        {"token": invitation, "name": values["invitee name"], "password": values["new password"]},
    )
    current = browser.call("GET", f"/debtors/{debtor['id']}").json()
    corrected = browser.call(
        "PATCH", f"/debtors/{debtor['id']}", {"version": current["version"], "email": values["corrected email"]}
    )
    work(browser.call("POST", "/account/export").json()["id"])
    left = invitee.call("DELETE", "/account", {"password": values["new password"]})
    assert (joined.status, corrected.status, left.status) == (200, 200, 200)
    run_jobs_of(account.workspace_id)

    captured = capfd.readouterr()  # the metrics (EMF lines, printed)
    logs = written.getvalue() + captured.out + captured.err
    assert "reminder message" in logs and "invalid_address" in logs  # the functions did log
    values |= {
        "owner email": account.email,
        "page token": token,
        "owner name": "Grace Hopper",
        "invitation": invitation,
    }
    cookies = [value for value in browser.jar.values() if len(value) > 20]
    leaked = {label: value for label, value in values.items() if value in logs}
    leaked |= {f"cookie {n}": cookie[:12] for n, cookie in enumerate(cookies) if cookie in logs}
    assert leaked == {}
