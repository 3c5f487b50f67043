"""Payment plans through their service (collectra.plans.service): every transition, what it does to the debts, the
debtor and the inbox, and the races that must have one winner (real threads, as tests/support shows).

The business signs up on Monday 2027-03-01 (the `clock` fixture pins the API's "now"); the service takes `now`.
"""

from __future__ import annotations

import contextvars
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any, cast

import pytest

from collectra.debts.service import today_in
from collectra.debts.states import shown_status
from collectra.debts.timeline import actor_user, read_timeline
from collectra.errors import CollectraError, Conflict, InvalidInput
from collectra.inbox import items as inbox
from collectra.plans import service
from collectra.plans.records import Plan
from collectra.store import keys
from collectra.workspaces.records import Workspace
from tests.conftest import Account, Clock, new_debt
from tests.support.interleaving import frequent_switches
from tests.support.world import existing_item, get_item

START = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)  # a Monday
MONTHLY = [date(2027, 3, 10), date(2027, 4, 10), date(2027, 5, 10)]


@pytest.fixture
def business(clock: Clock, request: pytest.FixtureRequest) -> Account:
    clock.now = START
    account: Account = request.getfixturevalue("account")
    return account


@pytest.fixture
def person(business: Account) -> dict[str, Any]:
    email = f"debtor-{uuid.uuid4().hex[:10]}@example.fr"
    answer = business.browser.call(
        "POST", "/debtors", {"name": "Émile Zola", "email": email, "locale": "fr", "time_zone": "Europe/Paris"}
    )
    assert answer.status == 201, answer.body
    return dict(answer.json())


@pytest.fixture
def debts(business: Account, person: dict[str, Any]) -> list[dict[str, Any]]:
    """60.00 due 1 February and 40.00 due 1 April: 100.00 outstanding, split 33.33, 33.33, 33.34."""
    return [
        new_debt(business, person["id"], amount=6_000, issued_on="2027-01-01", due_on="2027-02-01"),
        new_debt(business, person["id"], amount=4_000, issued_on="2027-01-01", due_on="2027-04-01"),
    ]


def workspace(account: Account, **plans: Any) -> Workspace:
    item = cast(Workspace, existing_item(keys.workspace(account.workspace_id)))
    if plans:
        item["payment_plans"] = plans
    return item


def debtor_of(account: Account, person: dict[str, Any]) -> dict[str, Any]:
    return existing_item(keys.debtor(account.workspace_id, person["id"]))


def stored(account: Account, debt_id: str) -> dict[str, Any]:
    return existing_item(keys.debt(account.workspace_id, debt_id))


def items(account: Account, debts: list[dict[str, Any]]) -> list[Any]:
    return [stored(account, debt["id"]) for debt in debts]


def types(account: Account, debt_id: str) -> list[str]:
    return [entry["type"] for entry in read_timeline(account.workspace_id, debt_id, cursor=None, limit=100)[0]]


def offered(account: Account, person: dict[str, Any], debts: list[dict[str, Any]], **kwargs: Any) -> Plan:
    return service.offer(
        workspace(account),
        debtor_of(account, person),
        items(account, debts),
        kwargs.pop("instalments", MONTHLY),
        actor=actor_user(account.user_id),
        now=kwargs.pop("now", START),
    )


def proposed(account: Account, person: dict[str, Any], debts: list[dict[str, Any]], **settings: Any) -> Plan:
    return service.propose(
        workspace(account, enabled=True, **settings),
        debtor_of(account, person),
        items(account, debts),
        MONTHLY,
        now=START,
    )


def inbox_item(account: Account, kind: str, plan: Plan) -> dict[str, Any] | None:
    return get_item(keys.inbox_item(account.workspace_id, inbox.item_id(kind, plan["id"])))


def pay(account: Account, debt_id: str, amount: int) -> None:
    answer = account.browser.call("POST", f"/debts/{debt_id}/payments", {"amount": amount, "received_on": "2027-03-01"})
    assert answer.status == 201, answer.body


# ---------------------------------------------------------------- offered, accepted


