import re
import subprocess
import sys
from dataclasses import dataclass, field, replace
from datetime import date
from html.parser import HTMLParser
from typing import Any

import pytest

from collectra.pages import (
    Creditor,
    DebtorPage,
    PageDebt,
    content_security_policy,
    new_style_nonce,
    render_debtor_page,
    render_not_found,
    render_rate_limited,
)
from collectra.pages.render import _environment

TODAY = date(2026, 11, 27)
TOKEN = "tok_4f9Qx2"
CSRF = "csrf-7b1d"
NONCE = "bm9uY2UtZm9yLXRlc3Rz"
NBSP = "\u00a0"

CREDITOR = Creditor(
    legal_name="Demo Plumbing Ltd",
    address_lines=["12 High Street", "London N1 9GU"],
    contact_email="accounts@demo-plumbing.example",
    sender_name="Anna Smith",
)


def debt(**changes: Any) -> PageDebt:
    values: dict[str, Any] = {
        "debt_id": "debt_1",
        "invoice_number": "INV-1001",
        "description": "Boiler repair",
        "amount_minor": 123456,
        "paid_minor": 0,
        "outstanding_minor": 123456,
        "currency": "EUR",
        "due_date": date(2026, 11, 20),
        "issued_date": date(2026, 10, 21),
        "status": "open",
        "days_overdue": 7,
    }
    return PageDebt(**{**values, **changes})


OVERDUE = debt()
PARTLY_PAID = debt(
    debt_id="debt_2",
    invoice_number="INV-1002",
    description=None,
    amount_minor=50000,
    paid_minor=20000,
    outstanding_minor=30000,
    due_date=date(2026, 12, 10),
    issued_date=None,
    status="partially_paid",
    days_overdue=0,
)
DISPUTED = debt(
    debt_id="debt_3",
    invoice_number="INV-1003",
    description="Call-out fee",
    amount_minor=1200,
    outstanding_minor=1200,
    currency="USD",
    due_date=date(2026, 11, 1),
    status="disputed",
    days_overdue=26,
)
PAID = debt(debt_id="debt_4", invoice_number="INV-0999", paid_minor=123456, outstanding_minor=0, status="paid")


def debtor_page(**changes: Any) -> DebtorPage:
    values: dict[str, Any] = {
        "locale": "en",
        "debtor_name": "Jane Doe",
        "creditor": CREDITOR,
        "debts": [OVERDUE, PARTLY_PAID, DISPUTED, PAID],
        "token": TOKEN,
        "csrf_token": CSRF,
        "payments_enabled": True,
        "style_nonce": NONCE,
        "today": TODAY,
    }
    return DebtorPage(**{**values, **changes})


@dataclass
class Form:
    action: str
    method: str
    controls: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def hidden(self) -> dict[str, str]:
        return {attrs["name"]: attrs["value"] for tag, attrs in self.controls if attrs.get("type") == "hidden"}


