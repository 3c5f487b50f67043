"""The reminder engine through the doors AWS uses: the schedule's event to the planner, SQS to the sender.

The clock is the scheduled event's `time`; every email is counted from the Brevo stand-in's outbox.
Debts here fall due in 2027, on days whose weekday the tests rely on (2027-03-01 is a Monday).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from local.brevo import BrevoStandIn
from tests.conftest import Account, Clock, new_debt
from tests.support.reminders import bodies, deliver, drain, plan, receive

pytestmark = pytest.mark.usefixtures("own_reminders_only")


@pytest.fixture
def person(account: Account) -> dict[str, Any]:
    """A debtor in Paris with an address of their own, so the outbox can be read for them alone."""
    email = f"debtor-{uuid.uuid4().hex[:10]}@example.fr"
    answer = account.browser.call(
        "POST", "/debtors", {"name": "Émile Zola", "email": email, "locale": "fr", "time_zone": "Europe/Paris"}
    )
    assert answer.status == 201, answer.body
    return dict(answer.json())


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def emails_to(brevo: BrevoStandIn, person: dict[str, Any]) -> list[dict[str, Any]]:
    return [m for m in brevo.outbox() if m["to"][0]["email"] == person["email"]]


def timeline(account: Account, debt: dict[str, Any]) -> list[dict[str, Any]]:
    return list(account.browser.call("GET", f"/debts/{debt['id']}/timeline").json()["items"])


def cycle(now: str) -> dict[str, Any]:
    """One planner run at `now`, and the sender emptying the queue."""
    summary = plan(at(now))
    drain()
    return summary


def test_the_first_reminder_waits_for_a_sending_day_and_hour_then_goes_once(
    account: Account, person: dict[str, Any], brevo: BrevoStandIn
) -> None:
    debt = new_debt(account, person["id"], due_on="2027-03-02")  # a Tuesday: step -3 falls on Saturday 27 Feb

    cycle("2027-02-27T10:00:00+01:00")  # Saturday: not a sending day
    assert emails_to(brevo, person) == []
    cycle("2027-03-01T07:30:00+01:00")  # Monday, before 08:00 in Paris
    assert emails_to(brevo, person) == []
    cycle("2027-03-01T08:05:00+01:00")
    cycle("2027-03-01T08:20:00+01:00")  # the next run: nothing new is due

    [email] = emails_to(brevo, person)
    assert "Hopper & Co" in email["subject"]
    assert "/p/" in email["textContent"] and "/u/" in email["textContent"]
    assert email["headers"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert email["headers"]["List-Unsubscribe"].startswith("<http")
    assert "<img" not in email["htmlContent"]  # no tracking pixel
    sent = [entry for entry in timeline(account, debt) if entry["type"] == "reminder_sent"]
    assert [(entry["data"]["step"], entry["data"]["tone"]) for entry in sent] == [(0, "friendly")]


def test_the_link_in_the_email_opens_the_debtors_page(
    account: Account, person: dict[str, Any], brevo: BrevoStandIn
) -> None:
    from tests.support.http import Browser

    new_debt(account, person["id"], due_on="2027-03-04")
    cycle("2027-03-01T09:00:00+01:00")
    [email] = emails_to(brevo, person)
    link = next(word for word in email["textContent"].split() if "/p/" in word)

    page = Browser().call("GET", "/p/" + link.split("/p/", 1)[1].split("#", 1)[0])
    assert page.status == 200 and "Émile Zola" in page.body


def test_after_an_outage_only_the_latest_due_step_goes_out(
    account: Account, person: dict[str, Any], brevo: BrevoStandIn
) -> None:
    debt = new_debt(account, person["id"], due_on="2027-03-01")

    cycle("2027-03-10T10:00:00+01:00")  # nothing ran since before the due date: steps -3, 0, +3, +7 are due

    assert len(emails_to(brevo, person)) == 1
    [sent] = [entry for entry in timeline(account, debt) if entry["type"] == "reminder_sent"]
    assert (sent["data"]["step"], sent["data"]["tone"]) == (3, "firm")


def test_several_debts_due_together_make_one_email(
    account: Account, person: dict[str, Any], brevo: BrevoStandIn
) -> None:
    first = new_debt(account, person["id"], due_on="2027-03-04")
    second = new_debt(account, person["id"], due_on="2027-03-04", amount=4_200)

    cycle("2027-03-01T09:00:00+01:00")

    [email] = emails_to(brevo, person)
    assert first["invoice_number"] in email["textContent"] and second["invoice_number"] in email["textContent"]


def test_no_reminder_for_a_debt_that_is_paid_disputed_paused_or_promised(
    account: Account, person: dict[str, Any], brevo: BrevoStandIn
) -> None:
    debts = [new_debt(account, person["id"], due_on="2027-03-04") for _ in range(4)]
    account.browser.call(
        "POST", f"/debts/{debts[0]['id']}/payments", {"amount": 12_500, "method": "cheque", "received_on": "2027-02-01"}
    )
    account.browser.call("POST", f"/debts/{debts[1]['id']}/dispute", {"note": "not ours"})
    account.browser.call("POST", f"/debts/{debts[2]['id']}/pause", {"note": "talking to them"})
    debts[3] = account.browser.call("GET", f"/debts/{debts[3]['id']}").json()
    from collectra import store
    from collectra.store import keys

    store.update(  # what a promise from the debtor's page records
        keys.debt(account.workspace_id, debts[3]["id"]),
        "SET reminders_paused = :yes, paused_until = :until",
        values={":yes": True, ":until": "2027-03-20"},
    )

    cycle("2027-03-01T09:00:00+01:00")
    assert emails_to(brevo, person) == []


def test_a_change_between_planning_and_sending_is_honoured(
    account: Account, person: dict[str, Any], brevo: BrevoStandIn
) -> None:
    debt = new_debt(account, person["id"], due_on="2027-03-04")
    plan(at("2027-03-01T09:00:00+01:00"))
    account.browser.call("POST", f"/debts/{debt['id']}/dispute", {"note": "wrong"})

    drain()

    assert emails_to(brevo, person) == []


def test_at_most_three_emails_a_week_per_debtor(account: Account, person: dict[str, Any], brevo: BrevoStandIn) -> None:
    from collectra import store
    from collectra.store import keys

    store.update(  # three reminders reached them this week, about other debts
        keys.debtor(account.workspace_id, person["id"]),
        "SET recent_reminders = :sent",
        values={":sent": ["2027-02-23T09:00:00Z", "2027-02-25T09:00:00Z", "2027-02-26T09:00:00Z"]},
    )
    new_debt(account, person["id"], due_on="2027-03-04")

    summary = cycle("2027-03-01T09:00:00+01:00")
    assert emails_to(brevo, person) == []
    assert summary["skipped"].get("weekly_limit", 0) >= 1
    cycle("2027-03-02T11:00:00+01:00")  # the 23 February email is now more than 7 days old

    assert len(emails_to(brevo, person)) == 1


def test_a_crash_between_brevos_answer_and_the_record_does_not_email_twice(
    account: Account, person: dict[str, Any], brevo: BrevoStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    from collectra.reminders import sender

    debt = new_debt(account, person["id"], due_on="2027-03-04")
    plan(at("2027-03-01T09:00:00+01:00"))
    record = sender._record_sent

    def crash(*args: Any, **kwargs: Any) -> None:
        monkeypatch.setattr(sender, "_record_sent", record)
        raise RuntimeError("the function died right after Brevo answered")

    monkeypatch.setattr(sender, "_record_sent", crash)
    first = deliver(receive())  # fails: the message stays on the queue
    drain()  # delivered again: same idempotency key, Brevo does not send it twice

    assert first["batchItemFailures"]
    assert len(emails_to(brevo, person)) == 1
    assert [e["type"] for e in timeline(account, debt)].count("reminder_sent") == 1


def test_brevo_rate_limiting_is_waited_out(account: Account, person: dict[str, Any], brevo: BrevoStandIn) -> None:
    new_debt(account, person["id"], due_on="2027-03-04")
    brevo.fail_next(429, 1)

    cycle("2027-03-01T09:00:00+01:00")
    drain()

    assert len(emails_to(brevo, person)) == 1


def test_two_planners_at_once_and_a_redelivered_message_still_send_one_email(
    account: Account, person: dict[str, Any], brevo: BrevoStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    from collectra.reminders import planner
    from collectra.store import keys

    debt = new_debt(account, person["id"], due_on="2027-03-04")
    now = at("2027-03-01T09:00:00+01:00")
    shard = keys.reminder_shard(person["id"])
    seen = [item for item in planner.due_in_shard(shard, now, None, planner.SLICE)[0] if item["id"] == debt["id"]]
    monkeypatch.setattr(planner, "due_in_shard", lambda at_shard, *_: (seen if at_shard == shard else [], None))
    plan(now)
    plan(now)  # the second planner read the same index before the first one's claims
    messages = receive()
    mine = [m for m in messages if any(c["debt_id"] == debt["id"] for c in bodies([m])[0]["claims"])]
    assert len(mine) == 1

    deliver(mine, delete=False)
    deliver(mine)  # SQS delivers it again

    assert len(emails_to(brevo, person)) == 1


def test_brevo_failing_then_recovering_sends_once(
    account: Account, person: dict[str, Any], brevo: BrevoStandIn
) -> None:
    new_debt(account, person["id"], due_on="2027-03-04")
    brevo.fail_next(500, 2)

    cycle("2027-03-01T09:00:00+01:00")

    assert len(emails_to(brevo, person)) == 1


def test_a_message_that_fails_is_counted_and_handed_back(
    account: Account, person: dict[str, Any], brevo: BrevoStandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    new_debt(account, person["id"], due_on="2027-03-04")
    brevo.fail_next(401, 1)  # Brevo refuses our key: nothing the debtor's address explains

    plan(at("2027-03-01T09:00:00+01:00"))
    capsys.readouterr()
    answer = deliver(receive())

    # The message comes back to the queue, and ReminderSenderFailedAlarm counts it.
    assert len(answer["batchItemFailures"]) == 1
    printed = capsys.readouterr().out.replace(" ", "")
    assert '"ReminderMessageFailed":[1.0]' in printed, printed[-2000:]
    cycle("2027-03-01T09:00:00+01:00")
    assert len(emails_to(brevo, person)) == 1


def test_an_invalid_address_stops_without_retrying(
    account: Account, person: dict[str, Any], brevo: BrevoStandIn
) -> None:
    debt = new_debt(account, person["id"], due_on="2027-03-04")
    brevo.fail_next(400, 1)

    plan(at("2027-03-01T09:00:00+01:00"))
    answer = deliver(receive())
    cycle("2027-03-08T09:00:00+01:00")

    assert answer.get("batchItemFailures") == []
    assert emails_to(brevo, person) == []
    assert [e for e in timeline(account, debt) if e["type"] == "reminder_sent"] == []


# ---------------------------------------------------------------- the policy and its routes


def test_the_default_policy_and_a_workspaces_own(account: Account) -> None:
    default = account.browser.call("GET", "/workspace/reminder-policy").json()
    assert [step["offset_days"] for step in default["steps"]] == [-3, 0, 3, 7, 14, 30]
    # Collectra's own wording comes with it, the starting point of the business's (the app keeps no copy).
    built_in = default["built_in_templates"]
    assert sorted(built_in) == ["de", "en", "fr"] and all(
        sorted(t) == ["final", "firm", "friendly", "promised"] for t in built_in.values()
    )
    assert built_in["fr"]["friendly"]["subject"] == "Un rappel de {{ creditor_name }}"

    own = {
        "steps": [
            {"offset_days": 0, "tone": "friendly", "template": "gentle"},
            {"offset_days": 10, "tone": "final", "template": "final"},
        ],
        "repeat_every_days": 14,
        "repeat_times": 2,
        "sending_days": [0, 1, 2, 3, 4, 5],
        "templates": {
            "gentle": {
                "en": {
                    "subject": "About {{ total_outstanding }}",
                    "text": "Hi {{ debtor_name }}: {{ pay_link }} / {{ opt_out_link }}",
                }
            }
        },
    }
    saved = account.browser.call("PUT", "/workspace/reminder-policy", own)
    assert saved.status == 200, saved.body
    assert account.browser.call("GET", "/workspace/reminder-policy").json()["repeat_every_days"] == 14


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Hi {{ debtor_name }} {{ pay_link }} {{ opt_out_link }} {{ bank_account }}", "unknown variable"),
        ("Hi {{ debtor_name }}, pay: {{ pay_link }}", "opt_out_link"),
        ("Hi {{ debtor_name }}, stop: {{ opt_out_link }}", "pay_link"),
    ],
)
def test_a_template_with_an_unknown_variable_or_without_its_links_is_refused(
    account: Account, text: str, reason: str
) -> None:
    policy = {
        "steps": [{"offset_days": 0, "tone": "friendly", "template": "mine"}],
        "templates": {"mine": {"en": {"subject": "Hello", "text": text}}},
    }
    answer = account.browser.call("PUT", "/workspace/reminder-policy", policy)
    assert answer.status == 422 and reason in answer.body
    assert account.browser.call("GET", "/workspace/reminder-policy").json()["steps"][0]["offset_days"] == -3


def test_a_preview_renders_subject_html_and_text_for_a_debt(account: Account, person: dict[str, Any]) -> None:
    debt = new_debt(account, person["id"], due_on="2027-03-04")

    answer = account.browser.call(
        "POST", "/workspace/reminder-templates/preview", {"template": "firm", "debt_id": debt["id"]}
    )

    assert answer.status == 200, answer.body
    body = answer.json()
    assert "Paiement en retard" in body["subject"] and debt["invoice_number"] in body["text"]
    assert "<html" in body["html"] and "Émile Zola" in body["html"]
    draft = account.browser.call(
        "POST", "/workspace/reminder-templates/preview", {"draft": {"subject": "x", "text": "{{ pay_link }}"}}
    )
    assert draft.status == 422 and "opt_out_link" in draft.body


def test_remind_now_queues_the_next_step_when_the_rules_allow_it(
    account: Account, person: dict[str, Any], brevo: BrevoStandIn, clock: Clock
) -> None:
    debt = new_debt(account, person["id"], due_on="2027-04-30")  # its first step is weeks away
    disputed = new_debt(account, person["id"], due_on="2027-04-30")
    account.browser.call("POST", f"/debts/{disputed['id']}/dispute", {"note": "no"})
    clock.now = at("2027-03-01T10:00:00+01:00")  # a Monday morning in Paris
    browser = account.new_browser()  # signed in at that time

    answer = browser.call("POST", f"/debts/{debt['id']}/remind")
    refused = browser.call("POST", "/debts/remind", {"debt_ids": [disputed["id"], "debt_nope"]})
    drain()

    assert answer.status == 202 and answer.json()["step"] == 0
    assert [(r["queued"], r["reason"]) for r in refused.json()["results"]] == [
        (False, "disputed"),
        (False, "not_found"),
    ]
    assert len(emails_to(brevo, person)) == 1
    clock.now = at("2027-03-01T22:30:00+01:00")
    late = account.new_browser().call("POST", f"/debts/{debt['id']}/remind").json()
    assert (late["queued"], late["reason"]) == (False, "outside_window")


def test_the_status_says_when_reminders_ran_and_what_comes_next(account: Account, person: dict[str, Any]) -> None:
    debt = new_debt(account, person["id"], due_on="2027-03-10")
    cycle("2027-03-01T09:00:00+01:00")

    status = account.browser.call("GET", "/workspace/reminders/status").json()

    assert status["engine_last_run_at"] and status["workspace_last_run_at"] == "2027-03-01T08:00:00Z"
    assert [(q["debt_id"], q["next_step"]) for q in status["next"]] == [(debt["id"], 0)]
    assert status["next"][0]["next_reminder_at"] == "2027-03-08T07:00:00Z"  # Sunday 7 March is not a sending day


def test_correcting_a_bounced_address_lifts_the_bounce_but_never_an_opt_out(
    account: Account, person: dict[str, Any]
) -> None:
    from collectra import store
    from collectra.store import keys

    key = keys.debtor(account.workspace_id, person["id"])
    for reason, lifted in (("hard_bounce", True), ("opted_out", False)):
        store.update(key, "SET email_suppressed = :why", values={":why": reason})
        current = account.browser.call("GET", f"/debtors/{person['id']}").json()
        fixed = account.browser.call(
            "PATCH", f"/debtors/{person['id']}", {"email": f"fixed-{reason}@example.fr", "version": current["version"]}
        )
        assert fixed.status == 200, fixed.body
        assert (fixed.json()["email_suppressed"] is None) is lifted


def test_a_debt_can_follow_its_own_steps_and_go_back_to_the_workspaces(
    account: Account, person: dict[str, Any], brevo: BrevoStandIn
) -> None:
    debt = new_debt(account, person["id"], due_on="2027-03-20")
    own = {"steps": [{"offset_days": -19, "tone": "firm", "template": "firm"}], "version": debt["version"]}

    answer = account.browser.call("PUT", f"/debts/{debt['id']}/reminder-steps", own)
    assert answer.status == 200, answer.body
    assert answer.json()["reminder_steps"]["steps"][0]["offset_days"] == -19
    stale = account.browser.call("PUT", f"/debts/{debt['id']}/reminder-steps", own)
    assert stale.status == 409
    unknown = {
        **own,
        "version": answer.json()["version"],
        "steps": [{"offset_days": 0, "tone": "firm", "template": "nope"}],
    }
    assert account.browser.call("PUT", f"/debts/{debt['id']}/reminder-steps", unknown).status == 422

    cycle("2027-03-01T09:00:00+01:00")  # the workspace's first step (-3) is weeks away; the debt's own is today

    [email] = emails_to(brevo, person)
    assert "Paiement en retard" in email["subject"]  # the firm template
    current = account.browser.call("GET", f"/debts/{debt['id']}").json()
    cleared = account.browser.call("DELETE", f"/debts/{debt['id']}/reminder-steps?version={current['version']}")
    assert cleared.status == 200 and cleared.json()["reminder_steps"] is None


def test_a_brevo_timeout_that_still_sent_the_email_is_not_sent_twice(
    account: Account, person: dict[str, Any], brevo: BrevoStandIn
) -> None:
    new_debt(account, person["id"], due_on="2027-03-04")
    brevo.delay_next(6)  # longer than the client's 5 s timeout; Brevo took the email all the same

    cycle("2027-03-01T09:00:00+01:00")

    assert len(emails_to(brevo, person)) == 1