def test_an_offer_waits_for_the_debtor_and_holds_their_one_open_plan(
    business: Account, person: dict[str, Any], debts: list[dict[str, Any]]
) -> None:
    plan = offered(business, person, debts)

    assert plan["status"] == "offered"
    assert [i["amount"] for i in plan["instalments"]] == [3_333, 3_333, 3_334]
    assert plan["total"] == 10_000
    assert plan["debt_ids"] == [debts[0]["id"], debts[1]["id"]]  # by due date
    assert debtor_of(business, person)["open_plan"] == plan["id"]
    assert service.read(business.workspace_id, plan["id"]) == plan
    assert [p["id"] for p in service.plans_of_debtor(business.workspace_id, person["id"])] == [plan["id"]]
    assert all(not stored(business, debt["id"]).get("plan") for debt in debts)  # nothing holds until accepted
    assert "plan_offered" in types(business, debts[0]["id"])
    with pytest.raises(Conflict) as second:
        offered(business, person, debts)
    assert second.value.code == "plan_exists"


def test_an_accepted_offer_holds_the_debts_in_plan_off_reminders_interest_paused_promise_withdrawn(
    business: Account, person: dict[str, Any], debts: list[dict[str, Any]]
) -> None:
    answer = business.browser.call("POST", f"/debts/{debts[1]['id']}/promise", {"on": "2027-03-20"})
    assert answer.status == 200, answer.body
    plan = offered(business, person, debts)

    active = service.accept(workspace(business), plan, now=START + timedelta(hours=1))

    assert active["status"] == "active"
    assert active["decided_by"] == {"kind": "debtor", "id": person["id"]}
    assert active["next_look_at"] == "2027-03-01T10:00:00Z"
    assert existing_item(keys.plan(business.workspace_id, plan["id"]))["gsi5pk"].startswith("PLANS-DUE#")
    for debt in debts:
        item = stored(business, debt["id"])
        assert item["plan"] == {"id": plan["id"], "started_at": "2027-03-01T10:00:00Z"}
        assert item["status"] == "open" and shown_status(item) == "in_plan"
        assert item["gsi2pk"].endswith("#DEBTS#in_plan")
        assert "gsi5pk" not in item  # the plan's scheduler reminds, not the planner
        assert item["interest_pauses"] == [["2027-03-01", None, "plan"]]
        assert item.get("promise") is None
    assert types(business, debts[1]["id"])[-2:] == ["promise_withdrawn", "plan_started"]
    again = service.accept(workspace(business), plan, now=START + timedelta(hours=2))  # a second tab
    assert again == active
    assert types(business, debts[0]["id"]).count("plan_started") == 1


def test_a_debt_in_a_plan_refuses_dispute_cancel_write_off_edit_and_promise_but_takes_payments(
    business: Account, person: dict[str, Any], debts: list[dict[str, Any]]
) -> None:
    service.accept(workspace(business), offered(business, person, debts), now=START)
    debt_id = debts[0]["id"]
    for path in ("dispute", "cancel", "write-off"):
        answer = business.browser.call("POST", f"/debts/{debt_id}/{path}")
        assert answer.status == 409, (path, answer.body)
        assert answer.json()["error"]["code"] == "debt_in_plan"
    version = stored(business, debt_id)["version"]
    edit = business.browser.call("PATCH", f"/debts/{debt_id}", {"description": "changed", "version": version})
    assert (edit.status, edit.json()["error"]["code"]) == (409, "debt_in_plan")
    promise = business.browser.call("POST", f"/debts/{debt_id}/promise", {"on": "2027-03-20"})
    assert (promise.status, promise.json()["error"]["code"]) == (409, "debt_in_plan")
    pay(business, debt_id, 1_000)
    assert stored(business, debt_id)["status"] == "partially_paid"
    assert stored(business, debt_id)["plan"]


def test_the_offer_is_refused_when_the_schedule_breaks_a_rule_and_nothing_is_written(
    business: Account, person: dict[str, Any], debts: list[dict[str, Any]]
) -> None:
    with pytest.raises(InvalidInput) as too_close:
        offered(business, person, debts, instalments=[date(2027, 3, 10), date(2027, 3, 15)])
    assert too_close.value.code == "plan_schedule_refused"
    assert too_close.value.details[0]["field"] == "body.instalments[1].due_on"
    with pytest.raises(InvalidInput) as wrong_sum:
        offered(business, person, debts, instalments=[(date(2027, 3, 10), 5_000), (date(2027, 3, 17), 4_000)])
    assert wrong_sum.value.details[0]["field"] == "body.instalments"
    assert "open_plan" not in debtor_of(business, person)
    assert service.plans_of_debtor(business.workspace_id, person["id"]) == []