class Document(HTMLParser):
    """The parts of a rendered page the tests look at: tags with their attributes, forms, and the text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.forms: list[Form] = []
        self.labels_for: set[str] = set()
        self._text: list[str] = []
        self._form: Form | None = None
        self.feed(html)
        self.close()

    @property
    def text(self) -> str:
        return " ".join(" ".join(self._text).split())

    def all(self, tag: str) -> list[dict[str, str]]:
        return [attrs for name, attrs in self.tags if name == tag]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.tags.append((tag, values))
        if tag == "form":
            self._form = Form(action=values["action"], method=values["method"])
            self.forms.append(self._form)
        elif tag in ("input", "select", "textarea", "button") and self._form is not None:
            self._form.controls.append((tag, values))
        elif tag == "label":
            self.labels_for.add(values["for"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None

    def handle_data(self, data: str) -> None:
        self._text.append(data)


def rendered(**changes: Any) -> Document:
    return Document(render_debtor_page(debtor_page(**changes)))


def normalised(text: str) -> str:
    return text.replace(NBSP, " ").replace("\u202f", " ")


def test_page_lists_every_open_debt_and_leaves_settled_ones_out() -> None:
    text = rendered().text

    for invoice in ("INV-1001", "INV-1002", "INV-1003"):
        assert invoice in text
    assert "INV-0999" not in text
    assert "Boiler repair" in text
    assert "Call-out fee" in text


def test_each_debt_shows_original_paid_and_outstanding_amounts_and_dates() -> None:
    text = rendered().text

    assert "€500.00" in text  # original
    assert "€200.00" in text  # paid so far
    assert "€300.00" in text  # outstanding
    assert "21 October 2026" in text  # issued
    assert "10 December 2026" in text  # due


def test_totals_of_what_is_outstanding_are_given_per_currency() -> None:
    text = rendered().text

    assert "Total outstanding in EUR: €1,534.56" in text
    assert "Total outstanding in USD: $12.00" in text


def test_a_disputed_debt_is_under_review_and_not_called_overdue() -> None:
    text = rendered(debts=[DISPUTED]).text

    assert "Under review" in text
    assert "Overdue" not in text
    assert "reminders stop while Demo Plumbing Ltd reviews your answer" in text
    assert "keep sending reminders" not in text


@pytest.mark.parametrize(
    ("due_date", "days_overdue", "note"),
    [
        (date(2026, 11, 26), 1, "Overdue by 1 day"),
        (date(2026, 11, 20), 7, "Overdue by 7 days"),
        (date(2026, 11, 27), 0, "Due today"),
        (date(2026, 11, 28), 0, "Due in 1 day"),
        (date(2026, 12, 2), 0, "Due in 5 days"),
        # The caller's clock (the debtor's time zone) is behind ours: not overdue yet, so due today.
        (date(2026, 11, 26), 0, "Due today"),
    ],
)
def test_status_note_says_how_far_the_due_date_is(due_date: date, days_overdue: int, note: str) -> None:
    text = rendered(debts=[debt(due_date=due_date, days_overdue=days_overdue)]).text

    assert note in text


def test_nothing_overdue_means_a_reminder_may_come_before_the_due_date() -> None:
    text = rendered(debts=[PARTLY_PAID]).text

    assert "may send you a reminder shortly before an invoice is due" in text
    assert "keep sending reminders" not in text


def test_overdue_means_reminders_continue_until_paid_or_answered() -> None:
    text = rendered(debts=[OVERDUE]).text

    assert "will keep sending reminders by email until they are paid or you answer below" in text
    assert "shortly before an invoice is due" not in text


def test_payments_not_enabled_shows_how_to_pay_otherwise_and_no_pay_button() -> None:
    page = rendered(payments_enabled=False)

    assert not [form for form in page.forms if form.action.endswith("/pay")]
    assert "Demo Plumbing Ltd has not enabled online payment yet." in page.text
    assert "contact Demo Plumbing Ltd to agree on another way to pay" in page.text
    assert {"href": "mailto:accounts@demo-plumbing.example"} in page.all("a")


def test_payments_not_enabled_without_an_email_says_to_contact_the_business_directly() -> None:
    page = rendered(payments_enabled=False, creditor=replace(CREDITOR, contact_email=None))

    assert "please contact Demo Plumbing Ltd directly" in page.text
    assert not page.all("a")


def test_payments_enabled_offers_one_pay_form_per_undisputed_debt_and_pay_everything_per_currency() -> None:
    page = rendered()
    pay_forms = [form.hidden() for form in page.forms if form.action == f"/p/{TOKEN}/pay"]

    # debt_3 is disputed: it is not paid from the page while the business reviews it.
    assert [form.get("debt_id") for form in pay_forms if "debt_id" in form] == ["debt_1", "debt_2"]
    assert [form["currency"] for form in pay_forms if "currency" in form] == ["EUR"]
    assert "Pay everything in EUR" in page.text
    assert "Pay invoice INV-1002 (€300.00)" in page.text
    assert "online payment" not in page.text


def test_every_form_posts_to_the_link_and_carries_the_csrf_token() -> None:
    page = rendered()

    assert page.forms
    for form in page.forms:
        assert form.method == "post"
        assert form.action in (f"/p/{TOKEN}/pay", f"/p/{TOKEN}/answer")
        assert form.hidden()["csrf_token"] == CSRF
    assert [form.action for form in page.forms].count(f"/p/{TOKEN}/answer") == 1


def test_answer_form_asks_what_which_debt_a_message_and_a_date() -> None:
    page = rendered()
    (answer,) = [form for form in page.forms if form.action.endswith("/answer")]
    controls = {(tag, attrs.get("name"), attrs.get("type")) for tag, attrs in answer.controls}
    radios = [attrs["value"] for tag, attrs in answer.controls if attrs.get("type") == "radio"]
    options = [attrs["value"] for attrs in page.all("option")]
    (textarea,) = page.all("textarea")

    assert radios == ["dispute", "already_paid", "question", "promise"]
    assert {
        ("select", "debt_id", None),
        ("textarea", "message", None),
        ("input", "promise_date", "date"),
        ("input", "promise_amount", "text"),
    } <= controls
    assert options == ["all", "debt_1", "debt_2", "debt_3"]
    assert textarea["maxlength"] == "2000"
    assert page.all("fieldset")
    assert page.all("legend")
    for text in ("I dispute this", "I already paid", "I have a question", "I will pay by the date below"):
        assert text in page.text


def test_every_visible_control_has_a_label() -> None:
    page = rendered()
    visible = [
        attrs
        for form in page.forms
        for tag, attrs in form.controls
        if tag != "button" and attrs.get("type") != "hidden"
    ]

    assert len(visible) == 8  # four radios, the select, the message, the date and the amount
    for attrs in visible:
        assert attrs["id"] in page.labels_for


def test_whatever_people_typed_is_escaped() -> None:
    html = render_debtor_page(
        debtor_page(
            debtor_name="<script>alert(1)</script>",
            creditor=Creditor(
                legal_name='Evil "Corp" <b>',
                address_lines=["<img src=x onerror=alert(1)>"],
                contact_email='x"onmouseover="alert(1)@evil.example',
                sender_name=None,
            ),
            debts=[debt(invoice_number="<i>1</i>", description="</td><script>alert(2)</script>")],
        )
    )

    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img" not in html
    assert "<b>" not in html
    assert "<i>" not in html
    assert 'onmouseover="' not in html
    assert "Hello <script>alert(1)</script>," in Document(html).text


def test_the_token_cannot_break_out_of_the_form_action() -> None:
    page = rendered(token='a"/<b>')

    assert {form.action for form in page.forms} == {"/p/a%22%2F%3Cb%3E/pay", "/p/a%22%2F%3Cb%3E/answer"}


def test_the_page_loads_nothing_and_runs_nothing() -> None:
    html = render_debtor_page(debtor_page())
    page = Document(html)

    assert page.all("style") == [{"nonce": NONCE}]
    assert not page.all("script")
    assert not page.all("link")
    assert not page.all("img")
    assert not re.search(r"\s(style|src|on\w+)=", html)
    assert "url(" not in html
    assert "@import" not in html


def test_the_page_is_built_to_be_read_by_anyone() -> None:
    page = rendered()

    assert page.all("html") == [{"lang": "en", "dir": "ltr"}]
    assert {"name": "viewport", "content": "width=device-width, initial-scale=1"} in page.all("meta")
    assert {"name": "robots", "content": "noindex, nofollow"} in page.all("meta")
    assert len(page.all("h1")) == 1
    assert len(page.all("caption")) == 1
    assert [attrs["scope"] for attrs in page.all("th")].count("col") == 8
    assert [attrs["scope"] for attrs in page.all("th")].count("row") == 3


def test_header_says_who_is_asking_and_on_whose_behalf() -> None:
    page = rendered()

    assert "Demo Plumbing Ltd 12 High Street London N1 9GU" in page.text
    assert "Contact: Anna Smith" in page.text
    assert "This page belongs to Demo Plumbing Ltd and is shown by Collectra on its behalf." in page.text
    assert "Hello Jane Doe," in page.text
    assert "This link is personal to you: please do not share it." in page.text


def test_nothing_owed_is_said_kindly_and_offers_no_forms() -> None:
    for debts in ([], [PAID], [debt(status="cancelled")]):
        page = rendered(debts=debts)

        assert "Good news: you do not owe Demo Plumbing Ltd anything right now." in page.text
        assert not page.forms
        assert not page.all("table")


def test_an_answer_received_notice_is_shown_at_the_top() -> None:
    page = rendered(notice="answer_received_dispute")

    assert {"class": "notice", "role": "status"} in page.all("div")
    assert "Demo Plumbing Ltd has received your dispute and will review it" in page.text


def test_an_unknown_notice_is_ignored() -> None:
    assert rendered(notice="<script>").text == rendered(notice=None).text


@pytest.mark.parametrize(
    ("locale", "words"),
    [
        ("fr", ["Bonjour Jane Doe,", "Facture", "Reste à payer", "En retard de 7 jours", "20 novembre 2026"]),
        ("de", ["Guten Tag Jane Doe,", "Rechnung", "Bereits bezahlt", "Seit 7 Tagen überfällig", "20. November 2026"]),
        ("en", ["Hello Jane Doe,", "Invoice", "Paid so far", "Overdue by 7 days", "20 November 2026"]),
    ],
)
def test_each_locale_writes_its_own_language(locale: str, words: list[str]) -> None:
    page = rendered(locale=locale)
    text = normalised(page.text)

    assert page.all("html")[0]["lang"] == locale
    for word in words:
        assert word in text
    if locale != "en":
        for english in ("Hello", "Invoice", "Outstanding", "Overdue", "What happens next"):
            assert english not in text


def test_french_amounts_are_french() -> None:
    text = normalised(rendered(locale="fr").text)

    assert "Total restant à payer en EUR : 1 534,56 €" in text


def test_an_unsupported_locale_gets_english() -> None:
    assert render_debtor_page(debtor_page(locale="es")) == render_debtor_page(debtor_page(locale="en"))


def test_not_found_is_the_same_page_whatever_was_asked() -> None:
    english = render_not_found("en", NONCE)

    for locale in ("", "xx", "../../etc/passwd", "<script>", "EN"):
        assert render_not_found(locale, NONCE) == english
    assert render_not_found("en", "b3RoZXI").replace('nonce="b3RoZXI"', f'nonce="{NONCE}"') == english
    assert "This link does not work" in Document(english).text
    assert "/p/" not in english


def test_not_found_and_rate_limited_pages_speak_the_locale() -> None:
    assert "Ce lien ne fonctionne pas" in Document(render_not_found("fr", NONCE)).text
    assert "Dieser Link funktioniert nicht" in Document(render_not_found("de", NONCE)).text
    assert "Zu viele Anfragen" in Document(render_rate_limited("de", NONCE)).text
    limited = Document(render_rate_limited("en", NONCE))
    assert limited.all("html") == [{"lang": "en", "dir": "ltr"}]
    assert "Please wait a minute, then try again." in limited.text
    assert len(limited.all("h1")) == 1
    assert not limited.all("script")


def test_a_nonce_that_a_header_cannot_carry_is_refused() -> None:
    with pytest.raises(ValueError, match="nonce"):
        render_not_found("en", "a\"b'")
    with pytest.raises(ValueError, match="nonce"):
        render_debtor_page(debtor_page(style_nonce=""))


def test_the_policy_allows_only_the_nonced_style_and_forms_to_this_site_and_stripe() -> None:
    nonce = new_style_nonce()
    policy = content_security_policy(nonce)

    assert len(nonce) >= 22
    assert nonce != new_style_nonce()
    assert "default-src 'none'" in policy
    assert f"style-src 'nonce-{nonce}'" in policy
    assert "form-action 'self' https://checkout.stripe.com" in policy
    assert "unsafe-inline" not in policy
    assert "script-src" not in policy


def test_templates_are_compiled_once_with_escaping_and_strict_undefined() -> None:
    from jinja2 import StrictUndefined

    environment = _environment()

    assert environment is _environment()
    assert environment.autoescape is True
    assert environment.undefined is StrictUndefined


def test_importing_the_package_does_not_import_jinja() -> None:
    code = "import sys, collectra.pages; sys.exit('jinja2' in sys.modules)"

    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_a_sample_page_reads_as_a_whole() -> None:
    text = rendered().text

    assert text.index("Hello Jane Doe") < text.index("Open invoices") < text.index("What happens next")
    assert text.index("What happens next") < text.index("How to pay") < text.index("Answer Demo Plumbing Ltd")
