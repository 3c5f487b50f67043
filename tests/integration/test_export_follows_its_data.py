"""A workspace's export archive is the workspace's data: downloadable only while its requester may still export
that workspace, and deleted with the workspace or with any debtor it holds (issue 12).

Exports are asked for and read over HTTP, built by the export queue's worker, and erasures run by the
deletion queue's worker, as in test_export.py and test_account_deletion.py.
"""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from collectra import config
from local.brevo import BrevoStandIn
from tests.conftest import PASSWORD, Account
from tests.support.erasure import run_jobs_of
from tests.support.exports import export_now
from tests.support.team import new_member
from tests.support.world import get_item


def stored_archive(user_id: str, export_id: str) -> bool:
    """Whether the archive is still in the bucket."""
    try:
        boto3.client("s3").head_object(Bucket=config.export_bucket(), Key=f"exports/{user_id}/{export_id}.zip")
    except ClientError as error:
        if error.response["Error"]["Code"] in ("404", "NoSuchKey"):
            return False
        raise
    return True


def test_a_workspace_export_is_not_shown_to_a_requester_who_may_no_longer_export_it(
    account: Account, brevo: BrevoStandIn
) -> None:
    admin, admin_id = new_member(account.browser, brevo, "admin")
    export = export_now(admin)
    assert export["scope"] == "account+workspace"
    demoted = account.browser.call("PATCH", f"/workspace/members/{admin_id}", {"role": "member"})
    assert demoted.status == 200, demoted.body

    answer = admin.call("GET", f"/account/export/{export['id']}")

    assert (answer.status, answer.json()["error"]["code"]) == (403, "export_not_allowed")
    assert "download_url" not in answer.body
    promoted = account.browser.call("PATCH", f"/workspace/members/{admin_id}", {"role": "admin"})
    assert promoted.status == 200, promoted.body
    assert admin.call("GET", f"/account/export/{export['id']}").json()["download_url"]


def test_erasing_a_debtor_deletes_the_workspace_archives_that_hold_them(
    account: Account, debtor: dict[str, Any]
) -> None:
    export = export_now(account.browser)
    assert stored_archive(account.user_id, export["id"])

    assert account.browser.call("DELETE", f"/debtors/{debtor['id']}").status == 200

    assert not stored_archive(account.user_id, export["id"])
    answer = account.browser.call("GET", f"/account/export/{export['id']}")
    assert (answer.status, answer.json()["error"]["code"]) == (404, "export_not_found")
    # The way is free for a new export at once.
    assert export_now(account.browser)["id"] != export["id"]


@pytest.mark.usefixtures("debtor")
def test_deleting_a_workspace_deletes_its_archives(account: Account) -> None:
    export = export_now(account.browser)

    assert account.browser.call("DELETE", "/workspace", {"password": PASSWORD}).status == 202
    run_jobs_of(account.workspace_id)

    assert not stored_archive(account.user_id, export["id"])
    assert get_item({"pk": f"USER#{account.user_id}", "sk": f"EXPORT#{export['id']}"}) is None
