"""Late-payment charges as money (issue 17): manual payments split over principal and charges in the workspace's
allocation order, a ledger line each; disputes hold interest; waivers; races between them. Through HTTP events."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

import pytest

from collectra.debts.service import ledger_sum
from collectra.interest import Charges, charges_of, terms_of
from collectra.store import keys
from local.stripe import StripeStandIn
from tests.conftest import STRIPE_WEBHOOK_SECRET, Account, new_debt
from tests.integration import test_debtor_page_charges as page
from tests.integration.test_debtor_page_charges import (
    AMOUNT,
    DAYS,
    INTEREST,
    RATE,
    UK_COMPENSATION,
    UK_EVERYTHING,
    local_today,
    press_pay,
    stored,
)
from tests.integration.test_payments import _charge_of
from tests.support.http import Browser
from tests.support.ledger import ledger_of, lines_booked
from tests.support.meanwhile import meanwhile
from tests.support.stripe_events import deliver
from tests.support.stripe_standin import Outbox, control, press
from tests.support.world import all_items, existing_item

# Within the half-years the reference rates are known for: a payment received months after the due date, so
# interest has run and the compensation is due.
RECEIVED_ON = "2026-03-02"
DUE_ON = "2025-10-31"
# The page's Stripe-connected workspace claiming UK charges, whose page pays the invoice amount or everything.
charged, outbox = page.charged, page.outbox


def claim_charges(business: Browser, allocation: str, jurisdiction: str = "DE") -> None:
    """The business (signed in) claims late-payment charges, paid in `allocation` order."""
    late_payment = {
        "enabled": True,
        "jurisdiction": jurisdiction,
        "claim_interest": True,
        "claim_compensation": True,
        "contractual_rate": None,
        "grace_days": 0,
        "pause_while_disputed": True,
        "allocation": allocation,
    }
    answer = business.call("PATCH", "/workspace", {"late_payment": late_payment})
    assert answer.status == 200, answer.body


def stored_debt(account: Account, debt_id: str) -> dict[str, Any]:
    return existing_item(keys.debt(account.workspace_id, debt_id))


def charges_on(account: Account, debt_id: str, day: str = RECEIVED_ON) -> Charges:
    """What the law says is due on the debt as stored, on `day` (`collectra.interest`: its own tests prove it)."""
    workspace = existing_item(keys.workspace(account.workspace_id))
    debt = stored_debt(account, debt_id)
    debtor = existing_item(keys.debtor(account.workspace_id, debt["debtor_id"]))
    return charges_of(debt, terms_of(workspace, debtor), as_of=date.fromisoformat(day))


def pay(account: Account, debt_id: str, amount: int, **fields: Any) -> Any:
    return account.browser.call(
        "POST", f"/debts/{debt_id}/payments", {"amount": amount, "received_on": RECEIVED_ON} | fields
    )


def timeline(account: Account, debt_id: str) -> list[dict[str, Any]]:
    return list(account.browser.call("GET", f"/debts/{debt_id}/timeline").json()["items"])


@pytest.fixture
def overdue(account: Account, debtor: dict[str, Any]) -> dict[str, Any]:
    """A debt of 125.00 EUR due months ago, of a business debtor."""
    return new_debt(account, debtor["id"], issued_on="2025-10-01", due_on=DUE_ON)


def test_statutory_order_pays_compensation_then_interest_then_principal(
    account: Account, overdue: dict[str, Any]
) -> None:
    claim_charges(account.browser, "statutory")
    due = charges_on(account, overdue["id"])
    assert due.compensation_due > 0 and due.interest_due > 1

    # A partial payment: all of the compensation, part of the interest, nothing of the principal.
    first = due.compensation_due + due.interest_due // 2
    answer = pay(account, overdue["id"], first)
    assert answer.status == 201, answer.body
    assert (answer.json()["amount_paid"], answer.json()["status"]) == (0, "open")
    assert answer.json()["charges"]["compensation"]["paid"] == due.compensation_due
    assert lines_booked(account.workspace_id, overdue["id"]) == {
        "compensation": due.compensation_due,
        "interest": due.interest_due // 2,
    }
    # The rest of the interest, then principal.
    rest = due.interest_due - due.interest_due // 2
    assert pay(account, overdue["id"], rest + 5_000).status == 201

    debt = stored_debt(account, overdue["id"])
    assert (debt["compensation_paid"], debt["interest_paid"], debt["amount_paid"]) == (
        due.compensation_due,
        due.interest_due,
        5_000,
    )
    assert debt["principal_moves"] == [[RECEIVED_ON, 5_000]]
    assert debt["status"] == "partially_paid"
    assert ledger_sum(account.workspace_id, overdue["id"]) == 5_000  # principal only: charges are their own lines
    recorded = [entry["data"] for entry in timeline(account, overdue["id"]) if entry["type"] == "payment_recorded"]
    assert recorded[0]["lines"] == {
        "principal": 0,
        "interest": due.interest_due // 2,
        "compensation": due.compensation_due,
    }
    assert recorded[1]["lines"] == {"principal": 5_000, "interest": rest, "compensation": 0}


def test_principal_first_fills_principal_before_the_charges(account: Account, overdue: dict[str, Any]) -> None:
    claim_charges(account.browser, "principal_first")
    due = charges_on(account, overdue["id"])

    answer = pay(account, overdue["id"], 12_500 + 100)

    assert answer.status == 201, answer.body
    assert (answer.json()["amount_paid"], answer.json()["status"]) == (12_500, "paid")
    assert lines_booked(account.workspace_id, overdue["id"]) == {None: 12_500, "interest": 100}
    assert [entry["amount"] for entry in ledger_of(account.workspace_id, overdue["id"]) if "charge" not in entry] == [
        12_500
    ]
    debt = stored_debt(account, overdue["id"])
    assert (debt["interest_paid"], debt.get("compensation_paid", 0)) == (100, 0)
    assert debt["principal_moves"] == [[RECEIVED_ON, 12_500]]
    assert due.total_due > 12_600  # the rest of the charges stays due on a debt whose principal is paid


def test_more_than_principal_and_charges_due_is_refused_naming_the_total(
    account: Account, overdue: dict[str, Any]
) -> None:
    claim_charges(account.browser, "principal_first")
    total = charges_on(account, overdue["id"]).total_due
    before = all_items()

    answer = pay(account, overdue["id"], total + 1)

    assert answer.status == 422
    assert answer.json()["error"]["code"] == "overpayment"
    assert str(total) in answer.json()["error"]["message"]
    assert all_items() == before
    assert pay(account, overdue["id"], total).status == 201  # exactly everything due is taken


def test_a_workspace_that_claims_nothing_books_every_payment_to_principal(
    account: Account, overdue: dict[str, Any]
) -> None:
    assert pay(account, overdue["id"], 12_500).status == 201
    assert lines_booked(account.workspace_id, overdue["id"]) == {None: 12_500}
    assert pay(account, new_debt(account, overdue["debtor_id"])["id"], 12_501).status == 422


@pytest.mark.parametrize("ending", ["reopen", "cancel", "write-off"])
def test_a_dispute_holds_interest_from_the_day_it_opens_to_the_day_it_ends(
    account: Account, overdue: dict[str, Any], ending: str
) -> None:
    today = date.today().isoformat()  # the workspace's zone is UTC
    assert account.browser.call("POST", f"/debts/{overdue['id']}/dispute").status == 200
    assert stored_debt(account, overdue["id"])["interest_pauses"] == [[today, None]]

    assert account.browser.call("POST", f"/debts/{overdue['id']}/{ending}").status == 200
    assert stored_debt(account, overdue["id"])["interest_pauses"] == [[today, today]]


# ---------------------------------------------------------------- waiving


def waive(account: Account, debt_id: str, body: Any) -> Any:
    return account.browser.call("POST", f"/debts/{debt_id}/waiver", body)


def test_a_waiver_gives_up_a_charge_once_and_what_was_paid_stays_paid(
    account: Account, overdue: dict[str, Any]
) -> None:
    claim_charges(account.browser, "statutory")
    due = charges_on(account, overdue["id"])
    assert pay(account, overdue["id"], due.compensation_due).status == 201

    answer = waive(account, overdue["id"], {"interest": False, "compensation": True, "note": "good customer"})
    again = waive(account, overdue["id"], {"interest": False, "compensation": True})

    assert answer.status == 200, answer.body
    shown = answer.json()["charges"]["compensation"]
    assert (shown["waived"], shown["paid"], shown["due"]) == (True, due.compensation_due, 0)
    nothing = waive(account, overdue["id"], {"interest": False, "compensation": False})
    assert again.status == nothing.status == 200
    assert again.json()["version"] == nothing.json()["version"] == answer.json()["version"]
    debt = stored_debt(account, overdue["id"])
    assert set(debt["charges_waived"]) == {"compensation"}
    assert debt["charges_waived"]["compensation"]["note"] == "good customer"
    assert debt["charges_waived"]["compensation"]["by"] == account.user_id
    assert debt["compensation_paid"] == due.compensation_due
    after = charges_on(account, overdue["id"])
    assert (after.compensation_due, after.compensation_waived) == (0, True)
    assert [entry["type"] for entry in timeline(account, overdue["id"])].count("charges_waived") == 1


def test_a_debt_no_longer_owed_has_nothing_to_waive(account: Account, overdue: dict[str, Any]) -> None:
    claim_charges(account.browser, "principal_first")
    assert account.browser.call("POST", f"/debts/{overdue['id']}/cancel").status == 200
    before = all_items()
    answer = waive(account, overdue["id"], {"interest": True, "compensation": True})
    assert answer.status == 409
    assert all_items() == before


def test_charges_left_on_a_debt_whose_invoice_amount_is_paid_can_be_recorded_or_waived(
    account: Account, overdue: dict[str, Any]
) -> None:
    claim_charges(account.browser, "principal_first")
    assert pay(account, overdue["id"], 12_500).status == 201  # the invoice amount only
    left = charges_on(account, overdue["id"])
    assert left.principal_outstanding == 0 and left.interest_due > 0 and left.compensation_due > 0

    too_much = pay(account, overdue["id"], left.total_due + 1)
    interest = pay(account, overdue["id"], left.interest_due)
    waived = waive(account, overdue["id"], {"interest": False, "compensation": True})

    assert too_much.status == 422 and too_much.json()["error"]["code"] == "overpayment"
    assert interest.status == 201, interest.body
    assert (interest.json()["status"], interest.json()["amount_paid"]) == ("paid", 12_500)
    assert lines_booked(account.workspace_id, overdue["id"]) == {None: 12_500, "interest": left.interest_due}
    assert waived.status == 200, waived.body
    assert waived.json()["charges"]["total_due"] == 0
    assert pay(account, overdue["id"], 1).status == 422  # nothing is owed any more: more than that is refused


@pytest.mark.parametrize(
    "body",
    [
        {"interest": "sometimes", "compensation": True},
        {"compensation": True},
        {"interest": True, "compensation": True, "forgive": True},
        {"interest": True, "compensation": True, "note": "x" * 1_001},
    ],
)
def test_a_waiver_that_makes_no_sense_is_refused_and_changes_nothing(
    account: Account, overdue: dict[str, Any], body: dict[str, Any]
) -> None:
    before = all_items()
    assert waive(account, overdue["id"], body).status == 422
    assert all_items() == before


def test_a_waiver_on_a_version_read_before_a_change_is_refused(account: Account, overdue: dict[str, Any]) -> None:
    assert pay(account, overdue["id"], 100).status == 201
    answer = waive(account, overdue["id"], {"interest": True, "compensation": False, "version": overdue["version"]})
    assert answer.status == 409 and answer.json()["error"]["code"] == "version_conflict"
    assert "charges_waived" not in stored_debt(account, overdue["id"])


# ---------------------------------------------------------------- races


def test_a_manual_payment_sent_twice_at_once_is_booked_once(account: Account, overdue: dict[str, Any]) -> None:
    claim_charges(account.browser, "statutory")
    due = charges_on(account, overdue["id"])
    half = due.interest_due // 2
    amount = due.compensation_due + half

    with meanwhile("RecordPaymentFunction", "TransactWriteItems", lambda: pay(account, overdue["id"], amount)) as other:
        first = pay(account, overdue["id"], amount)

    assert other.answer.status == 201
    assert first.status == 409 and first.json()["error"]["code"] == "version_conflict"
    assert lines_booked(account.workspace_id, overdue["id"]) == {"compensation": due.compensation_due, "interest": half}
    debt = stored_debt(account, overdue["id"])
    assert (debt["compensation_paid"], debt["interest_paid"], debt["amount_paid"]) == (due.compensation_due, half, 0)


@pytest.mark.parametrize("slow", ["waiver", "payment"])
def test_a_waiver_racing_a_payment_never_loses_either(account: Account, overdue: dict[str, Any], slow: str) -> None:
    """The `slow` one reads the debt, then the other lands whole before it writes: it is refused, never lost."""
    claim_charges(account.browser, "principal_first")
    calls: dict[str, Callable[[], Any]] = {
        "waiver": lambda: waive(account, overdue["id"], {"interest": True, "compensation": True}),
        "payment": lambda: pay(account, overdue["id"], 12_500 + 200),
    }
    [quick] = [name for name in calls if name != slow]
    function = {"waiver": "WaiveChargesFunction", "payment": "RecordPaymentFunction"}[slow]

    with meanwhile(function, "TransactWriteItems", calls[quick]) as other:
        late = calls[slow]()

    assert other.answer.status in (200, 201)
    assert late.status == 409 and late.json()["error"]["code"] == "version_conflict"
    debt = stored_debt(account, overdue["id"])
    if quick == "payment":
        assert debt["amount_paid"] == 12_500 and "charges_waived" not in debt
        assert sum(lines_booked(account.workspace_id, overdue["id"]).values()) == 12_700
    else:
        assert set(debt["charges_waived"]) == {"interest", "compensation"} and debt["amount_paid"] == 0


# ---------------------------------------------------------------- through Stripe


def test_a_full_refund_of_an_everything_payment_reopens_the_debt_and_interest_runs_again(
    account: Account, charged: dict[str, Any], stripe_api: StripeStandIn, outbox: Outbox
) -> None:
    debt_id = charged["debt"]["id"]
    press(press_pay(charged["token"], debt_id=debt_id, designation="all"), "pay")
    [completed] = outbox.new()
    assert deliver(completed, STRIPE_WEBHOOK_SECRET).json()["result"] == "applied"
    assert stored(account, debt_id)["status"] == "paid"
    charge = _charge_of(stripe_api, charged["account_id"], completed)

    control(stripe_api.url, f"charges/{charge}/refund", {"amount": UK_EVERYTHING})
    outbox.deliver_new()

    debt = stored(account, debt_id)
    today = local_today().isoformat()
    assert (debt["status"], debt["amount_paid"], debt["interest_paid"], debt["compensation_paid"]) == ("open", 0, 0, 0)
    assert debt["principal_moves"] == [[today, AMOUNT], [today, -AMOUNT]]
    assert lines_booked(account.workspace_id, debt_id) == {None: 0, "interest": 0, "compensation": 0}
    refunded = [entry["data"] for entry in timeline(account, debt_id) if entry["type"] == "payment_refund"]
    assert refunded[0]["lines"] == {"principal": AMOUNT, "interest": INTEREST, "compensation": UK_COMPENSATION}
    # Interest runs again on the whole principal, from the day after the refund; all of it and the compensation due.
    later = charges_on(account, debt_id, (local_today() + timedelta(days=10)).isoformat())
    assert later.interest_accrued == int(Fraction(AMOUNT * RATE * (DAYS + 10), 100 * 365) + Fraction(1, 2))
    assert (later.interest_due, later.compensation_due) == (later.interest_accrued, UK_COMPENSATION)
    assert later.total_due == AMOUNT + later.interest_accrued + UK_COMPENSATION
