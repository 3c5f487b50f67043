"""An export purged while the worker builds it (its debtor erased meanwhile) leaves nothing in the bucket: a part
uploaded after the erasure is deleted by the piece that wrote it (it finds no export to add it to), an archive
uploaded after it by the assembly; and no export points at either."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from collectra import config
from tests.conftest import Account
from tests.support.exports import WORKER, deliver, receive
from tests.support.meanwhile import meanwhile


@pytest.mark.parametrize("step", ["piece", "assemble"])
def test_what_is_uploaded_after_its_debtor_was_erased_is_deleted(
    account: Account, debtor: dict[str, Any], step: str
) -> None:
    asked = account.browser.call("POST", "/account/export")
    assert asked.status == 202, asked.body
    export_id = asked.json()["id"]

    def erase_the_debtor() -> None:
        answer = account.browser.call("DELETE", f"/debtors/{debtor['id']}")
        assert answer.status == 200, answer.body

    while taken := receive():  # other tests' exports are built as they come, as Lambda would
        for message in taken:
            body = json.loads(message["Body"])
            if body["export_id"] != export_id or step not in body:
                deliver(message)
                continue
            with meanwhile(WORKER, "PutObject", erase_the_debtor):  # its part, or the archive, on its way
                deliver(message)

    listed = boto3.client("s3").list_objects_v2(Bucket=config.export_bucket(), Prefix=f"exports/{account.user_id}/")
    assert [entry["Key"] for entry in listed.get("Contents", []) if export_id in entry["Key"]] == []
    shown = account.browser.call("GET", f"/account/export/{export_id}")
    assert (shown.status, shown.json()["error"]["code"]) == (404, "export_not_found")
