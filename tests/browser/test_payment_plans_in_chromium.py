"""A payment plan in a real browser, from the debtor's proposal to its breaking (issue 18's "Done when").

A business turns payment plans on in the web app's settings (auto-approve, 3 grace days). Its debtor opens their
page on a phone and proposes 3 monthly instalments from today: within the rules, the plan starts at once. They pay
the first by card through the Stripe stand-in's Checkout, then set up automatic collection (a setup-mode Checkout
saving Stripe's test card 4242). The business reads the plan on the debt's screen. The local stack's clock then
moves a month: the instalment scheduler, invoked with that moment as its Scheduled Event's time (what
`make remind NOW=...` does), charges the second instalment off-session, and the stand-in's webhook settles it. The
debtor swaps their card for one Stripe declines (4000000000000341: automatic collection off, then on again); on the
third instalment's date the charge fails (the inbox and the timeline say so), and once the grace days are over
the scheduler breaks the plan. The business sees it broken on the debt's screen, and in the inbox.

A second journey goes the other way: the business offers two weekly instalments from the debt's screen (the
schedule previewed as the API splits it), the debtor accepts the offer on their page, the business cancels it.

Only the instalment scheduler is run at the moved clock, not the reminder planner: that one would email every
other test's debtors at a future moment. The API's own clock stays today: what the scheduler does at the moved
moment is stored (instalments paid, the plan broken), so the screens read it whatever day they think it is.
"""

from __future__ import annotations

import calendar
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

from local.client import WebClient
from local.dev import RunningStack
from local.gateway import Gateway
from local.seed import _connect_stripe
from tests.browser.app import App, normalised, poll

pytestmark = pytest.mark.browser

ZONE = "Europe/Berlin"
AMOUNT = 30_000  # EUR 300.00: three instalments of EUR 100.00
GRACE_DAYS = 3
DECLINED_CARD = "0341"  # Stripe's 4000000000000341: saved fine, every charge declined


def _add_month(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's end (the plan's "every month")."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class Business:
    """A business signed up through the API, Stripe connected, with one overdue debt and its debtor's page."""

    def __init__(self, gateway: Gateway) -> None:
        self.client = WebClient(gateway.url)
        tag = uuid.uuid4().hex[:8]
        self.email, self.password = f"plans-{tag}@example.com", f"payment-plans-{tag}-pass"
        signup = {"email": self.email, "password": self.password, "name": "Owner", "workspace_name": f"Plans {tag}"}
        assert self.client.call("POST", "/auth/signup", signup).status == 201
        settings = {"legal_name": f"Plans {tag} GmbH", "time_zone": ZONE, "locale": "en"}
        assert self.client.call("PATCH", "/workspace", settings).status == 200
        _connect_stripe(self.client, gateway.stripe.url)  # type: ignore[attr-defined]
        self.debtor_email = f"debtor-{tag}@example.com"
        answer = self.client.call(
            "POST",
            "/debtors",
            {"name": "Ada Lovelace", "email": self.debtor_email, "locale": "en", "time_zone": ZONE},
        )
        assert answer.status == 201, answer.body
        self.debtor = answer.json()
        body = {
            "debtor_id": self.debtor["id"],
            "invoice_number": f"PLAN-{tag}",
            "amount": AMOUNT,
            "currency": "EUR",
            "due_on": (self.today() - timedelta(days=10)).isoformat(),
        }
        answer = self.client.call("POST", "/debts", body)
        assert answer.status == 201, answer.body
        self.debt = answer.json()
        link = self.client.call("POST", f"/debtors/{self.debtor['id']}/link")
        assert link.status in (200, 201), link.body
        self.page = f"{gateway.url}{urlsplit(link.json()['url']).path}"

    def today(self) -> date:
        return datetime.now(UTC).astimezone(ZoneInfo(ZONE)).date()

    def read(self, path: str) -> Any:
        answer = self.client.call("GET", path)
        assert answer.status == 200, (path, answer.body)
        return answer.json()

    def plans(self) -> list[dict[str, Any]]:
        return list(self.read(f"/debtors/{self.debtor['id']}/plans")["items"])

    def plan(self, plan_id: str) -> dict[str, Any]:
        return dict(self.read(f"/plans/{plan_id}"))

    def inbox(self, kind: str) -> list[dict[str, Any]]:
        return list(self.read(f"/workspace/inbox?kind={kind}&state=open")["items"])


# ---------------------------------------------------------------------------------------------- the business


