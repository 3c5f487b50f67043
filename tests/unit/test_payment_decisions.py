"""What a Stripe event decides for a payment attempt and its debts: pure rules, no table, no Stripe."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime
from typing import Any, cast

from hypothesis import given
from hypothesis import strategies as st

from collectra.debts.charging import Charging, charging_of, principal_only
from collectra.debts.charging import booked as money_fields
from collectra.interest import Lines, charges_of
from collectra.payments.booking import Facts
from collectra.payments.decision import Change, DebtMove, Decision, decide, meaning

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
PRINCIPAL = principal_only(NOW.date())  # a workspace that claims no late-payment charges


def an_attempt(**fields: Any) -> dict[str, Any]:
    return {
        "id": "pay_1",
        "debtor_id": "dbt_1",
        "shares": [{"debt_id": "a", "planned": 3_000}, {"debt_id": "b", "planned": 2_000}],
        "currency": "EUR",
        "status": "open",
        "paid": 0,
        "refunded": 0,
        "lost": 0,
        "booked": {},
        "version": 1,
    } | fields


def the_debts(paid_a: int = 0, paid_b: int = 0, **fields: Any) -> dict[str, dict[str, Any]]:
    return {
        "a": {"id": "a", "amount": 3_000, "amount_paid": paid_a} | fields,
        "b": {"id": "b", "amount": 2_000, "amount_paid": paid_b} | fields,
    }


def decided(attempt: dict[str, Any], debts: dict[str, dict[str, Any]], change: Change, **options: Any) -> Decision:
    decision = decide(
        attempt, debts, change, refund_overpayments=options.get("refund", True), charging=PRINCIPAL, now=NOW
    )
    assert decision is not None
    return decision


def paid(amount: int = 5_000) -> Change:
    return Change(status="succeeded", facts=Facts(paid=amount), payment_intent_id="pi_1")


def test_a_payment_books_each_debts_share_and_settles_the_attempt() -> None:
    decision = decided(an_attempt(), the_debts(), paid())
    assert [(move.debt_id, move.amount, move.ledger_kind) for move in decision.debts] == [
        ("a", 3_000, "payment"),
        ("b", 2_000, "payment"),
    ]
    assert decision.attempt["status"] == "succeeded" and decision.attempt["settled_at"] == "2026-12-03T09:00:00Z"
    assert decision.attempt["booked"] == {"a": 3_000, "b": 2_000}
    assert decision.attempt["version"] == 2
    assert decision.settled_now and decision.records_payment_intent
    assert "overpayment_refund" not in decision.attempt


def test_the_same_facts_again_change_nothing() -> None:
    once = decided(an_attempt(), the_debts(), paid())
    assert (
        decide(once.attempt, the_debts(3_000, 2_000), paid(), refund_overpayments=True, charging=PRINCIPAL, now=NOW)
        is None
    )


def test_a_late_processing_event_never_moves_a_succeeded_attempt_back() -> None:
    settled = decided(an_attempt(), the_debts(), paid()).attempt
    late = Change(status="processing", payment_intent_id="pi_1")
    assert decide(settled, the_debts(3_000, 2_000), late, refund_overpayments=True, charging=PRINCIPAL, now=NOW) is None


def test_a_delayed_payment_holds_reminders_off_until_it_lands() -> None:
    processing = decided(an_attempt(), the_debts(), Change(status="processing", payment_intent_id="pi_1"))
    assert [move.fields for move in processing.debts] == [{"payment_processing": "pay_1"}] * 2
    assert all(move.amount == 0 for move in processing.debts) and not processing.settled_now

    landed = decided(processing.attempt, the_debts(payment_processing="pay_1"), paid())
    assert [move.fields for move in landed.debts] == [{"payment_processing": None}] * 2
    assert landed.settled_now and not landed.records_payment_intent  # known since the processing event


def test_a_refund_takes_back_from_the_last_debt_first() -> None:
    settled = decided(an_attempt(), the_debts(), paid()).attempt
    refund = Change(facts=Facts(refunded=2_500), notes=[("card_refund", {"refunded": 2_500})])
    decision = decided(settled, the_debts(3_000, 2_000), refund)
    assert [(move.debt_id, move.amount, move.ledger_kind) for move in decision.debts] == [
        ("a", -500, "refund"),
        ("b", -2_000, "refund"),
    ]
    assert decision.notes == [("card_refund", {"refunded": 2_500})]


def test_a_lost_dispute_is_a_chargeback() -> None:
    settled = decided(an_attempt(), the_debts(), paid()).attempt
    decision = decided(settled, the_debts(3_000, 2_000), Change(dispute_status="lost", facts=Facts(lost=5_000)))
    assert {move.ledger_kind for move in decision.debts} == {"chargeback"}
    assert decision.attempt["dispute_status"] == "lost" and decision.attempt["booked"] == {"a": 0, "b": 0}


def test_money_beyond_what_the_debts_owe_is_due_back_once_when_the_workspace_refunds_overpayments() -> None:
    """Debt "b" was paid by hand meanwhile: the card payment's 2,000 for it is an overpayment."""
    decision = decided(an_attempt(), the_debts(paid_b=2_000), paid())
    assert decision.attempt["overpayment_refund"] == {"amount": 2_000, "status": "due"}
    kept = decided(an_attempt(), the_debts(paid_b=2_000), paid(), refund=False)
    assert "overpayment_refund" not in kept.attempt
    already = decided(an_attempt(overpayment_refund={"amount": 1, "status": "sent"}), the_debts(paid_b=2_000), paid())
    assert already.attempt["overpayment_refund"] == {"amount": 1, "status": "sent"}


