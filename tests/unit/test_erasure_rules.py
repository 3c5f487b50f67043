"""The erasure rules, item kind by item kind: what a deleted workspace keeps (anonymised, with a TTL),
what a departed member leaves behind, what an erased debtor leaves behind; and that each rule, applied to
its own result, changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from collectra.privacy.erasure import (
    DELETE,
    ERASED,
    ERASED_USER,
    KEEP,
    Kind,
    Retention,
    erased_debtor,
    in_debtor_erasure,
    in_member_erasure,
    in_workspace_deletion,
    kind_of,
    tombstone,
)

WS = "ws_01"
RETENTION = Retention(erased_at="2027-01-10T09:00:00Z", expires_at=2_000_000_000)
PERSONAL = ("Ottilie", "ottilie@example.org", "Rue des Lilas", "+33 6", "call her after 6pm")


def debt() -> dict[str, Any]:
    return {
        "pk": f"WS#{WS}",
        "sk": "DEBT#debt_1",
        "gsi1pk": f"WS#{WS}#DEBTS",
        "gsi1sk": "2027-01-01#debt_1",
        "gsi3pk": f"WS#{WS}#DEBTOR#dbt_1",
        "gsi5pk": "REMINDERS#3",
        "id": "debt_1",
        "workspace_id": WS,
        "debtor_id": "dbt_1",
        "invoice_number": "F-2026-0042",
        "description": "Kitchen for Ottilie, Rue des Lilas",
        "line_items": [{"description": "call her after 6pm", "amount": 100}],
        "amount": 12_500,
        "currency": "EUR",
        "issued_on": "2026-12-01",
        "due_on": "2027-01-01",
        "amount_paid": 2_500,
        "status": "partially_paid",
        "reminders_paused": False,
        "next_reminder_at": "2027-01-11T08:00:00Z",
        "created_at": "2026-12-01T10:00:00Z",
        "updated_at": "2026-12-02T10:00:00Z",
        "version": 4,
    }


def ledger_entry(method: str, reference: str) -> dict[str, Any]:
    return {
        "pk": f"WS#{WS}#DEBT#debt_1",
        "sk": "L#led_1",
        "id": "led_1",
        "kind": "payment",
        "amount": 2_500,
        "currency": "EUR",
        "method": method,
        "reference": reference,
        "received_on": "2026-12-02",
        "recorded_at": "2026-12-02T10:00:00Z",
        "recorded_by": {"kind": "user", "id": "usr_1"},
    }


def payment_attempt() -> dict[str, Any]:
    return {
        "pk": f"WS#{WS}#PAYMENT#pay_1",
        "sk": "PAYMENT",
        "gsi1pk": f"WS#{WS}#PAYMENTS",
        "gsi1sk": "2026-12-02T10:00:00Z#pay_1",
        "id": "pay_1",
        "workspace_id": WS,
        "debtor_id": "dbt_1",
        "shares": [
            {
                "debt_id": "debt_1",
                "invoice_number": "F-2026-0042",
                "planned": 10_000,
                "lines": {"principal": 9_000, "interest": 600, "compensation": 400},
                "note": "Ottilie",
            }
        ],
        "designation": "all",
        "quoted_on": "2026-12-02",
        "amount": 10_000,
        "currency": "EUR",
        "basket": "debt_1",
        "status": "succeeded",
        "paid": 10_000,
        "refunded": 0,
        "lost": 0,
        "booked": {"debt_1": 10_000},
        "payment_intent_id": "pi_123",
        "session_id": "cs_123",
        "session_url": "https://checkout.example/cs_123",
        "last_error": None,
        "created_at": "2026-12-02T10:00:00Z",
        "updated_at": "2026-12-02T10:05:00Z",
        "settled_at": "2026-12-02T10:05:00Z",
        "version": 3,
    }


def entry(kind: str, data: dict[str, Any], actor: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "pk": f"WS#{WS}#DEBT#debt_1",
        "sk": "T#evt_1",
        "id": "evt_1",
        "at": "2026-12-03T10:00:00Z",
        "type": kind,
        "actor": actor or {"kind": "debtor", "id": "dbt_1"},
        "data": data,
    }


def communication(debtor_id: str = "dbt_1") -> dict[str, Any]:
    """An email's record: the claim of its lead debt, with the email's fields."""
    return {
        "pk": f"WS#{WS}#DEBT#debt_1",
        "sk": "CLAIM#0001",
        "claimed_at": "2026-12-03T09:45:00Z",
        "expires_at": 1_830_000_000,
        "gsi1pk": f"WS#{WS}#COMMS",
        "gsi1sk": "2026-12-03T10:00:00Z#com_1",
        "id": "com_1",
        "kind": "reminder",
        "debtor_id": debtor_id,
        "debt_ids": ["debt_1"],
        "status": "sent",
        "events": {"delivered": "2026-12-03T10:01:00Z"},
        "to_email": "ottilie@example.org",
        "to_name": "Ottilie",
        "subject": "Invoice F-2026-0042 for Ottilie",
        "body": "Dear Ottilie, Rue des Lilas ...",
        "created_at": "2026-12-03T10:00:00Z",
    }


def holds_personal_data(item: dict[str, Any] | None) -> bool:
    return any(value.lower() in repr(item).lower() for value in PERSONAL)


# ---------------------------------------------------------------- kinds


@pytest.mark.parametrize(
    ("pk", "sk", "kind"),
    [
        (f"WS#{WS}", "WORKSPACE", Kind.WORKSPACE),
        (f"WS#{WS}", "MEMBER#usr_1", Kind.MEMBERSHIP),
        (f"WS#{WS}", "INVITE#someone@example.org", Kind.INVITATION),
        (f"WS#{WS}", "DEBTOR#dbt_1", Kind.DEBTOR),
        (f"WS#{WS}", "DEBT#debt_1", Kind.DEBT),
        (f"WS#{WS}", "INVOICE#F-1", Kind.INVOICE_CLAIM),
        (f"WS#{WS}", "EXTREF#C-1", Kind.REFERENCE_CLAIM),
        (f"WS#{WS}", "REMINDER-RUN", Kind.REMINDER_RUN),
        (f"WS#{WS}", "ERASURE#WORKSPACE", Kind.ERASURE_JOB),
        (f"WS#{WS}#DEBT#debt_1", "T#evt_1", Kind.TIMELINE_ENTRY),
        (f"WS#{WS}#DEBT#debt_1", "L#led_1", Kind.LEDGER_ENTRY),
        (f"WS#{WS}#DEBT#debt_1", "CLAIM#0001", Kind.REMINDER_CLAIM),
        (f"WS#{WS}#PAYMENT#pay_1", "PAYMENT", Kind.PAYMENT_ATTEMPT),
        (f"WS#{WS}", "PLAN#plan_1", Kind.PLAN),
        (f"WS#{WS}", "SOMETHING-NEW", Kind.OTHER),
    ],
)
def test_each_item_kind_is_told_by_its_sort_key(pk: str, sk: str, kind: Kind) -> None:
    assert kind_of({"pk": pk, "sk": sk}) is kind


def test_a_claim_that_became_an_emails_record_is_a_communication() -> None:
    assert kind_of(communication()) is Kind.COMMUNICATION


# ---------------------------------------------------------------- a workspace deleted


def test_a_debt_keeps_its_accounting_facts_anonymised_out_of_every_list_until_the_retention_ends() -> None:
    before = debt()
    decision = in_workspace_deletion(before, RETENTION)

    assert decision.action == "replace"
    kept = decision.item
    assert kept is not None
    assert {name: kept[name] for name in ("invoice_number", "amount", "currency", "issued_on", "due_on")} == {
        "invoice_number": "F-2026-0042",
        "amount": 12_500,
        "currency": "EUR",
        "issued_on": "2026-12-01",
        "due_on": "2027-01-01",
    }
    assert (kept["amount_paid"], kept["status"]) == (2_500, "partially_paid")
    assert kept["expires_at"] == RETENTION.expires_at
    assert not any(name.startswith("gsi") for name in kept)
    assert "debtor_id" not in kept and not holds_personal_data(kept)
    assert kept["version"] == before["version"] + 1  # a writer holding the old version cannot write it back


def test_a_card_payment_keeps_stripes_id_and_a_typed_reference_goes() -> None:
    card = in_workspace_deletion(ledger_entry("card", "pi_123"), RETENTION).item
    transfer = in_workspace_deletion(ledger_entry("bank_transfer", "From Ottilie, Rue des Lilas"), RETENTION).item

    assert card is not None and transfer is not None
    assert card["reference"] == "pi_123"
    assert "reference" not in transfer and not holds_personal_data(transfer)
    assert transfer["recorded_by"] == ERASED_USER
    assert (transfer["amount"], transfer["received_on"], transfer["expires_at"]) == (
        2_500,
        "2026-12-02",
        RETENTION.expires_at,
    )


def test_a_payment_attempt_keeps_amounts_stripe_ids_and_dates_only() -> None:
    kept = in_workspace_deletion(payment_attempt(), RETENTION).item

    assert kept is not None
    assert (kept["paid"], kept["payment_intent_id"], kept["session_id"], kept["settled_at"]) == (
        10_000,
        "pi_123",
        "cs_123",
        "2026-12-02T10:05:00Z",
    )
    assert kept["shares"] == [
        {
            "debt_id": "debt_1",
            "invoice_number": "F-2026-0042",
            "planned": 10_000,
            "lines": {"principal": 9_000, "interest": 600, "compensation": 400},
        }
    ]
    assert (kept["designation"], kept["quoted_on"]) == ("all", "2026-12-02")
    assert "debtor_id" not in kept and "gsi1pk" not in kept and "session_url" not in kept
    assert not holds_personal_data(kept)


@pytest.mark.parametrize(
    "item",
    [
        {"pk": f"WS#{WS}", "sk": "DEBTOR#dbt_1", "name": "Ottilie", "email": "ottilie@example.org"},
        {"pk": f"WS#{WS}", "sk": "MEMBER#usr_1", "user_id": "usr_1"},
        {"pk": f"WS#{WS}", "sk": "INVITE#ottilie@example.org", "email": "ottilie@example.org"},
        {"pk": f"WS#{WS}", "sk": "INVOICE#F-2026-0042", "debt_id": "debt_1"},
        {"pk": f"WS#{WS}", "sk": "EXTREF#C-1", "debtor_id": "dbt_1"},
        {"pk": f"WS#{WS}", "sk": "REMINDER-RUN", "ran_at": "2027-01-01T08:00:00Z"},
        {"pk": f"WS#{WS}", "sk": "ERASURE#DEBTOR#dbt_1", "kind": "debtor"},
        entry("debtor_message", {"kind": "question", "message": "call her after 6pm"}),
        {"pk": f"WS#{WS}#DEBT#debt_1", "sk": "CLAIM#0001", "status": "sent"},
        communication(),
        {"pk": f"WS#{WS}", "sk": "SOMETHING-NEW", "note": "Ottilie"},
        {"pk": f"WS#{WS}", "sk": "PLAN#plan_1", "debtor_id": "dbt_1", "reason": "call her after 6pm"},
    ],
    ids=lambda item: str(item["sk"]),
)
def test_what_has_no_accounting_value_is_deleted(item: dict[str, Any]) -> None:
    assert in_workspace_deletion(item, RETENTION) == DELETE


def test_the_workspace_and_its_deletion_job_stay_until_the_end_then_a_tombstone_replaces_the_workspace() -> None:
    workspace = {
        "pk": f"WS#{WS}",
        "sk": "WORKSPACE",
        "id": WS,
        "name": "Ottilie's bakery",
        "legal_name": "Ottilie SARL",
        "postal_address": {"line1": "Rue des Lilas"},
        "reply_to": "ottilie@example.org",
        "stripe_account_id": "acct_1",
        "status": "deleting",
        "created_at": "2020-01-01T00:00:00Z",
    }
    assert in_workspace_deletion(workspace, RETENTION) == KEEP
    assert in_workspace_deletion({"pk": f"WS#{WS}", "sk": "ERASURE#WORKSPACE"}, RETENTION) == KEEP

    left = tombstone(workspace, RETENTION, deleted_at="2027-01-10T09:05:00Z")

    assert left["status"] == "deleted" and left["expires_at"] == RETENTION.expires_at
    assert left["stripe_account_id"] == "acct_1"  # a late Stripe event is still checked against its account
    assert not holds_personal_data(left) and "Ottilie" not in repr(left)


@pytest.mark.parametrize("item", [debt(), ledger_entry("card", "pi_1"), payment_attempt()], ids=lambda i: i["sk"])
def test_a_workspace_rule_applied_to_its_own_result_changes_nothing(item: dict[str, Any]) -> None:
    once = in_workspace_deletion(item, RETENTION).item
    assert once is not None
    assert in_workspace_deletion(once, Retention("2027-02-01T00:00:00Z", 2_100_000_000)) == KEEP


# ---------------------------------------------------------------- a member gone


def test_a_departed_member_becomes_an_anonymous_actor_and_others_stay_named() -> None:
    theirs = entry("status_changed", {"from": "open", "to": "cancelled"}, {"kind": "user", "id": "usr_1"})
    someone_elses = entry("status_changed", {"from": "open", "to": "cancelled"}, {"kind": "user", "id": "usr_2"})
    their_payment = ledger_entry("cash", "R-1")

    replaced = in_member_erasure(theirs, "usr_1").item
    assert replaced is not None and replaced["actor"] == ERASED_USER and replaced["data"] == theirs["data"]
    assert in_member_erasure(someone_elses, "usr_1") == KEEP
    recorded = in_member_erasure(their_payment, "usr_1").item
    assert recorded is not None and recorded["recorded_by"] == ERASED_USER and recorded["reference"] == "R-1"
    assert in_member_erasure(recorded, "usr_1") == KEEP
    assert in_member_erasure({"pk": f"WS#{WS}", "sk": "MEMBER#usr_1", "user_id": "usr_1"}, "usr_1") == DELETE
    assert in_member_erasure({"pk": f"WS#{WS}", "sk": "MEMBER#usr_2", "user_id": "usr_2"}, "usr_1") == KEEP
    assert in_member_erasure(debt(), "usr_1") == KEEP


def test_a_member_gone_takes_their_sent_notices_and_leaves_the_others() -> None:
    theirs = {"pk": f"WS#{WS}", "sk": "NOTICE#usr_1#DIGEST#2027-01-15", "user_id": "usr_1"}
    someone_elses = {"pk": f"WS#{WS}", "sk": "NOTICE#usr_2#DIGEST#2027-01-15", "user_id": "usr_2"}

    assert kind_of(theirs) is Kind.MEMBER_NOTICE
    assert in_member_erasure(theirs, "usr_1") == DELETE
    assert in_member_erasure(someone_elses, "usr_1") == KEEP
    assert in_workspace_deletion(someone_elses, RETENTION) == DELETE


# ---------------------------------------------------------------- a debtor erased


def test_an_erased_debtor_keeps_no_name_address_link_or_suppression() -> None:
    debtor = {
        "pk": f"WS#{WS}",
        "sk": "DEBTOR#dbt_1",
        "gsi1pk": f"WS#{WS}#DEBTORS",
        "gsi1sk": "ottilie#dbt_1",
        "gsi2pk": f"WS#{WS}#DEBTOR-EMAILS",
        "gsi2sk": "ottilie@example.org#dbt_1",
        "id": "dbt_1",
        "workspace_id": WS,
        "name": "Ottilie",
        "email": "ottilie@example.org",
        "phone": "+33 6 00 00 00 00",
        "company": "Rue des Lilas SARL",
        "notes": "call her after 6pm",
        "external_ref": "C-1",
        "link_hash": "abc",
        "link_nonce": "def",
        "email_suppressed": "opted_out",
        "opted_out_at": "2026-12-01T00:00:00Z",
        "correction_pending": {"changes": {"name": {"from": "Ottilie", "to": "Ottilie B."}}},
        "locale": "fr",
        "time_zone": "Europe/Paris",
        "open_debts": 0,
        "version": 7,
        "created_at": "2026-01-01T00:00:00Z",
    }

    erased = erased_debtor(debtor, erased_at="2027-01-10T09:00:00Z")

    assert erased["name"] == "Erased debtor" and erased["erased"] is True and erased["version"] == 8
    assert not holds_personal_data(erased) and "C-1" not in repr(erased)
    for gone in ("link_hash", "email_suppressed", "opted_out_at", "gsi1pk", "gsi2sk", "correction_pending"):
        assert gone not in erased
    assert erased_debtor(erased, erased_at="2027-02-01T00:00:00Z") == erased


def test_what_the_debtor_wrote_and_their_corrections_values_are_blanked_and_the_facts_stay() -> None:
    message = entry(
        "debtor_message", {"kind": "promise", "message": "call her after 6pm", "promise_date": "2027-02-01"}
    )
    correction = entry(
        "debtor_corrected",
        {"debtor_id": "dbt_1", "changes": {"email": {"from": "ottilie@example.org", "to": "o@example.org"}}},
        {"kind": "user", "id": "usr_1"},
    )
    reminder = entry("reminder_sent", {"step": 0, "communication_id": "com_1"}, {"kind": "system", "id": "collectra"})

    blanked = in_debtor_erasure(message, "dbt_1").item
    assert blanked is not None
    assert blanked["data"] == {"kind": "promise", "message": ERASED, "promise_date": "2027-02-01"}
    corrected = in_debtor_erasure(correction, "dbt_1").item
    assert corrected is not None
    assert corrected["data"] == {"debtor_id": "dbt_1", "changes": {"email": {"from": ERASED, "to": ERASED}}}
    assert in_debtor_erasure(reminder, "dbt_1") == KEEP
    assert in_debtor_erasure(blanked, "dbt_1") == KEEP and in_debtor_erasure(corrected, "dbt_1") == KEEP


def test_a_debtors_communications_lose_address_subject_and_body_and_other_debtors_are_untouched() -> None:
    stripped = in_debtor_erasure(communication(), "dbt_1").item

    assert stripped is not None and not holds_personal_data(stripped)
    assert (stripped["status"], stripped["events"], stripped["gsi1pk"], stripped["claimed_at"]) == (
        "sent",
        {"delivered": "2026-12-03T10:01:00Z"},
        f"WS#{WS}#COMMS",
        "2026-12-03T09:45:00Z",
    )
    assert in_debtor_erasure(stripped, "dbt_1") == KEEP
    assert in_debtor_erasure(communication("dbt_2"), "dbt_1") == KEEP
    assert in_debtor_erasure({"pk": f"WS#{WS}", "sk": "EXTREF#C-1", "debtor_id": "dbt_1"}, "dbt_1") == DELETE
    assert in_debtor_erasure({"pk": f"WS#{WS}", "sk": "EXTREF#C-2", "debtor_id": "dbt_2"}, "dbt_1") == KEEP
    assert in_debtor_erasure(debt(), "dbt_1") == KEEP  # the business's accounting stays as it is


def test_late_payment_charges_paid_and_each_charges_line_stay_with_the_accounting_facts() -> None:
    charged = debt() | {"interest_paid": 312, "compensation_paid": 4_000}
    line = ledger_entry("bank_transfer", "From Ottilie") | {"charge": "interest", "amount": 312}

    kept_debt = in_workspace_deletion(charged, RETENTION).item
    kept_line = in_workspace_deletion(line, RETENTION).item

    assert kept_debt is not None and (kept_debt["interest_paid"], kept_debt["compensation_paid"]) == (312, 4_000)
    assert kept_line is not None and (kept_line["charge"], kept_line["amount"]) == ("interest", 312)


def test_a_departed_member_no_longer_names_the_charges_they_waived() -> None:
    at = "2027-01-05T10:00:00Z"
    waived = debt() | {
        "charges_waived": {
            "interest": {"at": at, "by": "usr_1", "note": "goodwill"},
            "compensation": {"at": at, "by": "usr_2", "note": None},
        }
    }

    replaced = in_member_erasure(waived, "usr_1").item

    assert replaced is not None
    assert replaced["charges_waived"] == {
        "interest": {"at": at, "by": ERASED_USER["id"], "note": "goodwill"},
        "compensation": {"at": at, "by": "usr_2", "note": None},
    }
    assert replaced["version"] == waived["version"] + 1  # a writer holding the old version cannot write it back
    assert in_member_erasure(replaced, "usr_1") == KEEP
    assert in_member_erasure(waived, "usr_3") == KEEP


def test_an_erased_debtors_payment_plans_go_and_other_debtors_plans_stay() -> None:
    mine = {"pk": f"WS#{WS}", "sk": "PLAN#plan_1", "debtor_id": "dbt_1", "status": "completed", "total": 30_000}
    theirs = {"pk": f"WS#{WS}", "sk": "PLAN#plan_2", "debtor_id": "dbt_2", "status": "active", "total": 10_000}
    assert in_debtor_erasure(mine, "dbt_1") == DELETE
    assert in_debtor_erasure(theirs, "dbt_1") == KEEP


def test_an_erased_debtor_keeps_no_open_plan() -> None:
    debtor = {"pk": f"WS#{WS}", "sk": "DEBTOR#dbt_1", "id": "dbt_1", "name": "Ottilie", "open_plan": "plan_1"}
    assert "open_plan" not in erased_debtor(debtor, erased_at="2027-01-10T09:00:00Z")
