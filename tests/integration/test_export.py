"""Data export (access and portability): POST /account/export, the export queue's worker, GET
/account/export/{id}, and the archive downloaded with a plain HTTP GET on its presigned link.

The workspace is made through the HTTP doors (tests/support/populated.py); what it owns is read from the
emulator's memory (`all_items`) and every item of it is looked for in the archive.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
import zipfile
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from collectra import config
from collectra.exports.entities import DERIVED_PREFIXES
from local.brevo import BrevoStandIn
from local.stripe import StripeStandIn
from tests.conftest import PASSWORD, Account, Clock
from tests.support.exports import deliver, download, export_now, receive, work
from tests.support.http import Browser
from tests.support.metrics_printed import printed_metrics
from tests.support.populated import Populated, owned_by, populate
from tests.support.world import all_items, get_item

INTERNAL = {"pk", "sk", "password_hash", "token_hash", "token_key", "link_hash", "link_nonce"}
INTERNAL |= {"checkouts", "session_url"}


@pytest.fixture
def populated(
    account: Account, stripe_api: StripeStandIn, brevo: BrevoStandIn, clock: Clock, own_reminders_only: None
) -> Populated:
    return populate(account, stripe_api, brevo, clock)


def contents(archive: zipfile.ZipFile) -> dict[str, Any]:
    return dict(json.loads(archive.read("export.json")))


def keys_in(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for name, inner in value.items():
            yield name
            yield from keys_in(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from keys_in(inner)


def find(exported: dict[str, Any], entity: str, **fields: Any) -> list[dict[str, Any]]:
    return [r for r in exported[entity] if all(r.get(name) == value for name, value in fields.items())]


def is_in_export(item: dict[str, Any], exported: dict[str, Any]) -> bool:
    """Whether a stored item of the workspace is in the export, by what identifies it."""
    pk, sk = item["pk"], item["sk"]
    kind = sk.split("#", 1)[0]
    if sk.startswith(DERIVED_PREFIXES):  # the figures: sums of the debts and ledger exported, not records themselves
        return True
    if "#DEBT#" in pk:
        debt_id = pk.rsplit("#DEBT#", 1)[1]
        if kind == "CLAIM":
            claimed = bool(find(exported, "reminder_claims", debt_id=debt_id, step=int(sk.split("#")[1])))
            # The claim of an email's first debt is that email's record: the email is exported too.
            return claimed and ("id" not in item or bool(find(exported, "communications", id=item["id"])))
        entity = {"T": "timeline", "L": "ledger"}[kind]
        return bool(find(exported, entity, id=item["id"], debt_id=debt_id))
    by_id = {
        "PAYMENT": "payment_attempts",
        "WORKSPACE": "workspace",
        "DEBTOR": "debtors",
        "DEBT": "debts",
        "INVITE": "invitations",
        "ERASURE": "erasures",
        "INBOX": "inbox",
        "PLAN": "payment_plans",
    }
    if kind in by_id:
        return bool(find(exported, by_id[kind], id=item["id"]))
    if kind == "MEMBER":
        return bool(find(exported, "members", user_id=item["user_id"], role=item["role"]))
    if kind == "INVOICE":  # the claim on an invoice number: its debt carries the number
        return bool(find(exported, "debts", id=item["debt_id"], invoice_number=sk.split("#", 1)[1]))
    if kind == "EXTREF":  # the claim on a customer reference: its debtor carries it
        return bool(find(exported, "debtors", id=item["debtor_id"], external_ref=sk.split("#", 1)[1]))
    if kind == "REMINDER-RUN":
        return bool(find(exported, "reminder_runs", ran_at=item["ran_at"]))
    raise AssertionError(f"an item of a kind this test does not know: {pk} {sk}")


def test_an_owners_export_holds_everything_the_workspace_owns_as_json_and_csv(populated: Populated) -> None:
    workspace_id, user_id = populated.account.workspace_id, populated.account.user_id
    owned = owned_by(workspace_id, all_items())

    shown = export_now(populated.browser)
    archive = download(shown["download_url"])
    exported = contents(archive)

    assert shown["scope"] == "account+workspace" and shown["workspace_id"] == workspace_id
    missing = [(item["pk"], item["sk"]) for item in owned if not is_in_export(item, exported)]
    assert missing == []
    assert exported["about"]["counts"] == shown["counts"]
    assert [u["id"] for u in exported["user"]] == [user_id] and exported["sessions"]
    assert find(exported, "memberships", workspace_id=workspace_id, role="owner")
    assert find(exported, "messages", kind="question", message="Can I pay in May?")
    assert find(exported, "consents_and_opt_outs", debtor_id=populated.opted_out["id"], reason="opted_out")
    assert find(exported, "communications", status="sent", debtor_id=populated.debtor["id"])
    assert find(exported, "payment_attempts", status="succeeded", amount=4_200)
    assert {(e["kind"], e["amount"]) for e in exported["ledger"]} == {("payment", 500), ("payment", 4_200)}
    assert find(exported, "members", user_id=populated.member_id, role="member")
    [promised] = [debt for debt in exported["debts"] if debt.get("promise")]
    assert (promised["id"], promised["promise"]["amount"]) == (populated.debts[0]["id"], 3_000)
    assert find(exported, "timeline", debt_id=promised["id"], type="promise_made")


def test_each_entity_has_a_csv_with_a_header_and_one_row_per_record(populated: Populated) -> None:
    archive = download(export_now(populated.browser)["download_url"])
    exported = contents(archive)

    listed = sorted(name for name in archive.namelist() if name.startswith("csv/"))
    entities = {entity: records for entity, records in exported.items() if isinstance(records, list)}
    assert listed == sorted(f"csv/{entity}.csv" for entity, records in entities.items() if records)
    for name in listed:
        records = exported[name.removeprefix("csv/").removesuffix(".csv")]
        header, *rows = list(csv.reader(io.TextIOWrapper(archive.open(name), encoding="utf-8", newline="")))
        assert len(rows) == len(records), name
        assert set(header) == {key for record in records for key in record}, name
        assert all(len(row) == len(header) for row in rows), name
    [debt_row] = [
        row
        for row in csv.DictReader(io.TextIOWrapper(archive.open("csv/debts.csv"), encoding="utf-8", newline=""))
        if row["id"] == populated.debts[0]["id"]
    ]
    assert debt_row["invoice_number"] == populated.debts[0]["invoice_number"] and debt_row["amount"] == "12500"


def test_no_storage_internal_or_secret_is_in_the_archive(populated: Populated) -> None:
    everything = all_items()
    archive = download(export_now(populated.browser)["download_url"])
    exported = contents(archive)
    text = "\n".join(archive.read(name).decode() for name in archive.namelist())

    names = set(keys_in(exported))
    assert not names & INTERNAL and not any(name.startswith("gsi") for name in names)
    for name in archive.namelist():
        header = archive.read(name).decode().split("\r\n", 1)[0].split(",") if name.endswith(".csv") else []
        assert not set(header) & INTERNAL and not any(column.startswith("gsi") for column in header), name
    mine = owned_by(populated.account.workspace_id, everything) + [
        item for item in everything if item["pk"] == f"USER#{populated.account.user_id}"
    ]
    secrets = [str(item[name]) for item in mine for name in INTERNAL - {"pk", "sk"} if item.get(name)]
    assert len(secrets) >= 3  # a password hash, a refresh token's, a page link's at least
    assert [secret for secret in secrets if secret in text] == []


def test_a_member_exports_only_their_own_account(populated: Populated) -> None:
    shown = export_now(populated.member)
    archive = download(shown["download_url"])
    exported = contents(archive)
    text = archive.read("export.json").decode()

    assert shown["scope"] == "account" and shown["workspace_id"] is None
    assert [u["id"] for u in exported["user"]] == [populated.member_id]
    assert [m["workspace_id"] for m in exported["memberships"]] == [populated.account.workspace_id]
    assert not {"workspace", "debtors", "debts", "ledger", "timeline", "communications"} & set(exported)
    assert populated.debtor["email"] not in text and populated.debts[0]["invoice_number"] not in text
    assert all(not name.startswith("csv/debt") for name in archive.namelist())


def test_only_the_requester_can_see_an_export_and_an_unknown_id_is_not_found(
    account: Account, unique_email: str
) -> None:
    asked = account.browser.call("POST", "/account/export").json()
    stranger = Browser()
    body = {"email": f"x-{unique_email}", "password": PASSWORD, "name": "Eve", "workspace_name": "Eve Ltd"}
    assert stranger.call("POST", "/auth/signup", body).status == 201

    theirs = stranger.call("GET", f"/account/export/{asked['id']}")
    unknown = account.browser.call("GET", f"/account/export/exp_{uuid.uuid4().hex}")
    signed_out = Browser().call("GET", f"/account/export/{asked['id']}")

    assert (theirs.status, theirs.json()["error"]["code"]) == (404, "export_not_found")
    assert (unknown.status, unknown.json()["error"]["code"]) == (404, "export_not_found")
    assert signed_out.status == 401
    assert account.browser.call("GET", f"/account/export/{asked['id']}").json()["state"] == "pending"
    work(asked["id"])


def test_a_redelivered_message_changes_nothing(account: Account) -> None:
    asked = account.browser.call("POST", "/account/export").json()
    message = work(asked["id"])
    record = get_item({"pk": f"USER#{account.user_id}", "sk": f"EXPORT#{asked['id']}"})
    assert record is not None
    bucket = boto3.client("s3")
    stored = bucket.head_object(Bucket=_bucket(), Key=record["object_key"])

    answer = deliver(message)

    assert answer == {"batchItemFailures": []}
    assert get_item({"pk": f"USER#{account.user_id}", "sk": f"EXPORT#{asked['id']}"}) == record
    again = bucket.head_object(Bucket=_bucket(), Key=record["object_key"])
    assert (again["ETag"], again["LastModified"]) == (stored["ETag"], stored["LastModified"])


def test_one_export_at_a_time_asking_again_answers_the_one_under_way(account: Account) -> None:
    first = account.browser.call("POST", "/account/export")
    second = account.browser.call("POST", "/account/export")

    assert (first.status, second.status) == (202, 202)
    assert second.json()["id"] == first.json()["id"]
    work(first.json()["id"])
    third = account.browser.call("POST", "/account/export")
    assert third.status == 202 and third.json()["id"] != first.json()["id"]
    work(third.json()["id"])


def test_a_failure_is_retried_and_the_last_try_records_it_and_frees_the_way(
    account: Account, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from collectra.exports import storage

    def unavailable(*_: Any) -> None:
        raise ConnectionError("S3 is unavailable")

    asked = account.browser.call("POST", "/account/export").json()
    [plan] = [m for m in receive() if json.loads(m["Body"])["export_id"] == asked["id"]]
    deliver(plan)
    monkeypatch.setattr(storage, "upload", unavailable)
    [message] = [m for m in receive() if json.loads(m["Body"])["export_id"] == asked["id"]]

    retried = deliver(message, receive_count=1)
    during = account.browser.call("GET", f"/account/export/{asked['id']}").json()
    capsys.readouterr()
    given_up = deliver(message, receive_count=3)
    assert printed_metrics(capsys.readouterr().out)["Export_failed"] == [1]  # ExportFailedAlarm
    after = account.browser.call("GET", f"/account/export/{asked['id']}").json()

    assert retried["batchItemFailures"] == [{"itemIdentifier": message["MessageId"]}]
    assert during["state"] == "running" and during["download_url"] is None
    assert given_up == {"batchItemFailures": []}
    assert (after["state"], after["failure"], after["download_url"]) == ("failed", "error", None)
    monkeypatch.undo()
    fresh = account.browser.call("POST", "/account/export").json()
    assert fresh["id"] != asked["id"] and fresh["state"] == "pending"
    work(fresh["id"])


def test_an_export_no_worker_finished_shows_failed_after_an_hour_and_another_can_start(
    account: Account, clock: Clock
) -> None:
    stuck = account.browser.call("POST", "/account/export").json()  # its worker never gets to it
    clock.advance(hours=1, seconds=1)
    browser = account.new_browser()

    shown = browser.call("GET", f"/account/export/{stuck['id']}").json()
    fresh = browser.call("POST", "/account/export").json()

    assert (shown["state"], shown["failure"]) == ("failed", "stopped")
    assert fresh["id"] != stuck["id"] and fresh["state"] == "pending"
    work(fresh["id"])  # the stuck one's late message too: it finishes without taking the new one's slot
    assert browser.call("GET", f"/account/export/{fresh['id']}").json()["state"] == "ready"
    assert get_item({"pk": f"USER#{account.user_id}", "sk": "EXPORTING"}) is None


def test_an_archive_past_its_lifetime_is_shown_expired_without_a_link(account: Account, clock: Clock) -> None:
    ready = export_now(account.browser)
    clock.advance(days=7, seconds=1)

    later = account.new_browser().call("GET", f"/account/export/{ready['id']}").json()

    assert (later["state"], later["download_url"]) == ("expired", None)


def _bucket() -> str:

    return config.export_bucket()