def _sign_in(app: App, business: Business) -> None:
    app.forget_everything()
    app.open("sign-in")
    app.fill("Email", business.email)
    app.fill("Password", business.password)
    app.click("button", "Sign in")
    app.wait_url("/app")
    app.heading("Home")


def _turn_plans_on(app: App, business: Business) -> None:
    """The owner lets debtors propose plans, starting at once within the rules, 3 grace days."""
    app.open("account")
    app.heading("Payment plans")
    app.click("checkbox", "Debtors may propose a payment plan on their page")
    app.click("checkbox", "Start a proposal within the rules at once", exact=False)
    app.fill("Grace days before a plan breaks", str(GRACE_DAYS))
    app.click("button", "Save payment-plan rules")
    app.wait_text("Payment-plan rules saved.")
    app.axe("account-payment-plans")
    rules = business.read("/workspace")["payment_plans"]
    assert (rules["enabled"], rules["auto_approve"], rules["grace_days"]) == (True, True, GRACE_DAYS), rules


def _read_the_plan_in_the_app(app: App, business: Business, *texts: str) -> None:
    app.open(f"debts/{business.debt['id']}")
    app.wait_text(*texts)


# ---------------------------------------------------------------------------------------------- the debtor


def _form(phone: webdriver.Chrome, action_end: str, **inputs: str) -> WebElement:
    """The page's form posting to `.../<action_end>` holding these hidden inputs' values."""

    def found(_: Any) -> WebElement | bool:
        for form in phone.find_elements(By.CSS_SELECTOR, f"form[action$='{action_end}']"):
            values = {
                name: [i.get_attribute("value") for i in form.find_elements(By.CSS_SELECTOR, f"[name='{name}']")]
                for name in inputs
            }
            if all(value in values[name] for name, value in inputs.items()):
                return form
        return False

    return WebDriverWait(phone, 10).until(found, f"no form posting to {action_end} with {inputs}")  # type: ignore[return-value]


def _submit(phone: webdriver.Chrome, form: WebElement, action: str | None = None) -> None:
    buttons = form.find_elements(By.CSS_SELECTOR, "button[type=submit], button:not([type])")
    if action is not None:
        buttons = [b for b in buttons if b.get_attribute("value") in (action, None, "")] or buttons
    assert buttons, "the form has no submit button"
    phone.execute_script("arguments[0].scrollIntoView({block: 'center'})", buttons[0])
    buttons[0].click()


def _set(phone: webdriver.Chrome, form: WebElement, name: str, value: str) -> None:
    """A field's value as the debtor would pick it (a date input set directly: typing one is locale-bound)."""
    field = form.find_element(By.CSS_SELECTOR, f"[name='{name}']")
    if field.get_attribute("type") == "radio":
        form.find_element(By.CSS_SELECTOR, f"[name='{name}'][value='{value}']").click()
    elif field.tag_name == "select":
        Select(field).select_by_value(value)
    else:
        phone.execute_script(
            "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change', {bubbles: true}))",
            field,
            value,
        )


def _propose(phone: webdriver.Chrome, business: Business, first: date) -> None:
    phone.get(business.page)
    form = _form(phone, "/plan", action="propose")
    debt_field = form.find_element(By.CSS_SELECTOR, "[name='debt_id']")
    if debt_field.tag_name == "select" or debt_field.get_attribute("type") != "hidden":
        _set(phone, form, "debt_id", business.debt["id"])
    _set(phone, form, "count", "3")
    _set(phone, form, "first_due_on", first.isoformat())
    _set(phone, form, "every", "month")
    _submit(phone, form, "propose")
    WebDriverWait(phone, 10).until(expected_conditions.url_contains("notice=plan_started"))


def _pay_the_first_by_card(phone: webdriver.Chrome, plan_id: str) -> None:
    _submit(phone, _form(phone, "/pay", plan_id=plan_id))
    WebDriverWait(phone, 10).until(expected_conditions.url_contains("/checkout/cs_"))
    assert "100.00" in phone.find_element(By.ID, "total").text
    phone.find_element(By.ID, "pay").click()  # the stand-in's webhook settles it before the way back
    WebDriverWait(phone, 10).until(expected_conditions.url_contains("?payment=pay_"))


