"""The export's rules without AWS: what each stored item becomes, and the zip's two views of it."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from collectra.exports.archive import Manifest, PackedPart, Part, csv_cell, write_archive
from collectra.exports.entities import ENTITIES, records_of

WS = "WS#ws_1"


def test_storage_keys_index_attributes_and_secrets_are_left_out() -> None:
    debtor = {
        "pk": WS,
        "sk": "DEBTOR#dbt_1",
        "gsi1pk": f"{WS}#DEBTORS",
        "gsi1sk": "zola",
        "id": "dbt_1",
        "name": "Émile Zola",
        "link_hash": "ab" * 32,
        "link_nonce": "n" * 43,
        "checkouts": {"basket": {"url": "https://checkout.stripe.com/c/pay/cs_live"}},
    }
    user = {"pk": "USER#usr_1", "sk": "PROFILE", "id": "usr_1", "password_hash": "$argon2id$..."}
    session = {"pk": "USER#usr_1", "sk": "SESSION#ses_1", "session_id": "ses_1", "token_hash": "f" * 64}

    # A debtor recorded before debtors had a kind is exported as what it is: a business.
    assert records_of(debtor) == [("debtors", {"id": "dbt_1", "name": "Émile Zola", "kind": "business"})]
    assert records_of({**debtor, "kind": "consumer"})[0][1]["kind"] == "consumer"
    assert records_of(user) == [("user", {"id": "usr_1"})]
    assert records_of(session) == [("sessions", {"session_id": "ses_1"})]


def test_history_records_name_their_debt_and_a_page_message_is_also_a_message() -> None:
    entry = {
        "pk": f"{WS}#DEBT#dbt_9",
        "sk": "T#evt_1",
        "id": "evt_1",
        "at": "2026-11-27T10:00:00Z",
        "type": "debtor_message",
        "actor": {"kind": "debtor", "id": "dtr_1"},
        "data": {"kind": "question", "message": "May?"},
    }
    claim = {"pk": f"{WS}#DEBT#dbt_9", "sk": "CLAIM#0002", "status": "sent"}

    (timeline, record), (messages, message) = records_of(entry)
    assert (timeline, record["debt_id"], messages) == ("timeline", "dbt_9", "messages")
    assert (message["debt_id"], message["kind"], message["message"]) == ("dbt_9", "question", "May?")
    assert records_of(claim) == [("reminder_claims", {"debt_id": "dbt_9", "status": "sent", "step": 2})]


def test_an_opted_out_debtor_is_also_listed_among_consents_and_opt_outs() -> None:
    debtor = {"pk": WS, "sk": "DEBTOR#d", "id": "d", "email": "a@b.fr", "email_suppressed": "opted_out"}
    debtor["opted_out_at"] = "2026-11-01T00:00:00Z"

    [_, (entity, record)] = records_of(debtor)

    assert entity == "consents_and_opt_outs"
    assert record == {
        "debtor_id": "d",
        "email": "a@b.fr",
        "reminders_by_email": "stopped",
        "reason": "opted_out",
        "since": "2026-11-01T00:00:00Z",
    }


@pytest.mark.parametrize(
    "item",
    [
        {"pk": WS, "sk": "INVOICE#F-1", "debt_id": "dbt_1"},
        {"pk": WS, "sk": "EXTREF#C-1", "debtor_id": "dtr_1"},
        {"pk": "USER#u", "sk": "EXPORTING", "export_id": "exp_1"},
    ],
)
def test_items_that_only_index_others_or_keep_the_books_of_an_export_are_not_repeated(item: dict[str, str]) -> None:
    assert records_of(item) == []


def test_every_kind_of_item_lands_in_an_entity_of_the_archive() -> None:
    kinds: list[tuple[dict[str, Any], str]] = [
        ({"pk": WS, "sk": "WORKSPACE", "id": "ws_1"}, "workspace"),
        ({"pk": WS, "sk": "MEMBER#u", "user_id": "u"}, "members"),
        ({"pk": WS, "sk": "INVITE#a@b.fr", "id": "inv_1"}, "invitations"),
        ({"pk": WS, "sk": "DEBT#dbt_1", "id": "dbt_1"}, "debts"),
        ({"pk": WS, "sk": "REMINDER-RUN", "ran_at": "x"}, "reminder_runs"),
        ({"pk": f"{WS}#DEBT#dbt_1", "sk": "L#led_1", "id": "led_1"}, "ledger"),
        ({"pk": f"{WS}#PAYMENT#pay_1", "sk": "PAYMENT", "id": "pay_1"}, "payment_attempts"),
        ({"pk": f"{WS}#DEBT#dbt_1", "sk": "CLAIM#0000", "status": "queued"}, "reminder_claims"),
        ({"pk": "USER#u", "sk": "WORKSPACE#ws_1", "role": "owner"}, "memberships"),
        ({"pk": "USER#u", "sk": "EXPORT#exp_1", "id": "exp_1"}, "exports"),
        ({"pk": WS, "sk": "NOTICE#usr_1#DIGEST#2027-01-15", "notice": "DIGEST#2027-01-15"}, "member_notices"),
        ({"pk": WS, "sk": "SOMETHING-NEW", "x": 1}, "other"),
    ]
    for item, entity in kinds:
        assert records_of(item)[0][0] == entity, item


def test_the_claim_that_became_an_emails_record_is_exported_as_the_claim_and_as_the_email() -> None:
    record = {"pk": f"{WS}#DEBT#dbt_1", "sk": "CLAIM#0002", "status": "sent", "claimed_at": "t0", "expires_at": 9}
    record |= {"gsi1pk": f"{WS}#COMMS", "id": "com_1", "debt_ids": ["dbt_1"], "created_at": "t1"}

    (claim_entity, claim), (email_entity, email) = records_of(record)

    assert (claim_entity, claim) == (
        "reminder_claims",
        {"debt_id": "dbt_1", "step": 2, "status": "sent", "claimed_at": "t0", "expires_at": 9},
    )
    assert (email_entity, email) == (
        "communications",
        {"status": "sent", "id": "com_1", "debt_ids": ["dbt_1"], "created_at": "t1"},
    )


def test_a_spreadsheet_never_runs_a_cell_as_a_formula_and_nested_values_are_json() -> None:
    assert csv_cell('=HYPERLINK("http://evil")') == '\'=HYPERLINK("http://evil")'
    assert [csv_cell(v) for v in ("+1", "-2", "@x", "plain")] == ["'+1", "'-2", "'@x", "plain"]
    assert [csv_cell(v) for v in (None, True, -1250, {"a": [1]})] == ["", "true", "-1250", '{"a":[1]}']


def packed(directory: Path, name: str, records: list[tuple[str, dict[str, Any]]]) -> PackedPart:
    """One piece's records packed on disk, read back as the archive reads a part from the bucket."""
    spools = directory / name
    spools.mkdir()
    with Part(spools) as part:
        for entity, record in records:
            part.add(entity, record)
        manifest: Manifest = part.pack(directory / f"{name}.gz")

    def open_range(at: int, size: int) -> io.BytesIO:
        return io.BytesIO((directory / f"{name}.gz").read_bytes()[at : at + size])

    return PackedPart(manifest, open_range)