def test_a_debt_not_collectible_or_of_another_debtor_cannot_go_into_a_plan(
    business: Account, person: dict[str, Any], debts: list[dict[str, Any]]
) -> None:
    assert business.browser.call("POST", f"/debts/{debts[1]['id']}/dispute").status == 200
    with pytest.raises(Conflict) as disputed:
        offered(business, person, debts)
    assert disputed.value.code == "debt_not_collectible"
    other = business.browser.call("POST", "/debtors", {"name": "Nana", "email": "nana@example.fr"}).json()
    with pytest.raises(CollectraError) as foreign:
        offered(business, other, debts[:1])
    assert foreign.value.status == 404


# ---------------------------------------------------------------- proposed, approved, declined


def test_a_proposal_waits_in_the_inbox_and_its_approval_starts_it_and_closes_the_item(
    business: Account, person: dict[str, Any], debts: list[dict[str, Any]]
) -> None:
    plan = proposed(business, person, debts)
    assert plan["status"] == "proposed"
    assert plan["proposed_by"] == "debtor"
    item = inbox_item(business, "plan_proposed", plan)
    assert item is not None and item["state"] == "open"

    active = service.approve(workspace(business), plan, actor=actor_user(business.user_id), now=START, version=1)

    assert active["status"] == "active"
    assert active["decided_by"] == {"kind": "user", "id": business.user_id}
    closed = inbox_item(business, "plan_proposed", plan)
    assert closed is not None and (closed["state"], closed["closed_reason"]) == ("done", "plan_approved")
    assert all(stored(business, debt["id"])["plan"]["id"] == plan["id"] for debt in debts)


def test_a_proposal_within_the_rules_with_auto_approve_starts_at_once(
    business: Account, person: dict[str, Any], debts: list[dict[str, Any]]
) -> None:
    plan = proposed(business, person, debts, auto_approve=True)

    assert plan["status"] == "active"
    assert inbox_item(business, "plan_proposed", plan) is None
    assert all(stored(business, debt["id"])["plan"]["id"] == plan["id"] for debt in debts)


def test_a_proposal_outside_the_rules_or_where_plans_are_off_is_refused(
    business: Account, person: dict[str, Any], debts: list[dict[str, Any]]
) -> None:
    with pytest.raises(InvalidInput) as too_many:
        proposed(business, person, debts, max_instalments=2)
    assert too_many.value.details[0]["field"] == "body.instalments"
    with pytest.raises(Conflict) as off:
        service.propose(workspace(business), debtor_of(business, person), items(business, debts), MONTHLY, now=START)
    assert off.value.code == "plans_not_enabled"
    assert "open_plan" not in debtor_of(business, person)


def test_a_declined_proposal_frees_the_debtor_and_closes_the_item(
    business: Account, person: dict[str, Any], debts: list[dict[str, Any]]
) -> None:
    plan = proposed(business, person, debts)
    user = actor_user(business.user_id)
    with pytest.raises(Conflict) as stale_copy:
        service.decline(workspace(business), plan, actor=user, reason="too long", now=START, version=7)
    assert stale_copy.value.code == "version_conflict"

    declined = service.decline(workspace(business), plan, actor=user, reason="too long", now=START)

    assert (declined["status"], declined["end_reason"], declined["reason"]) == ("declined", "declined", "too long")
    assert "open_plan" not in debtor_of(business, person)
    item = inbox_item(business, "plan_proposed", plan)
    assert item is not None and item["closed_reason"] == "plan_declined"
    assert "plan_declined" in types(business, debts[0]["id"])
    with pytest.raises(Conflict) as again:
        service.approve(workspace(business), plan, actor=user, now=START)
    assert again.value.code == "invalid_transition"
    assert offered(business, person, debts)["status"] == "offered"  # a new plan may be made


def test_a_proposal_whose_first_date_has_passed_is_stale(
    business: Account, person: dict[str, Any], debts: list[dict[str, Any]]
) -> None:
    plan = proposed(business, person, debts)
    with pytest.raises(Conflict) as stale:
        service.approve(
            workspace(business), plan, actor=actor_user(business.user_id), now=datetime(2027, 3, 11, 9, tzinfo=UTC)
        )
    assert stale.value.code == "plan_stale"
    assert service.read(business.workspace_id, plan["id"])["status"] == "proposed"  # type: ignore[index]


