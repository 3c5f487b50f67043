"""One tenant never stops another's reminders (issue 11, part 3), and bulk remind sends one digest (part 4).

Through the doors users and AWS use: HTTP events to the real handlers, the schedule's event to the planner,
SQS records to the sender. Debts fall due in 2027; 2027-03-01 is a Monday.
"""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from local.brevo import BrevoStandIn
from tests.conftest import PASSWORD, Account, Clock, new_debt
from tests.support.http import Browser
from tests.support.reminders import deliver, drain, plan, receive
from tests.support.verification import verify_by_link
from tests.support.world import messages_to

pytestmark = pytest.mark.usefixtures("emulator")

MONDAY_MORNING = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)  # 09:00 in Paris
# Finite (a few seconds) without a budget, so this file fails rather than hangs on code that has none.
SLOW_TEMPLATE = (
    "{% for a in range(3000) %}{% for b in range(3000) %}{% endfor %}{% endfor %}{{ pay_link }} {{ opt_out_link }}"
)


def sign_up(brevo: BrevoStandIn, company: str) -> Account:
    """An owner of a workspace of their own, their address verified (Collectra emails nobody for others)."""
    browser = Browser()
    email = f"owner-{uuid.uuid4().hex[:12]}@example.com"
    answer = browser.call(
        "POST", "/auth/signup", {"email": email, "password": PASSWORD, "name": "Owner", "workspace_name": company}
    )
    assert answer.status == 201, answer.body
    verify_by_link(browser, brevo, email)
    return Account(email, browser, answer.json())


def debtor_of(account: Account) -> dict[str, Any]:
    address = f"debtor-{uuid.uuid4().hex[:10]}@example.fr"
    answer = account.browser.call(
        "POST", "/debtors", {"name": "Émile Zola", "email": address, "locale": "fr", "time_zone": "Europe/Paris"}
    )
    assert answer.status == 201, answer.body
    return dict(answer.json())


def stored_policy(account: Account, policy: dict[str, Any]) -> None:
    """A policy as an older version saved it, before templates were checked on samples and budgeted."""
    from collectra import store
    from collectra.store import keys

    store.update(keys.workspace(account.workspace_id), "SET reminder_policy = :p", values={":p": policy})


def timeline(account: Account, debt: dict[str, Any]) -> list[dict[str, Any]]:
    return list(account.browser.call("GET", f"/debts/{debt['id']}/timeline").json()["items"])