def _automatic(phone: webdriver.Chrome, business: Business, plan_id: str, card: str) -> None:
    """Automatic collection on, saving the test card ending `card` on the stand-in's setup-mode Checkout."""
    phone.get(business.page)
    _submit(phone, _form(phone, "/plan/automatic", plan_id=plan_id, action="on"), "on")
    WebDriverWait(phone, 10).until(expected_conditions.url_contains("/checkout/cs_"))
    phone.find_element(By.ID, f"card-{card}").click()
    WebDriverWait(phone, 10).until(lambda driver: urlsplit(driver.current_url).path == urlsplit(business.page).path)


def _automatic_off(phone: webdriver.Chrome, business: Business, plan_id: str) -> None:
    phone.get(business.page)
    _submit(phone, _form(phone, "/plan/automatic", plan_id=plan_id, action="off"), "off")
    WebDriverWait(phone, 10).until(lambda driver: urlsplit(driver.current_url).path == urlsplit(business.page).path)


# ---------------------------------------------------------------------------------------------- the clock


def _move_clock(stack: RunningStack, day: date) -> None:
    """The instalment scheduler at 10:00 on `day` in the business's zone (its Scheduled Event's `time`), then
    the queues drained (the debtor's plan emails), as `make remind NOW=...` runs it."""
    moment = datetime.combine(day, time(10), ZoneInfo(ZONE)).astimezone(UTC)
    instalments = [
        scheduled
        for scheduled in stack.events.scheduler.functions
        if "instalments" in scheduled.function.handler or "plans" in scheduled.function.code_uri
    ]
    assert instalments, "the template has no instalment scheduler (i18-sched's functions/plans/instalments.py)"
    for scheduled in instalments:
        outcome = stack.events.scheduler.invoke(scheduled, moment)
        assert outcome.ok, outcome.error
    stack.events.drain(60)


def _when(
    business: Business, plan_id: str, holds: Callable[[dict[str, Any]], bool], what: str, timeout: float = 15
) -> dict[str, Any]:
    """The plan once `holds` is true of it (webhooks and queues take their time), or fail saying `what`."""

    def read() -> dict[str, Any] | None:
        plan = business.plan(plan_id)
        return plan if holds(plan) else None

    return poll(read, f"never: {what}", timeout)


# ---------------------------------------------------------------------------------------------- the journey


def test_a_debtor_proposes_a_plan_pays_by_card_then_automatically_and_a_declined_third_breaks_it(
    app: App, chromium: webdriver.Chrome, gateway: Gateway, local_stack: RunningStack
) -> None:
    app.violations.clear()
    business = Business(gateway)
    _sign_in(app, business)
    _turn_plans_on(app, business)
    today = business.today()
    dates = [_add_month(today, months) for months in range(3)]

    # The debtor proposes 3 monthly instalments from today: within the rules, it starts at once.
    _propose(chromium, business, today)
    (plan,) = business.plans()
    assert plan["status"] == "active", plan
    assert [(i["due_on"], i["amount"]) for i in plan["instalments"]] == [(d.isoformat(), 10_000) for d in dates]
    assert business.read(f"/debts/{business.debt['id']}")["status"] == "in_plan"

    _pay_the_first_by_card(chromium, plan["id"])
    _when(business, plan["id"], lambda p: p["paid"] == 10_000, "the first instalment booked")
    _automatic(chromium, business, plan["id"], "4242")
    plan = _when(business, plan["id"], lambda p: p["collection"]["mode"] == "automatic", "automatic collection on")
    assert (plan["collection"]["method"] or {}).get("last4") == "4242", plan["collection"]

    # The business reads it on the debt's screen.
    _read_the_plan_in_the_app(
        app, business, "In a payment plan", "Payment plan", "Active", "Charged automatically on each date", "•••• 4242"
    )
    app.axe("debt-payment-plan")

    # A month later the scheduler charges the second instalment off-session; the webhook books it.
    _move_clock(local_stack, dates[1])
    _when(business, plan["id"], lambda p: p["paid"] == 20_000, "the second instalment charged", timeout=30)
    assert [i["status"] for i in business.plan(plan["id"])["instalments"]][:2] == ["paid", "paid"]

    # The debtor's card changes to one Stripe declines; on the third date its charge fails.
    _automatic_off(chromium, business, plan["id"])
    _automatic(chromium, business, plan["id"], DECLINED_CARD)
    _when(business, plan["id"], lambda p: (p["collection"]["method"] or {}).get("last4") == DECLINED_CARD, "the card")
    _move_clock(local_stack, dates[2])
    failed = poll(lambda: business.inbox("instalment_failed"), "no inbox item for the failed charge", 30)
    assert failed[0]["debtor_id"] == business.debtor["id"]
    timeline = business.read(f"/debts/{business.debt['id']}/timeline")["items"]
    assert "instalment_charge_failed" in [entry["type"] for entry in timeline]
    assert business.plan(plan["id"])["status"] == "active"  # within the grace days it holds

    # Once the grace days are over, the plan breaks: what remains is due, normal reminders resume.
    _move_clock(local_stack, dates[2] + timedelta(days=GRACE_DAYS + 1))
    broken = _when(business, plan["id"], lambda p: p["status"] == "broken", "the plan broken", timeout=30)
    assert (broken["paid"], broken["end_reason"]) == (20_000, "broken")
    debt = business.read(f"/debts/{business.debt['id']}")
    assert (debt["status"], debt["amount_outstanding"], debt["plan"]) == ("partially_paid", 10_000, None)
    assert business.inbox("plan_broken"), "no inbox item for the broken plan"

    # The business sees it broken on the debt's screen, and in the inbox.
    _read_the_plan_in_the_app(app, business, "Last payment plan", "Broken", "Payment plan broken")
    app.axe("debt-payment-plan-broken")
    app.open("inbox?kind=plan_broken")
    app.wait_text("Payment plan broken", "Ada Lovelace")
    app.axe("inbox-plan-broken")
    assert normalised(app.text()).count("Payment plan broken") >= 1
    assert not app.violations, "axe found serious or critical violations:\n" + "\n".join(map(str, app.violations))


