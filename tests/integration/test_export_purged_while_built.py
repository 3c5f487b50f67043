"""An archive whose export is purged while the worker builds it (its debtor erased meanwhile) is deleted as soon
as it is uploaded: nothing of the erased debtor stays in the bucket, and no export points at it."""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import Account
from tests.integration.test_export_follows_its_data import stored_archive
from tests.support.exports import WORKER, deliver, receive
from tests.support.meanwhile import meanwhile


def test_an_archive_uploaded_after_its_debtor_was_erased_is_deleted(account: Account, debtor: dict[str, Any]) -> None:
    asked = account.browser.call("POST", "/account/export")
    assert asked.status == 202, asked.body
    export_id = asked.json()["id"]

    def erase_the_debtor() -> None:
        answer = account.browser.call("DELETE", f"/debtors/{debtor['id']}")
        assert answer.status == 200, answer.body

    for message in receive():  # other tests' exports are built as they come, as Lambda would
        if json.loads(message["Body"])["export_id"] != export_id:
            deliver(message)
            continue
        with meanwhile(WORKER, "PutObject", erase_the_debtor):  # the archive is on its way
            deliver(message)

    assert not stored_archive(account.user_id, export_id)
    shown = account.browser.call("GET", f"/account/export/{export_id}")
    assert (shown.status, shown.json()["error"]["code"]) == (404, "export_not_found")