def test_refunding_an_overpayment_is_booked_as_such() -> None:
    decision = decided(an_attempt(), the_debts(paid_b=2_000), paid())
    debts = the_debts(3_000, 4_000)
    back = decided(decision.attempt, debts, Change(facts=Facts(refunded=2_000)))
    assert [(move.debt_id, move.amount, move.ledger_kind) for move in back.debts] == [
        ("a", 0, None),
        ("b", -2_000, "overpayment_refunded"),
    ]


def test_a_debt_that_is_gone_is_left_out() -> None:
    decision = decided(an_attempt(), {"a": the_debts()["a"]}, paid())
    assert [move.debt_id for move in decision.debts] == ["a"]


EVENTS = [
    paid(),
    Change(facts=Facts(refunded=1_000)),
    Change(dispute_status="needs_response"),
    Change(dispute_status="lost", facts=Facts(lost=2_500)),
    Change(status="expired"),
]


@given(st.permutations(EVENTS), st.integers(min_value=1, max_value=3))
def test_any_order_and_any_redelivery_end_in_the_same_attempt(order: list[Change], repeats: int) -> None:
    final = apply_all(list(itertools.chain.from_iterable([change] * repeats for change in order)))
    assert final == apply_all(EVENTS)


def apply_all(changes: list[Change]) -> tuple[str, Facts, dict[str, int], str | None]:
    attempt, debts = an_attempt(), the_debts()
    for change in changes:
        decision = decide(attempt, debts, change, refund_overpayments=True, charging=PRINCIPAL, now=NOW)
        if decision is None:
            continue
        attempt = decision.attempt
        for move in decision.debts:
            debts[move.debt_id] = debts[move.debt_id] | {
                "amount_paid": debts[move.debt_id]["amount_paid"] + move.amount
            }
    facts = Facts(attempt["paid"], attempt["refunded"], attempt["lost"])
    booked = {debt_id: amount for debt_id, amount in attempt["booked"].items() if amount}  # 0 booked is none
    return attempt["status"], facts, booked, attempt.get("dispute_status")


def test_each_event_type_reads_as_what_it_says_about_the_attempt() -> None:
    completed = meaning("checkout.session.completed")
    assert completed is not None
    assert completed({"payment_status": "unpaid", "amount_total": 500, "currency": "eur"}).status == "processing"
    assert completed({"payment_status": "paid", "amount_total": 500, "currency": "isk", "payment_intent": "pi"}) == (
        Change(status="succeeded", facts=Facts(paid=5), payment_intent_id="pi")
    )
    closed = meaning("charge.dispute.closed")
    assert closed is not None
    assert closed({"status": "won", "amount": 700, "currency": "eur"}).facts == Facts()
    assert meaning("customer.created") is None


def intent(status: str, *, channel: str | None = None, **fields: Any) -> dict[str, Any]:
    metadata = {"attempt_id": "pay_1"} | ({"channel": channel} if channel else {})
    return (
        {"id": "pi_1", "object": "payment_intent", "status": status, "amount": 5_000, "currency": "eur"}
        | {"metadata": metadata}
        | fields
    )


def read(kind: str, obj: dict[str, Any]) -> Change:
    reader = meaning(kind)
    assert reader is not None
    return reader(obj)


