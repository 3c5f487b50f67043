"""A debt taken back to a past instant from its state now and the history recorded since (analytics.replay)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from collectra.analytics.replay import Standing, changed_since, standing_at
from collectra.clock import iso

START = datetime(2027, 1, 10, 9, tzinfo=UTC)
STATUSES = ("open", "partially_paid", "paid", "disputed", "cancelled", "written_off")


@dataclass
class Simulated:
    """A debt changed op after op the way the service records it, with what it was after each op."""

    debt: dict[str, Any]
    history: list[dict[str, Any]] = field(default_factory=list)
    after: list[tuple[str, Standing]] = field(default_factory=list)  # (instant of the op, standing after it)

    def standing(self) -> Standing:
        d = self.debt
        return Standing(d["id"], d["debtor_id"], d["currency"], d["status"], d["amount"], d["amount_paid"], d["due_on"])

    def entry(self, at: str, kind: str, data: dict[str, Any]) -> None:
        number = len(self.history)
        self.history.append({"sk": f"T#evt_{number:04d}", "at": at, "type": kind, "data": data})

    def apply(self, at: str, op: tuple[str, Any]) -> None:
        kind, value = op
        d = self.debt
        if kind == "money":
            d["amount_paid"] += value
            ledger = "payment" if value > 0 else "refund"
            self.history.append(
                {"sk": f"L#led_{len(self.history):04d}", "recorded_at": at, "kind": ledger, "amount": abs(value)}
            )
        elif kind == "charge":  # interest or compensation in or back: its own ledger line, principal unmoved
            ledger = "payment" if value > 0 else "refund"
            self.history.append(
                {
                    "sk": f"L#led_{len(self.history):04d}",
                    "recorded_at": at,
                    "kind": ledger,
                    "amount": abs(value),
                    "charge": "interest" if value % 2 else "compensation",
                }
            )
        elif kind in ("amount", "due_on") and d[kind] != value:
            self.entry(at, "edited", {kind: {"from": d[kind], "to": value}, "description": {"from": "", "to": "x"}})
            d[kind] = value
        elif kind == "status" and d["status"] != value:
            self.entry(at, "status_changed", {"from": d["status"], "to": value})
            d["status"] = value
        else:
            self.entry(at, "note_added", {"note": "nothing owed changes"})
        d["updated_at"] = at
        self.after.append((at, self.standing()))


OPS = st.one_of(
    st.tuples(st.just("money"), st.integers(-5_000, 5_000).filter(bool)),
    st.tuples(st.just("charge"), st.integers(-4_000, 4_000).filter(bool)),
    st.tuples(st.just("amount"), st.integers(1, 20_000)),
    st.tuples(st.just("due_on"), st.dates().map(lambda day: day.isoformat())),
    st.tuples(st.just("status"), st.sampled_from(STATUSES)),
    st.tuples(st.just("note"), st.none()),
)


def simulate(ops: list[tuple[str, Any]], gaps: list[int]) -> Simulated:
    created = iso(START)
    debt = {
        "id": "debt_1",
        "debtor_id": "dbr_1",
        "currency": "EUR",
        "amount": 10_000,
        "amount_paid": 0,
        "due_on": "2027-01-31",
        "status": "open",
        "created_at": created,
        "updated_at": created,
    }
    simulated = Simulated(debt)
    moment = START
    for op, gap in zip(ops, gaps, strict=False):
        moment += timedelta(seconds=gap)
        simulated.apply(iso(moment), op)
    return simulated


@given(st.lists(OPS, max_size=12), st.lists(st.integers(1, 90_000), min_size=12, max_size=12), st.data())
def test_the_debt_at_any_instant_is_what_it_was_after_the_ops_before_it(
    ops: list[tuple[str, Any]], gaps: list[int], data: st.DataObject
) -> None:
    simulated = simulate(ops, gaps)
    first = Standing("debt_1", "dbr_1", "EUR", "open", 10_000, 0, "2027-01-31")
    instants = [iso(START + timedelta(seconds=1)), *(at for at, _ in simulated.after)]
    instant = data.draw(st.sampled_from(instants))
    expected = first
    for at, standing in simulated.after:
        if at < instant:
            expected = standing

    history = data.draw(st.permutations(simulated.history))  # the order they are read in does not matter
    assert standing_at(simulated.debt, history, instant) == expected
    if not changed_since(simulated.debt, instant):
        assert standing_at(simulated.debt, [], instant) == expected


def test_a_debt_recorded_at_or_after_the_instant_did_not_exist_yet() -> None:
    debt = simulate([], []).debt

    assert standing_at(debt, [], iso(START)) is None
    assert standing_at(debt, [], iso(START + timedelta(seconds=1))) is not None


def test_what_was_receivable_is_what_an_open_debt_still_owed() -> None:
    owed = Standing("d", "r", "EUR", "partially_paid", 10_000, 4_000, "2027-01-31")

    assert owed.receivable == 6_000
    assert Standing("d", "r", "EUR", "disputed", 10_000, 0, "2027-01-31").receivable == 10_000
    assert Standing("d", "r", "EUR", "written_off", 10_000, 0, "2027-01-31").receivable == 0
    assert Standing("d", "r", "EUR", "paid", 10_000, 12_000, "2027-01-31").receivable == 0
    assert Standing("d", "r", "EUR", "open", 10_000, 12_000, "2027-01-31").receivable == 0  # overpaid: nothing owed


def test_other_items_of_the_history_partition_are_left_out() -> None:
    simulated = simulate([("money", 1_000)], [60])
    claim = {"sk": "CLAIM#0001", "claimed_at": iso(START + timedelta(hours=1))}

    before = standing_at(simulated.debt, [*simulated.history, claim], iso(START + timedelta(seconds=30)))

    assert before is not None and before.paid == 0