# ---------------------------------------------------------------- withdrawn, cancelled


def test_an_offer_withdrawn_and_an_active_plan_cancelled_give_the_debts_back_to_reminders(
    business: Account, person: dict[str, Any], debts: list[dict[str, Any]]
) -> None:
    user = actor_user(business.user_id)
    withdrawn = service.cancel(
        workspace(business), offered(business, person, debts), actor=user, reason=None, now=START
    )
    assert (withdrawn["status"], withdrawn["end_reason"]) == ("withdrawn", "withdrawn")
    assert "open_plan" not in debtor_of(business, person)

    active = service.accept(workspace(business), offered(business, person, debts), now=START)
    later = START + timedelta(days=3)
    cancelled = service.cancel(workspace(business), active, actor=user, reason="moved away", now=later)

    assert (cancelled["status"], cancelled["reason"]) == ("cancelled", "moved away")
    assert cancelled["decided_by"] == {"kind": "debtor", "id": person["id"]}  # who accepted it stays
    assert "open_plan" not in debtor_of(business, person)
    for debt in debts:
        item = stored(business, debt["id"])
        assert item.get("plan") is None
        assert shown_status(item) == "open"
        assert item["interest_pauses"] == [["2027-03-01", "2027-03-04", "plan"]]
        assert item["next_reminder_at"] == "2027-03-04T09:00:00Z"
        assert item["gsi5pk"].startswith("REMIND#")
        assert types(business, debt["id"])[-1] == "plan_cancelled"
    with pytest.raises(Conflict) as again:
        service.cancel(workspace(business), cancelled, actor=user, reason=None, now=later)
    assert again.value.code == "invalid_transition"


# ---------------------------------------------------------------- completed, broken


def test_payments_recorded_by_hand_complete_the_plan_once_they_cover_it(
    business: Account, person: dict[str, Any], debts: list[dict[str, Any]]
) -> None:
    plan = service.accept(workspace(business), offered(business, person, debts), now=START)
    pay(business, debts[0]["id"], 6_000)
    still = service.settle(business.workspace_id, plan["id"], now=START)
    assert still is not None and still["status"] == "active"
    assert service.paid_since(still, service.debts_of(still)) == 6_000

    pay(business, debts[1]["id"], 4_000)
    done = service.settle(business.workspace_id, plan["id"], now=START + timedelta(hours=2))

    assert done is not None and (done["status"], done["end_reason"]) == ("completed", "completed")
    assert "open_plan" not in debtor_of(business, person)
    assert all(stored(business, debt["id"]).get("plan") is None for debt in debts)
    assert types(business, debts[1]["id"]).count("plan_completed") == 1
    assert service.settle(business.workspace_id, plan["id"], now=START) == done  # idempotent
    assert service.settle(business.workspace_id, "plan_unknown", now=START) is None


def test_a_missed_instalment_breaks_the_plan_and_what_remains_is_due_at_once(
    business: Account, person: dict[str, Any], debts: list[dict[str, Any]]
) -> None:
    plan = service.accept(workspace(business), offered(business, person, debts), now=START)
    pay(business, debts[0]["id"], 1_000)  # part of the first instalment
    within_grace = datetime(2027, 3, 15, 12, tzinfo=UTC)
    assert service.break_plan(business.workspace_id, plan, now=within_grace)["status"] == "active"

    broken_at = datetime(2027, 3, 16, 12, tzinfo=UTC)  # the sixth day after the first instalment's
    broken = service.break_plan(business.workspace_id, plan, now=broken_at)

    assert (broken["status"], broken["end_reason"]) == ("broken", "broken")
    today = today_in(workspace(business), broken_at).isoformat()
    later, earlier = stored(business, debts[1]["id"]), stored(business, debts[0]["id"])
    assert later["due_on"] == today  # was 1 April
    assert earlier["due_on"] == "2027-02-01"  # already due
    assert later.get("plan") is None and later["gsi5pk"].startswith("REMIND#")
    assert types(business, debts[1]["id"])[-2:] == ["plan_broken", "instalment_missed"]
    item = inbox_item(business, "plan_broken", plan)
    assert item is not None and item["state"] == "open"
    assert "open_plan" not in debtor_of(business, person)
    assert service.break_plan(business.workspace_id, plan, now=broken_at) == broken  # once