def test_the_business_offers_a_plan_on_the_debts_screen_the_debtor_accepts_it_and_the_business_cancels_it(
    app: App, chromium: webdriver.Chrome, gateway: Gateway
) -> None:
    app.violations.clear()
    business = Business(gateway)
    _sign_in(app, business)
    today = business.today()

    # Two weekly instalments from today, the schedule previewed as the API will split it.
    app.open(f"debts/{business.debt['id']}")
    app.click("button", "Offer a payment plan")
    # Typed over a selection, not clear() then typed: React does not see clear(), and a render between the two
    # (a loaded machine) puts the 3 back, so the field read "32" and the preview never came.
    instalments = app.field("Instalments")
    instalments.send_keys(Keys.CONTROL, "a")
    instalments.send_keys("2")
    app.wait(lambda: instalments.get_attribute("value") == "2" or None, "the instalments field did not take 2")
    Select(app.field("Every")).select_by_visible_text("Week")
    app.wait(
        lambda: (
            [app.field(f"Amount of instalment {n} (EUR)").get_attribute("value") for n in (1, 2)]
            == ["150.00", "150.00"]
            or None
        ),
        "the preview never showed two equal instalments",
    )
    app.axe("debt-offer-plan")
    app.click("button", "Offer the plan")
    app.wait_text("Plan offered: the debtor is emailed", "Offered", "Withdraw the offer")
    (plan,) = business.plans()
    assert (plan["status"], plan["proposed_by"]) == ("offered", "business"), plan
    assert [(i["due_on"], i["amount"]) for i in plan["instalments"]] == [
        (today.isoformat(), 15_000),
        ((today + timedelta(days=7)).isoformat(), 15_000),
    ]

    # The debtor accepts it on their page: it starts.
    chromium.get(business.page)
    _submit(chromium, _form(chromium, "/plan", action="accept", plan_id=plan["id"]), "accept")
    WebDriverWait(chromium, 10).until(expected_conditions.url_contains("notice=plan_accepted"))
    assert business.plan(plan["id"])["status"] == "active"

    # The business cancels it: the debt follows its own due date again.
    app.open(f"debts/{business.debt['id']}")
    app.wait_text("In a payment plan", "Active")
    app.click("button", "Cancel the plan")
    dialog = app.wait(
        lambda: app.driver.find_element(By.CSS_SELECTOR, "dialog[open]") or None, "no confirmation dialog"
    )
    dialog.find_element(By.CSS_SELECTOR, "textarea").send_keys("Paid by transfer instead")
    [confirm] = [b for b in dialog.find_elements(By.TAG_NAME, "button") if normalised(b.text) == "Cancel the plan"]
    confirm.click()
    app.wait_text("Cancelled", "Paid by transfer instead")
    cancelled = business.plan(plan["id"])
    assert (cancelled["status"], cancelled["reason"]) == ("cancelled", "Paid by transfer instead"), cancelled
    assert business.read(f"/debts/{business.debt['id']}")["status"] == "open"
    assert not app.violations, "axe found serious or critical violations:\n" + "\n".join(map(str, app.violations))