def test_a_payment_intents_own_events_settle_an_off_session_attempt_once() -> None:
    succeeded = read("payment_intent.succeeded", intent("succeeded", channel="off_session", amount_received=5_000))
    assert succeeded == Change(status="succeeded", facts=Facts(paid=5_000), payment_intent_id="pi_1")
    attempt = an_attempt(status="creating", channel="off_session")

    settled = decided(attempt, the_debts(), succeeded)

    assert settled.settled_now and [move.amount for move in settled.debts] == [3_000, 2_000]
    assert (
        decide(
            settled.attempt, the_debts(3_000, 2_000), succeeded, refund_overpayments=True, charging=PRINCIPAL, now=NOW
        )
        is None
    )


def test_a_checkout_payments_intent_events_change_nothing_its_session_said() -> None:
    completed = read(
        "checkout.session.completed",
        {"payment_status": "unpaid", "amount_total": 5_000, "currency": "eur", "payment_intent": "pi_1"},
    )
    processing = read("payment_intent.processing", intent("processing"))
    first = decided(an_attempt(), the_debts(), completed)
    # Whichever says "processing" first writes the note; the other changes nothing.
    assert first.notes == [("payment_processing", {"amount": 5_000})]
    assert decide(first.attempt, the_debts(), processing, refund_overpayments=True, charging=PRINCIPAL, now=NOW) is None
    other_first = decided(an_attempt(), the_debts(), processing)
    assert other_first.notes == [("payment_processing", {"amount": 5_000})]
    assert (
        decide(other_first.attempt, the_debts(), completed, refund_overpayments=True, charging=PRINCIPAL, now=NOW)
        is None
    )
    # The money: the session's amount and the intent's are the same fact, booked once.
    paid_session = paid()
    landed = decided(other_first.attempt, the_debts(), paid_session)
    again = read("payment_intent.succeeded", intent("succeeded", amount_received=5_000))
    assert (
        decide(landed.attempt, the_debts(3_000, 2_000), again, refund_overpayments=True, charging=PRINCIPAL, now=NOW)
        is None
    )


def test_an_off_session_failure_fails_its_attempt_and_leaves_the_inbox_to_the_plan() -> None:
    error = {"code": "card_declined", "decline_code": "insufficient_funds"}
    failed = read(
        "payment_intent.payment_failed",
        intent("requires_payment_method", channel="off_session", last_payment_error=error),
    )
    assert (failed.status, failed.error) == ("failed", "insufficient_funds")

    decision = decided(an_attempt(status="creating", channel="off_session"), the_debts(), failed)

    assert decision.attempt["status"] == "failed" and decision.needs_a_person is None
    # On Checkout the session stays open for another card: the attempt stays as it was, the business is told.
    on_checkout = read("payment_intent.payment_failed", intent("requires_payment_method", last_payment_error=error))
    assert on_checkout.status is None
    assert decided(an_attempt(), the_debts(), on_checkout).needs_a_person == "payment_failed"


# ---------------------------------------------------------------- late-payment charges (issue 17)

LATE_PAYMENT = {"enabled": True, "jurisdiction": "DE", "claim_interest": True, "claim_compensation": True}


def charging(order: str) -> Charging:
    workspace = {"time_zone": "Europe/Berlin", "late_payment": LATE_PAYMENT | {"allocation": order}}
    return charging_of(workspace, {"kind": "business"}, NOW)


QUOTED = date(2026, 3, 2)  # in a half-year whose reference rate is known


def overdue_debts() -> dict[str, dict[str, Any]]:
    """The two debts of `an_attempt`, in euros, due months before `QUOTED`: interest and compensation are due."""
    return {
        debt_id: debt | {"currency": "EUR", "due_on": "2025-10-31", "debtor_id": "dbt_1"}
        for debt_id, debt in the_debts().items()
    }


def everything_attempt(order: str) -> dict[str, Any]:
    """An attempt designated "all", quoted today: each share plans the debt's principal and charges due."""
    terms = charging(order).terms
    due = {debt_id: charges_of(debt, terms, as_of=QUOTED) for debt_id, debt in overdue_debts().items()}
    shares = [{"debt_id": debt_id, "planned": charges.total_due} for debt_id, charges in due.items()]
    return an_attempt(shares=shares, designation="all", quoted_on=QUOTED.isoformat())