# ---------------------------------------------------------------- races: one wins


def race(*actions: Callable[[], Any]) -> list[Any]:
    """Run the actions on threads released together; what each returned or raised, in order."""
    start = threading.Barrier(len(actions))
    outcomes: list[Any] = [None] * len(actions)

    def run(index: int, action: Callable[[], Any]) -> None:
        start.wait()
        try:
            outcomes[index] = action()
        except CollectraError as error:
            outcomes[index] = error

    # Each thread in a copy of this context: the service reads its configuration from there (collectra.config).
    threads = [
        threading.Thread(target=contextvars.copy_context().run, args=(run, i, action))
        for i, action in enumerate(actions)
    ]
    with frequent_switches():
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return outcomes


def codes(outcomes: list[Any]) -> list[str]:
    return sorted(o.code if isinstance(o, CollectraError) else o["status"] for o in outcomes)


def test_two_approvals_at_once_start_the_plan_once(
    business: Account, person: dict[str, Any], debts: list[dict[str, Any]]
) -> None:
    plan = proposed(business, person, debts)
    user = actor_user(business.user_id)
    colleague = actor_user(f"{business.user_id}-colleague")

    outcomes = race(*[lambda: service.approve(workspace(business), plan, actor=user, now=START)] * 2)

    assert codes(outcomes) == ["active", "active"]  # a double click: the same plan, started once
    assert outcomes[0]["version"] == outcomes[1]["version"]
    with pytest.raises(Conflict) as another:
        service.approve(workspace(business), plan, actor=colleague, now=START)
    assert another.value.code == "invalid_transition"
    assert types(business, debts[0]["id"]).count("plan_started") == 1
    assert stored(business, debts[0]["id"])["interest_pauses"] == [["2027-03-01", None, "plan"]]


def test_an_approval_racing_a_decline_has_one_winner(
    business: Account, person: dict[str, Any], debts: list[dict[str, Any]]
) -> None:
    plan = proposed(business, person, debts)
    user = actor_user(business.user_id)

    outcomes = race(
        lambda: service.approve(workspace(business), plan, actor=user, now=START),
        lambda: service.decline(workspace(business), plan, actor=user, reason=None, now=START),
    )

    assert sorted(codes(outcomes)) in (["active", "invalid_transition"], ["declined", "invalid_transition"])
    final = service.read(business.workspace_id, plan["id"])
    assert final is not None
    held = [bool(stored(business, debt["id"]).get("plan")) for debt in debts]
    assert held == [final["status"] == "active"] * 2
    assert ("open_plan" in debtor_of(business, person)) == (final["status"] == "active")


def test_two_proposals_for_the_same_debtor_at_once_make_one_plan(
    business: Account, person: dict[str, Any], debts: list[dict[str, Any]]
) -> None:
    outcomes = race(
        lambda: proposed(business, person, debts),
        lambda: offered(business, person, debts),
    )

    made_here = [o for o in outcomes if not isinstance(o, CollectraError)]
    assert [o.code for o in outcomes if isinstance(o, CollectraError)] == ["plan_exists"]
    [made] = service.plans_of_debtor(business.workspace_id, person["id"])
    assert [made["id"]] == [o["id"] for o in made_here]
    assert debtor_of(business, person)["open_plan"] == made["id"]


def test_a_payment_racing_the_acceptance_is_counted_by_the_plan_or_refused_whole(
    business: Account, person: dict[str, Any], debts: list[dict[str, Any]]
) -> None:
    plan = offered(business, person, debts)

    def pay_once() -> int:
        answer = business.browser.call(
            "POST", f"/debts/{debts[0]['id']}/payments", {"amount": 3_333, "received_on": "2027-03-01"}
        )
        return answer.status

    accepted, paid = race(lambda: service.accept(workspace(business), plan, now=START), pay_once)

    assert accepted["status"] == "active"  # a payment meanwhile is read again, never a reason to fail
    assert paid in (201, 409)  # a 409 (the debt changed under it) books nothing: the person records it again
    if paid == 409:
        assert pay_once() == 201
    active = service.read(business.workspace_id, plan["id"])
    assert active is not None
    assert service.paid_since(active, service.debts_of(active)) == 3_333
    assert stored(business, debts[0]["id"])["amount_paid"] == 3_333
    assert stored(business, debts[0]["id"])["plan"]["id"] == plan["id"]
