"""Payment plans through the business's doors: offering, listing, reading, approving, declining and cancelling
them over HTTP, what the debts show meanwhile, and a payment recorded by hand that completes a plan.

The business signs up on Monday 2027-03-01 (the `clock` fixture pins the API's "now"); the debtor's side (accepting
an offer, proposing) goes through the service here, as the page's own tests go through the page.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, cast

import pytest

from collectra import store
from collectra.debts.timeline import read_timeline
from collectra.inbox import items as inbox
from collectra.plans import service
from collectra.plans.records import Plan
from collectra.store import keys
from collectra.workspaces.records import Workspace
from tests.conftest import Account, Clock, new_debt
from tests.support.meanwhile import meanwhile
from tests.support.world import all_items, existing_item, get_item

START = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)  # a Monday
MONTHLY = [{"due_on": "2027-03-10"}, {"due_on": "2027-04-10"}, {"due_on": "2027-05-10"}]


@pytest.fixture
def business(clock: Clock, request: pytest.FixtureRequest) -> Account:
    clock.now = START
    account: Account = request.getfixturevalue("account")
    return account


@pytest.fixture
def person(business: Account) -> dict[str, Any]:
    email = f"debtor-{uuid.uuid4().hex[:10]}@example.fr"
    answer = business.browser.call("POST", "/debtors", {"name": "Émile Zola", "email": email, "locale": "fr"})
    assert answer.status == 201, answer.body
    return dict(answer.json())


@pytest.fixture
def debts(business: Account, person: dict[str, Any]) -> list[dict[str, Any]]:
    """60.00 due 1 February, 40.00 due 1 April: 100.00 in three monthly instalments of 33.33, 33.33 and 33.34."""
    return [
        new_debt(business, person["id"], amount=6_000, issued_on="2027-01-01", due_on="2027-02-01"),
        new_debt(business, person["id"], amount=4_000, issued_on="2027-01-01", due_on="2027-04-01"),
    ]


def offer(account: Account, debtor_id: str, body: dict[str, Any]) -> Any:
    return account.browser.call("POST", f"/debtors/{debtor_id}/plans", body)


def offered(account: Account, person: dict[str, Any], debts: list[dict[str, Any]]) -> dict[str, Any]:
    answer = offer(account, person["id"], {"debt_ids": [d["id"] for d in debts], "instalments": MONTHLY})
    assert answer.status == 201, answer.body
    return dict(answer.json())


def accepted(account: Account, plan: dict[str, Any]) -> Plan:
    """The debtor accepts the offer (their page calls the service)."""
    workspace = cast(Workspace, existing_item(keys.workspace(account.workspace_id)))
    stored = service.read(account.workspace_id, plan["id"])
    assert stored is not None
    return service.accept(workspace, stored, now=START)


def proposed(account: Account, person: dict[str, Any], debts: list[dict[str, Any]]) -> Plan:
    """The debtor proposes a plan on their page (the service), where the business takes proposals."""
    workspace = cast(Workspace, existing_item(keys.workspace(account.workspace_id)))
    found = [cast(Any, existing_item(keys.debt(account.workspace_id, d["id"]))) for d in debts]
    debtor = existing_item(keys.debtor(account.workspace_id, person["id"]))
    workspace["payment_plans"] = {"enabled": True}
    return service.propose(workspace, debtor, found, [m["due_on"] for m in MONTHLY], now=START)


def error(answer: Any) -> tuple[int, str]:
    return answer.status, answer.json()["error"]["code"]


def types(account: Account, debt_id: str) -> list[str]:
    return [entry["type"] for entry in read_timeline(account.workspace_id, debt_id, cursor=None, limit=100)[0]]


def workspace_items(account: Account) -> list[dict[str, Any]]:
    return all_items(f"WS#{account.workspace_id}")


# ---------------------------------------------------------------- offered, accepted: the debts in plan


def test_an_offer_accepted_holds_its_debts_in_plan_listed_so_and_out_of_the_reminders(
    business: Account, person: dict[str, Any], debts: list[dict[str, Any]]
) -> None:
    plan = offered(business, person, debts)
    assert plan["status"] == "offered"
    assert plan["proposed_by"] == "business"
    assert plan["total"] == 10_000 and plan["paid"] == 0 and plan["asked_now"] is None
    assert [(i["amount"], i["status"]) for i in plan["instalments"]] == [(3_333, "upcoming")] * 2 + [
        (3_334, "upcoming")
    ]
    assert plan["collection"] == {"mode": "manual", "method": None}

    accepted(business, plan)

    shown = business.browser.call("GET", f"/plans/{plan['id']}").json()
    assert shown["status"] == "active" and shown["started_at"] == "2027-03-01T09:00:00Z"
    assert shown["asked_now"] == {"number": 1, "due_on": "2027-03-10", "amount": 3_333}
    in_plan = business.browser.call("GET", "/debts?status=in_plan").json()["items"]
    assert sorted(d["id"] for d in in_plan) == sorted(d["id"] for d in debts)
    assert all(d["status"] == "in_plan" for d in in_plan)
    assert all(d["plan"] == {"id": plan["id"], "status": "active", "next_instalment": None} for d in in_plan)
    assert business.browser.call("GET", "/debts?status=open").json()["items"] == []
    of_debtor = business.browser.call("GET", f"/debts?debtor_id={person['id']}&status=in_plan").json()["items"]
    assert len(of_debtor) == 2
    assert business.browser.call("GET", f"/debts?debtor_id={person['id']}&status=open").json()["items"] == []
    one = business.browser.call("GET", f"/debts/{debts[1]['id']}").json()
    assert one["status"] == "in_plan"
    assert one["plan"] == {
        "id": plan["id"],
        "status": "active",
        "next_instalment": {"number": 1, "due_on": "2027-03-10", "amount": 3_333},
    }
    for debt in debts:  # the plan's scheduler reminds; the reminder planner's index no longer holds them
        assert "gsi5pk" not in existing_item(keys.debt(business.workspace_id, debt["id"]))
    listed = business.browser.call("GET", f"/debtors/{person['id']}/plans").json()["items"]
    assert [p["id"] for p in listed] == [plan["id"]]
    counted = business.browser.call("GET", "/workspace/summary").json()["debts_by_status"]
    assert (counted["in_plan"], counted["open"]) == (2, 0)


def test_a_second_offer_for_the_same_debtor_is_409_plan_exists(
    business: Account, person: dict[str, Any], debts: list[dict[str, Any]]
) -> None:
    offered(business, person, debts)
    again = offer(business, person["id"], {"debt_ids": [debts[0]["id"]], "instalments": MONTHLY})
    assert error(again) == (409, "plan_exists")


def test_a_double_clicked_offer_makes_one_plan(
    business: Account, person: dict[str, Any], debts: list[dict[str, Any]]
) -> None:
    body = {"debt_ids": [d["id"] for d in debts], "instalments": MONTHLY}

    with meanwhile("OfferPlanFunction", "TransactWriteItems", lambda: offer(business, person["id"], body)) as other:
        first = offer(business, person["id"], body)

    assert sorted([first.status, other.answer.status]) == [201, 409]
    assert len(business.browser.call("GET", f"/debtors/{person['id']}/plans").json()["items"]) == 1


@pytest.mark.parametrize(
    ("instalments", "field"),
    [
        ([{"due_on": "2027-02-28"}, {"due_on": "2027-03-10"}], "body.instalments[0].due_on"),
        ([{"due_on": "2027-03-10"}, {"due_on": "2027-03-16"}], "body.instalments[1].due_on"),
        ([{"due_on": "2027-03-10", "amount": 5_000}, {"due_on": "2027-03-17", "amount": 4_000}], "body.instalments"),
        ([{"due_on": "2027-03-10", "amount": 5_000}, {"due_on": "2027-03-17"}], "body.instalments"),
        ([{"due_on": "2027-03-10"}], "body.instalments"),
        ([{"due_on": f"2027-{3 + n // 4:02d}-{1 + 7 * (n % 4):02d}"} for n in range(13)], "body.instalments"),
    ],
)
def test_a_schedule_the_rules_refuse_is_422_naming_the_field_and_changes_nothing(
    business: Account, person: dict[str, Any], debts: list[dict[str, Any]], instalments: list[Any], field: str
) -> None:
    before = workspace_items(business)

    answer = offer(business, person["id"], {"debt_ids": [d["id"] for d in debts], "instalments": instalments})

    assert answer.status == 422, answer.body
    assert field in [detail.get("field") for detail in answer.json()["error"]["details"]]
    assert workspace_items(business) == before


def test_debts_not_collectible_or_not_the_debtors_are_refused(
    business: Account, person: dict[str, Any], debts: list[dict[str, Any]]
) -> None:
    other = business.browser.call("POST", "/debtors", {"name": "Nana", "email": "nana@example.fr"}).json()
    theirs = new_debt(business, other["id"], amount=1_000, due_on="2027-02-01")
    assert error(offer(business, person["id"], {"debt_ids": [theirs["id"]], "instalments": MONTHLY})) == (
        404,
        "debt_not_found",
    )
    assert error(offer(business, person["id"], {"debt_ids": ["debt_unknown"], "instalments": MONTHLY}))[0] == 404
    assert business.browser.call("POST", f"/debts/{debts[0]['id']}/cancel").status == 200
    body = {"debt_ids": [d["id"] for d in debts], "instalments": MONTHLY}
    assert error(offer(business, person["id"], body)) == (409, "debt_not_collectible")


# ---------------------------------------------------------------- approving, declining, cancelling


def test_a_proposal_is_approved_once_and_then_refuses_a_decline(
    business: Account, person: dict[str, Any], debts: list[dict[str, Any]]
) -> None:
    plan = proposed(business, person, debts)
    stale = business.browser.call("POST", f"/plans/{plan['id']}/approve", {"version": 7})
    assert error(stale) == (409, "version_conflict")

    approved = business.browser.call("POST", f"/plans/{plan['id']}/approve", {"version": plan["version"]})

    assert approved.status == 200, approved.body
    assert approved.json()["status"] == "active"
    item = get_item(keys.inbox_item(business.workspace_id, inbox.item_id("plan_proposed", plan["id"])))
    assert item is not None and item["closed_reason"] == "plan_approved"
    assert error(business.browser.call("POST", f"/plans/{plan['id']}/decline", {})) == (409, "invalid_transition")
    assert business.browser.call("GET", f"/debts/{debts[0]['id']}").json()["status"] == "in_plan"


def test_a_double_clicked_approve_starts_the_plan_once(
    business: Account, person: dict[str, Any], debts: list[dict[str, Any]]
) -> None:
    plan = proposed(business, person, debts)

    def approve() -> Any:
        return business.browser.call("POST", f"/plans/{plan['id']}/approve", {"version": plan["version"]})

    with meanwhile("ApprovePlanFunction", "TransactWriteItems", approve) as other:
        first = approve()

    assert (first.status, other.answer.status) == (200, 200), first.body
    assert first.json() == other.answer.json()
    assert types(business, debts[0]["id"]).count("plan_started") == 1


def test_a_declined_proposal_says_why_and_frees_the_debtor(
    business: Account, person: dict[str, Any], debts: list[dict[str, Any]]
) -> None:
    plan = proposed(business, person, debts)

    declined = business.browser.call("POST", f"/plans/{plan['id']}/decline", {"reason": "Too long for us."})

    assert declined.status == 200, declined.body
    body = declined.json()
    assert (body["status"], body["reason"], body["end_reason"]) == ("declined", "Too long for us.", "declined")
    assert error(business.browser.call("POST", f"/plans/{plan['id']}/approve")) == (409, "invalid_transition")
    assert offered(business, person, debts)["status"] == "offered"  # the debtor may have another plan


def test_cancelling_an_offer_withdraws_it_and_cancelling_a_plan_gives_the_debts_back(
    business: Account, person: dict[str, Any], debts: list[dict[str, Any]]
) -> None:
    withdrawn = business.browser.call("POST", f"/plans/{offered(business, person, debts)['id']}/cancel")
    assert withdrawn.status == 200 and withdrawn.json()["status"] == "withdrawn"
    plan = offered(business, person, debts)
    assert error(business.browser.call("POST", f"/plans/{plan['id']}/approve")) == (409, "invalid_transition")
    accepted(business, plan)

    cancelled = business.browser.call("POST", f"/plans/{plan['id']}/cancel", {"reason": "Moved abroad"})

    assert cancelled.status == 200, cancelled.body
    assert cancelled.json()["status"] == "cancelled"
    for debt in debts:
        shown = business.browser.call("GET", f"/debts/{debt['id']}").json()
        assert (shown["status"], shown["plan"]) == ("open", None)
        assert existing_item(keys.debt(business.workspace_id, debt["id"]))["gsi5pk"].startswith("REMIND#")
    assert error(business.browser.call("POST", f"/plans/{plan['id']}/cancel")) == (409, "invalid_transition")
    assert business.browser.call("POST", f"/debts/{debts[0]['id']}/dispute").status == 200  # no plan holds it


def test_a_debt_in_a_plan_refuses_to_be_disputed_until_the_plan_is_cancelled(
    business: Account, person: dict[str, Any], debts: list[dict[str, Any]]
) -> None:
    accepted(business, offered(business, person, debts))
    answer = business.browser.call("POST", f"/debts/{debts[0]['id']}/dispute")
    assert error(answer) == (409, "debt_in_plan")


def test_a_plan_unknown_is_404(business: Account) -> None:
    for method, path in (("GET", "/plans/plan_unknown"), ("POST", "/plans/plan_unknown/approve")):
        assert error(business.browser.call(method, path)) == (404, "plan_not_found")


# ---------------------------------------------------------------- paid by hand


def test_payments_recorded_by_hand_complete_the_plan(
    business: Account, person: dict[str, Any], debts: list[dict[str, Any]]
) -> None:
    plan = offered(business, person, debts)
    accepted(business, plan)
    stored = existing_item(keys.plan(business.workspace_id, plan["id"]))
    stored_key = {"pk": stored["pk"], "sk": stored["sk"]}
    later = "2027-03-07T09:00:00Z"  # as the scheduler leaves it after its first look: the upcoming notice's day

    store.update(stored_key, "SET next_look_at = :at, gsi5sk = :sk", values={":at": later, ":sk": f"{later}#x"})

    first = business.browser.call(
        "POST", f"/debts/{debts[0]['id']}/payments", {"amount": 5_000, "received_on": "2027-03-01"}
    )
    assert first.status == 201 and first.json()["status"] == "in_plan"
    # The plan goes on, and the scheduler's next run looks at it (its forecast and notices follow the payment).
    looked = existing_item(stored_key)
    assert looked["next_look_at"] == "2027-03-01T09:00:00Z" and looked["gsi5sk"].startswith("2027-03-01T09:00:00Z#")
    shown = business.browser.call("GET", f"/plans/{plan['id']}").json()
    assert shown["paid"] == 5_000
    assert [(i["paid"], i["status"]) for i in shown["instalments"]] == [
        (3_333, "paid"),
        (1_667, "upcoming"),
        (0, "upcoming"),
    ]
    assert shown["asked_now"] == {"number": 2, "due_on": "2027-04-10", "amount": 1_666}

    business.browser.call("POST", f"/debts/{debts[0]['id']}/payments", {"amount": 1_000, "received_on": "2027-03-01"})
    last = business.browser.call(
        "POST", f"/debts/{debts[1]['id']}/payments", {"amount": 4_000, "received_on": "2027-03-01"}
    )

    assert last.status == 201, last.body
    assert (last.json()["status"], last.json()["plan"]) == ("paid", None)
    done = business.browser.call("GET", f"/plans/{plan['id']}").json()
    assert (done["status"], done["end_reason"], done["paid"]) == ("completed", "completed", 10_000)
    assert types(business, debts[1]["id"]).count("plan_completed") == 1
    assert "open_plan" not in existing_item(keys.debtor(business.workspace_id, person["id"]))


# ---------------------------------------------------------------- settings


def test_the_payment_plan_settings_are_shown_and_changed_whole(business: Account) -> None:
    shown = business.browser.call("GET", "/workspace").json()["payment_plans"]
    assert shown == {
        "enabled": False,
        "max_instalments": 6,
        "max_days": 180,
        "min_first_percent": 10,
        "auto_approve": False,
        "grace_days": 5,
    }

    changed = business.browser.call(
        "PATCH", "/workspace", {"payment_plans": {"enabled": True, "auto_approve": True, "grace_days": 3}}
    )

    assert changed.status == 200, changed.body
    assert changed.json()["payment_plans"] == {**shown, "enabled": True, "auto_approve": True, "grace_days": 3}
    assert business.browser.call("GET", "/workspace").json()["payment_plans"]["grace_days"] == 3


@pytest.mark.parametrize(
    ("settings", "field"),
    [
        ({"max_instalments": 13}, "max_instalments"),
        ({"max_instalments": 1}, "max_instalments"),
        ({"max_days": 366}, "max_days"),
        ({"min_first_percent": 101}, "min_first_percent"),
        ({"grace_days": 31}, "grace_days"),
        ({"enabled": "yes"}, "enabled"),
        ({"surprise": True}, "surprise"),
    ],
)
def test_payment_plan_settings_out_of_bounds_are_422_naming_the_field(
    business: Account, settings: dict[str, Any], field: str
) -> None:
    answer = business.browser.call("PATCH", "/workspace", {"payment_plans": settings})

    assert answer.status == 422, answer.body
    assert f"body.payment_plans.{field}" in str(answer.json()["error"]["details"])
    assert business.browser.call("GET", "/workspace").json()["payment_plans"]["enabled"] is False
    assert business.browser.call("PATCH", "/workspace", {"payment_plans": None}).status == 422


def test_an_import_does_not_change_a_debt_a_plan_holds(business: Account) -> None:
    rows = "Invoice,Customer,Email,Amount,Currency,Due date\nP-001,Ada,ada-{tag}@example.com,100.00,EUR,2027-02-01\n"
    csv = rows.format(tag=uuid.uuid4().hex[:8])

    def imported(text: str, query: str = "") -> dict[str, Any]:
        answer = business.browser.call(
            "POST",
            f"/debts/import?locale=en{query}",
            raw_body=text,
            headers={"content-type": "text/csv; charset=utf-8"},
        )
        assert answer.status == 200, answer.body
        return dict(answer.json())

    assert imported(csv)["created"] == 1
    [debt] = business.browser.call("GET", "/debts").json()["items"]
    plan = offer(business, debt["debtor_id"], {"debt_ids": [debt["id"]], "instalments": MONTHLY[:2]}).json()
    accepted(business, plan)

    dry = imported(csv.replace("100.00", "120.00"), "&dry_run=true")  # what a dry run says, the import does
    result = imported(csv.replace("100.00", "120.00"))

    assert (dry["updated"], dry["rejected"]) == (0, 1)

    assert (result["updated"], result["rejected"]) == (0, 1)
    assert "payment plan" in str(result["errors"])
    assert business.browser.call("GET", f"/debts/{debt['id']}").json()["amount"] == 10_000