def booked_on(debt: dict[str, Any], move: DebtMove) -> dict[str, Any]:
    return debt | money_fields(debt, move.lines, 1 if move.amount > 0 else -1, cast(date, move.day))


def test_an_everything_payment_books_each_charge_as_its_own_line_in_the_allocation_order() -> None:
    attempt, debts = everything_attempt("statutory"), overdue_debts()
    total = sum(int(share["planned"]) for share in attempt["shares"])
    decision = decide(attempt, debts, paid(total), refund_overpayments=True, charging=charging("statutory"), now=NOW)

    assert decision is not None
    for move in decision.debts:
        charges = charges_of(debts[move.debt_id], charging("statutory").terms, as_of=QUOTED)
        assert move.lines == Lines(charges.principal_outstanding, charges.interest_due, charges.compensation_due)
        assert move.lines.compensation > 0 and move.lines.interest > 0 and move.day == QUOTED
    assert "overpayment_refund" not in decision.attempt  # paid in full is principal plus the charges due


def test_an_everything_payment_overpays_only_beyond_principal_and_charges() -> None:
    attempt, debts = everything_attempt("principal_first"), overdue_debts()
    total = sum(int(share["planned"]) for share in attempt["shares"])
    decision = decide(
        attempt, debts, paid(total + 700), refund_overpayments=True, charging=charging("principal_first"), now=NOW
    )
    assert decision is not None
    assert decision.attempt["overpayment_refund"] == {"amount": 700, "status": "due"}


def test_money_back_leaves_the_charges_first_in_the_reverse_of_the_allocation_order() -> None:
    order = charging("principal_first")
    attempt, debts = everything_attempt("principal_first"), overdue_debts()
    total = sum(int(share["planned"]) for share in attempt["shares"])
    paid_in = decide(attempt, debts, paid(total), refund_overpayments=True, charging=order, now=NOW)
    assert paid_in is not None
    debts = {move.debt_id: booked_on(debts[move.debt_id], move) for move in paid_in.debts}
    held_b = debts["b"]
    charges_b = held_b["compensation_paid"] + held_b["interest_paid"]
    back = decide(paid_in.attempt, debts, Change(facts=Facts(refunded=charges_b)), **_options(order))
    assert back is not None
    [move_b] = [move for move in back.debts if move.debt_id == "b"]
    # The last debt gives back first; compensation, then interest, and only then principal.
    assert move_b.lines == Lines(0, held_b["interest_paid"], held_b["compensation_paid"])


def _options(order: Charging) -> dict[str, Any]:
    return {"refund_overpayments": True, "charging": order, "now": NOW}


CHARGED_EVENTS = [
    paid(),  # its amount is set to the attempt's total below
    Change(facts=Facts(refunded=4_500)),
    Change(dispute_status="needs_response"),
    Change(dispute_status="lost", facts=Facts(lost=2_500)),
    Change(facts=Facts(refunded=1_000)),
]


@given(st.permutations(range(len(CHARGED_EVENTS))), st.sampled_from(["principal_first", "statutory"]))
def test_any_order_of_an_everything_payments_events_books_lines_that_add_up_to_what_the_attempt_booked(
    order: list[int], allocation: str
) -> None:
    attempt, debts = everything_attempt(allocation), overdue_debts()
    total = sum(int(share["planned"]) for share in attempt["shares"])
    events = [paid(total), *CHARGED_EVENTS[1:]]
    lines: dict[str, int] = dict.fromkeys(debts, 0)
    for index in order:
        decision = decide(attempt, debts, events[index], **_options(charging(allocation)))
        if decision is None:
            continue
        attempt = decision.attempt
        for move in decision.debts:
            if move.amount:
                assert move.lines.total == abs(move.amount)
                debts[move.debt_id] = booked_on(debts[move.debt_id], move)
                lines[move.debt_id] += move.lines.total * (1 if move.amount > 0 else -1)

    assert lines == {debt_id: int(attempt["booked"].get(debt_id, 0)) for debt_id in debts}
    for debt in debts.values():
        held = (debt["amount_paid"], debt.get("interest_paid", 0), debt.get("compensation_paid", 0))
        assert min(held) >= 0  # money back never takes more from a line than it holds
        assert sum(held) == int(attempt["booked"].get(debt["id"], 0))
        assert sum(amount for _, amount in debt.get("principal_moves", [])) == debt["amount_paid"]
    assert (attempt["paid"], attempt["refunded"], attempt["lost"]) == (total, 4_500, 2_500)