def test_the_zip_holds_every_entity_in_json_and_a_csv_per_entity_with_records(tmp_path: Path) -> None:
    part = packed(
        tmp_path,
        "p0",
        [
            ("debts", {"id": "dbt_1", "amount": 100, "tags": ["a"]}),
            ("timeline", {"debt_id": "dbt_1", "id": "evt_1", "data": {"note": "=1+1"}}),
            ("debts", {"id": "dbt_2", "amount": 200, "description": "Chaudière"}),
        ],
    )
    write_archive(tmp_path / "out.zip", {"export_id": "exp_1"}, ENTITIES, [part])

    with zipfile.ZipFile(tmp_path / "out.zip") as done:
        exported = json.loads(done.read("export.json"))
        rows = list(csv.reader(io.TextIOWrapper(done.open("csv/debts.csv"), encoding="utf-8", newline="")))
        names = sorted(done.namelist())

    assert exported["format"] == "collectra-export" and exported["about"]["counts"] == {"debts": 2, "timeline": 1}
    assert [key for key in exported if key not in ("format", "version", "about")] == list(ENTITIES)
    assert exported["debts"][1] == {"id": "dbt_2", "amount": 200, "description": "Chaudière"}
    assert exported["members"] == []
    assert names == ["csv/debts.csv", "csv/timeline.csv", "export.json"]
    assert rows == [
        ["id", "amount", "tags", "description"],
        ["dbt_1", "100", '["a"]', ""],
        ["dbt_2", "200", "", "Chaudière"],
    ]


def test_an_archive_of_several_parts_is_the_archive_of_their_records_read_in_one(tmp_path: Path) -> None:
    records: list[tuple[str, dict[str, Any]]] = [
        ("debts", {"id": "dbt_1", "amount": 100}),
        ("timeline", {"debt_id": "dbt_1", "id": "evt_1"}),
        ("debtors", {"id": "dtr_1", "name": "Zola"}),
        ("debts", {"id": "dbt_2", "amount": 200, "description": "Chaudière"}),
        ("timeline", {"debt_id": "dbt_2", "id": "evt_2", "data": {"k": 1}}),
        ("debts", {"id": "dbt_3", "note": "+33"}),
    ]
    whole = packed(tmp_path, "whole", records)
    parts = [
        packed(tmp_path, "a", records[:2]),
        packed(tmp_path, "b", records[2:3]),
        packed(tmp_path, "c", records[3:]),
    ]

    write_archive(tmp_path / "one.zip", {"export_id": "exp_1"}, ENTITIES, [whole])
    counts = write_archive(tmp_path / "many.zip", {"export_id": "exp_1"}, ENTITIES, parts)

    assert counts == {"debts": 3, "timeline": 2, "debtors": 1}
    assert (tmp_path / "many.zip").read_bytes() == (tmp_path / "one.zip").read_bytes()


def test_an_unknown_entity_is_refused(tmp_path: Path) -> None:
    with Part(tmp_path) as part, pytest.raises(ValueError, match="entity"):
        part.add("secrets", {"id": "x"})