@pytest.fixture
def planned_for(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The workspaces the planner sees (the session's emulator holds every other test's debts too)."""
    from tests.support.reminders import planner_sees

    seen: list[str] = []
    planner_sees(monkeypatch, lambda debt: debt["workspace_id"] in seen)
    return seen


def test_a_poisoned_policy_and_a_poisoned_template_stop_no_one_elses_reminders(
    planned_for: list[str], brevo: BrevoStandIn
) -> None:
    # Given two healthy workspaces, one sending "until midnight" (window_end_hour 24) and one whose own
    # template loops millions of times, each with a debtor due a reminder
    healthy = [sign_up(brevo, "Healthy One"), sign_up(brevo, "Healthy Two")]
    midnight, poisoned = sign_up(brevo, "Until Midnight"), sign_up(brevo, "Poisoned Template")
    steps = [{"offset_days": -3, "tone": "friendly", "template": "friendly"}]
    saved = midnight.browser.call("PUT", "/workspace/reminder-policy", {"steps": steps, "window_end_hour": 24})
    assert saved.status == 200, saved.body
    stored_policy(
        poisoned,
        {
            "steps": [{"offset_days": -3, "tone": "friendly", "template": "mine"}],
            "templates": {"mine": {"fr": {"subject": "Rappel", "text": SLOW_TEMPLATE}}},
        },
    )
    accounts = [*healthy, midnight, poisoned]
    planned_for += [account.workspace_id for account in accounts]
    debtors = [debtor_of(account) for account in accounts]
    debts = [
        new_debt(account, debtor["id"], due_on="2027-03-04") for account, debtor in zip(accounts, debtors, strict=True)
    ]

    # When the planner runs once and the sender takes the whole batch once
    summary = plan(MONDAY_MORNING)
    batch = receive()
    started = time.monotonic()
    answer = deliver(batch)
    took = time.monotonic() - started

    # Then everyone else got exactly one email, in that run, and the poisoned template failed alone
    assert summary["messages"] == 4 and len(batch) == 4
    assert answer["batchItemFailures"] == []
    assert [len(messages_to(brevo, debtor["email"])) for debtor in debtors] == [1, 1, 1, 0]
    assert took < 5, f"the batch waited {took:.1f} s on one template"
    [failed] = [entry for entry in timeline(poisoned, debts[3]) if entry["type"] == "reminder_failed"]
    assert failed["data"]["step"] == 0 and "loops more than" in failed["data"]["reason"]
    status = poisoned.browser.call("GET", "/workspace/reminders/status").json()
    assert [(f["debt_id"], f["step"]) for f in status["failed"]] == [(debts[3]["id"], 0)]
    assert "loops more than" in status["failed"][0]["reason"]
    drain()
    plan(datetime(2027, 3, 1, 9, 0, tzinfo=UTC))  # the failed step is not sent, nor tried again
    drain()
    assert messages_to(brevo, debtors[3]["email"]) == []


def test_a_debtor_whose_planning_fails_is_counted_and_skipped_and_the_run_goes_on(
    planned_for: list[str], brevo: BrevoStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    # Given a workspace whose stored policy is corrupt (no sending day), and a healthy one
    broken, healthy = sign_up(brevo, "Broken Policy"), sign_up(brevo, "Healthy")
    stored_policy(
        broken, {"steps": [{"offset_days": -3, "tone": "friendly", "template": "friendly"}], "sending_days": []}
    )
    planned_for += [broken.workspace_id, healthy.workspace_id]
    broken_debtor, healthy_debtor = debtor_of(broken), debtor_of(healthy)
    new_debt(broken, broken_debtor["id"], due_on="2027-03-04")
    new_debt(healthy, healthy_debtor["id"], due_on="2027-03-04")

    # When the planner runs
    summary = plan(MONDAY_MORNING)
    drain()

    # Then the broken debtor is counted, logged by ids only, and skipped; the healthy one is emailed in the same run
    assert summary["failed"] == 1
    assert len(messages_to(brevo, healthy_debtor["email"])) == 1
    assert messages_to(brevo, broken_debtor["email"]) == []
    [logged] = [record for record in caplog.records if record.getMessage() == "planning a debtor failed"]
    extra = vars(logged)  # what the log call passed as `extra`
    assert (extra["debtor_id"], extra["error_type"]) == (broken_debtor["id"], "ValueError")
    assert broken_debtor["email"] not in caplog.text and broken_debtor["name"] not in caplog.text


def test_the_planner_reports_failed_debtors_as_a_metric(
    planned_for: list[str], brevo: BrevoStandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = sign_up(brevo, "Broken Policy")
    stored_policy(
        broken, {"steps": [{"offset_days": -3, "tone": "friendly", "template": "friendly"}], "sending_days": []}
    )
    planned_for.append(broken.workspace_id)
    new_debt(broken, debtor_of(broken)["id"], due_on="2027-03-04")
    capsys.readouterr()

    plan(MONDAY_MORNING)

    printed = capsys.readouterr().out
    assert '"PlannerDebtorFailed":1' in printed.replace(" ", "") or '"PlannerDebtorFailed":[1' in printed.replace(
        " ", ""
    ), printed[-2000:]


def test_a_claim_left_unqueued_by_a_crashed_run_is_queued_by_a_later_run_and_emailed_once(
    planned_for: list[str], brevo: BrevoStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    from collectra.reminders import queue

    account = sign_up(brevo, "Crashing Queue")
    planned_for.append(account.workspace_id)
    debtor = debtor_of(account)
    debt = new_debt(account, debtor["id"], due_on="2027-03-04")
    working = queue.send

    def refused(messages: list[dict[str, Any]]) -> None:
        raise RuntimeError("SQS is unavailable")

    # Given a run that claimed the step and died before its message reached the queue
    monkeypatch.setattr(queue, "send", refused)
    with pytest.raises(RuntimeError):
        plan(MONDAY_MORNING)
    monkeypatch.setattr(queue, "send", working)

    # When later runs come (the next one while the claim may still be in flight, then one after)
    plan(datetime(2027, 3, 1, 8, 15, tzinfo=UTC))
    drain()
    assert messages_to(brevo, debtor["email"]) == []
    plan(datetime(2027, 3, 1, 8, 31, tzinfo=UTC))
    drain()
    plan(datetime(2027, 3, 1, 9, 31, tzinfo=UTC))
    drain()

    # Then the step was queued and emailed, once
    assert len(messages_to(brevo, debtor["email"])) == 1
    assert [entry["type"] for entry in timeline(account, debt)].count("reminder_sent") == 1


def test_reminding_two_debts_of_one_debtor_at_once_sends_one_email(
    account: Account, brevo: BrevoStandIn, clock: Clock
) -> None:
    debtor = debtor_of(account)
    first = new_debt(account, debtor["id"], due_on="2027-04-30")
    second = new_debt(account, debtor["id"], due_on="2027-04-30", amount=4_200)
    clock.now = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)  # a Monday morning in Paris
    browser = account.new_browser()  # signed in at that time

    answer = browser.call("POST", "/debts/remind", {"debt_ids": [first["id"], second["id"]]})
    drain()

    assert answer.status == 200, answer.body
    assert [(r["queued"], r["step"]) for r in answer.json()["results"]] == [(True, 0), (True, 0)]
    [email] = messages_to(brevo, debtor["email"])
    assert first["invoice_number"] in email["textContent"] and second["invoice_number"] in email["textContent"]
    for debt in (first, second):
        entries = browser.call("GET", f"/debts/{debt['id']}/timeline").json()["items"]
        assert [entry["type"] for entry in entries].count("reminder_sent") == 1


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("{% for a in range(100000) %}{% for b in range(100000) %}x{% endfor %}{% endfor %}", "range longer"),
        ("{{ 'x' * 1000000000 }}", "longer than"),
        ("{{ 1/0 }}", "ZeroDivisionError"),
        ("{{ invoices.x }}", "has no attribute 'x'"),
    ],
)
def test_saving_a_template_that_fails_on_sample_data_or_exceeds_its_budget_answers_422_quickly(
    account: Account, text: str, reason: str
) -> None:
    policy = {
        "steps": [{"offset_days": 0, "tone": "friendly", "template": "mine"}],
        "templates": {
            "mine": {"en": {"subject": "Hello", "text": f"{text} {{{{ pay_link }}}} {{{{ opt_out_link }}}}"}}
        },
    }

    started = time.monotonic()
    answer = account.browser.call("PUT", "/workspace/reminder-policy", policy)
    took = time.monotonic() - started

    assert answer.status == 422 and answer.json()["error"]["code"] == "invalid_template", answer.body
    assert reason in answer.json()["error"]["message"] and "template mine (en)" in answer.json()["error"]["message"]
    assert took < 1.5, f"the refusal took {took:.2f} s"
    assert account.browser.call("GET", "/workspace/reminder-policy").json()["steps"][0]["offset_days"] == -3


@pytest.mark.parametrize(
    ("text", "reason"),
    [(SLOW_TEMPLATE, "loops more than"), ("{{ 1/0 }}", "ZeroDivisionError"), ("{{ invoices[1].number }}", "")],
)
def test_previewing_a_draft_that_fails_or_exceeds_its_budget_answers_422_naming_the_problem(
    account: Account, text: str, reason: str
) -> None:
    draft = {"subject": "Hello", "text": f"{text} {{{{ pay_link }}}} {{{{ opt_out_link }}}}"}

    started = time.monotonic()
    answer = account.browser.call("POST", "/workspace/reminder-templates/preview", {"draft": draft})
    took = time.monotonic() - started

    assert answer.status == 422 and answer.json()["error"]["code"] == "invalid_template", answer.body
    assert reason in answer.json()["error"]["message"]
    assert took < 1.5, f"the refusal took {took:.2f} s"
