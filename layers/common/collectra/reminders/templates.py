"""Reminder emails: the built-in texts in English, French and German, a workspace's own, and rendering.

A template is a subject and a plain-text body written with Jinja2 placeholders from `VARIABLES` (and a
loop over `invoices`). It is rendered in a sandbox under a budget (`budget`: time, loops, sizes), so one
workspace's template can neither reach Python's internals nor hold back anyone else's reminders; the HTML
part is our own layout, autoescaped, so a debtor's or business's name can never become markup. A template
that names an unknown variable, or lacks the pay link or the opt-out link, is refused with the reason: a
reminder must always let the debtor pay and stop (`checking` also renders it with sample data first).
The HTML part is the same text in a plain layout with the invoices as a table, and no tracking pixel.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from collectra.reminders.budget import MAX_TEXT, TemplateRefused, budget
from collectra.workspaces.records import Workspace

if TYPE_CHECKING:
    from jinja2 import Template

    from collectra.reminders.sandbox import BudgetedEnvironment

VARIABLES = frozenset(
    {
        "debtor_name",
        "creditor_name",
        "creditor_address",
        # each: number, amount, paid, outstanding (= principal_outstanding), due_date, and the late-payment charges
        # (`reminders.charges`: interest, interest_rate, interest_days, compensation, total_due, charges), formatted
        "invoices",
        "total_outstanding",
        # Late-payment charges over all the invoices, empty unless the workspace claims some (`reminders.charges`).
        "late_charges",
        "interest_total",
        "compensation_total",
        "total_due",
        "pay_link",
        "contact_link",  # the debtor's page, where they can dispute, ask or promise a date
        "opt_out_link",
    }
)
REQUIRED = ("pay_link", "opt_out_link")
BUILT_IN_NAMES = ("friendly", "firm", "final")  # what a policy's steps may name
# The email of a broken promise (`collectra.reminders.promised`), never a policy's step; a workspace may write its
# own under this name. Only it is given these (the promised amount and date, formatted).
PROMISED = "promised"
PROMISE_VARIABLES = frozenset({"promised_amount", "promised_date"})


def variables_of(template: str) -> frozenset[str]:
    """What the template named `template` is given."""
    return VARIABLES | PROMISE_VARIABLES if template == PROMISED else VARIABLES


_INVOICE_LINES = (
    "{% for invoice in invoices %}- {{ invoice.number }}: {{ invoice.outstanding }} "
    "({{ invoice.due_label }} {{ invoice.due_date }})\n{% if invoice.charges %}  {{ invoice.charges }}\n{% endif %}"
    "{% endfor %}"
)
# The courteous sentence on late-payment charges, after the total outstanding; nothing when none are claimed.
_CHARGES = {
    "en": "{% if late_charges %} As payment is late, we kindly point out that the law on late payment also entitles "
    "{{ creditor_name }} to {{ late_charges }}, which brings the total due to {{ total_due }}. Your page shows how "
    "this is calculated.{% endif %}",
    "fr": "{% if late_charges %} Le paiement étant en retard, nous nous permettons de vous signaler que la loi "
    "permet aussi à {{ creditor_name }} de demander {{ late_charges }}, soit un total dû de {{ total_due }}. Votre "
    "page en détaille le calcul.{% endif %}",
    "de": "{% if late_charges %} Da die Zahlung im Verzug ist, weisen wir Sie freundlich darauf hin, dass "
    "{{ creditor_name }} gesetzlich auch Folgendes verlangen kann: {{ late_charges }}; insgesamt sind damit "
    "{{ total_due }} fällig. Wie dies berechnet ist, zeigt Ihre Seite.{% endif %}",
}

BUILT_IN: dict[str, dict[str, tuple[str, str]]] = {
    "en": {
        "friendly": (
            "A reminder from {{ creditor_name }}",
            "Hello {{ debtor_name }},\n\nThis is a friendly reminder from {{ creditor_name }} about:\n\n"
            + _INVOICE_LINES
            + "\nTotal outstanding: {{ total_outstanding }}."
            + _CHARGES["en"]
            + "\n\nYou can see the details and pay securely here: "
            "{{ pay_link }}\n\nIf you have already paid, or something is not right, tell us on the same page: "
            "{{ contact_link }}\n\nThank you,\n{{ creditor_name }}\n{{ creditor_address }}\n\n"
            "To stop these reminders: {{ opt_out_link }}",
        ),
        "firm": (
            "Payment overdue: {{ total_outstanding }} to {{ creditor_name }}",
            "Hello {{ debtor_name }},\n\nOur records show that the following is still unpaid:\n\n"
            + _INVOICE_LINES
            + "\nTotal outstanding: {{ total_outstanding }}."
            + _CHARGES["en"]
            + " Please pay it now: {{ pay_link }}\n\n"
            "If you cannot pay right away, tell us by when you can: {{ contact_link }}\n\n"
            "{{ creditor_name }}\n{{ creditor_address }}\n\nTo stop these reminders: {{ opt_out_link }}",
        ),
        "final": (
            "Final reminder: {{ total_outstanding }} to {{ creditor_name }}",
            "Hello {{ debtor_name }},\n\nThis is our final reminder about:\n\n"
            + _INVOICE_LINES
            + "\nTotal outstanding: {{ total_outstanding }}."
            + _CHARGES["en"]
            + " Please pay it or contact us without delay.\n\n"
            "Pay: {{ pay_link }}\nTalk to us: {{ contact_link }}\n\n{{ creditor_name }}\n{{ creditor_address }}\n\n"
            "To stop these reminders: {{ opt_out_link }}",
        ),
        "promised": (
            "You promised to pay {{ promised_amount }} by {{ promised_date }}",
            "Hello {{ debtor_name }},\n\nYou promised to pay {{ promised_amount }} by {{ promised_date }}, and we have "
            "not received it. This is still unpaid:\n\n"
            + _INVOICE_LINES
            + "\nTotal outstanding: {{ total_outstanding }}."
            + _CHARGES["en"]
            + " Please pay it now: {{ pay_link }}\n\n"
            "If something prevents you, tell us by when you can: {{ contact_link }}\n\n"
            "{{ creditor_name }}\n{{ creditor_address }}\n\nTo stop these reminders: {{ opt_out_link }}",
        ),
    },
    "fr": {
        "friendly": (
            "Un rappel de {{ creditor_name }}",
            "Bonjour {{ debtor_name }},\n\nPetit rappel de {{ creditor_name }} au sujet de\u00a0:\n\n"
            + _INVOICE_LINES
            + "\nTotal restant dû\u00a0: {{ total_outstanding }}."
            + _CHARGES["fr"]
            + "\n\nVous pouvez voir le détail et payer en toute "
            "sécurité ici\u00a0: {{ pay_link }}\n\nSi vous avez déjà payé, ou si quelque chose ne va pas, dites-le-"
            "nous sur la même page\u00a0: {{ contact_link }}\n\nMerci,\n{{ creditor_name }}\n{{ creditor_address }}"
            "\n\nPour ne plus recevoir ces rappels\u00a0: {{ opt_out_link }}",
        ),
        "firm": (
            "Paiement en retard\u00a0: {{ total_outstanding }} à {{ creditor_name }}",
            "Bonjour {{ debtor_name }},\n\nSelon nos registres, ceci reste impayé\u00a0:\n\n"
            + _INVOICE_LINES
            + "\nTotal restant dû\u00a0: {{ total_outstanding }}."
            + _CHARGES["fr"]
            + " Merci de le régler maintenant\u00a0: {{ pay_link }}"
            "\n\nSi vous ne pouvez pas payer tout de suite, indiquez-nous quand vous le pourrez\u00a0: "
            "{{ contact_link }}\n\n{{ creditor_name }}\n{{ creditor_address }}\n\n"
            "Pour ne plus recevoir ces rappels\u00a0: {{ opt_out_link }}",
        ),
        "final": (
            "Dernier rappel\u00a0: {{ total_outstanding }} à {{ creditor_name }}",
            "Bonjour {{ debtor_name }},\n\nCeci est notre dernier rappel au sujet de\u00a0:\n\n"
            + _INVOICE_LINES
            + "\nTotal restant dû\u00a0: {{ total_outstanding }}."
            + _CHARGES["fr"]
            + " Merci de le régler ou de nous contacter sans "
            "tarder.\n\nPayer\u00a0: {{ pay_link }}\nNous répondre\u00a0: {{ contact_link }}\n\n{{ creditor_name }}"
            "\n{{ creditor_address }}\n\nPour ne plus recevoir ces rappels\u00a0: {{ opt_out_link }}",
        ),
        "promised": (
            "Vous aviez promis de payer {{ promised_amount }} avant le {{ promised_date }}",
            "Bonjour {{ debtor_name }},\n\nVous aviez promis de payer {{ promised_amount }} avant le "
            "{{ promised_date }}, et nous n\u2019avons rien reçu. Ceci reste impayé\u00a0:\n\n"
            + _INVOICE_LINES
            + "\nTotal restant dû\u00a0: {{ total_outstanding }}."
            + _CHARGES["fr"]
            + " Merci de le régler maintenant\u00a0: {{ pay_link }}"
            "\n\nSi quelque chose vous en empêche, indiquez-nous quand vous le pourrez\u00a0: {{ contact_link }}\n\n"
            "{{ creditor_name }}\n{{ creditor_address }}\n\nPour ne plus recevoir ces rappels\u00a0: "
            "{{ opt_out_link }}",
        ),
    },
    "de": {
        "friendly": (
            "Eine Erinnerung von {{ creditor_name }}",
            "Hallo {{ debtor_name }},\n\n{{ creditor_name }} erinnert Sie freundlich an:\n\n"
            + _INVOICE_LINES
            + "\nOffen insgesamt: {{ total_outstanding }}."
            + _CHARGES["de"]
            + "\n\nDetails und sichere Zahlung: {{ pay_link }}\n\n"
            "Wenn Sie schon bezahlt haben oder etwas nicht stimmt, sagen Sie es uns auf derselben Seite: "
            "{{ contact_link }}\n\nVielen Dank,\n{{ creditor_name }}\n{{ creditor_address }}\n\n"
            "Keine weiteren Erinnerungen: {{ opt_out_link }}",
        ),
        "firm": (
            "Zahlung überfällig: {{ total_outstanding }} an {{ creditor_name }}",
            "Hallo {{ debtor_name }},\n\nLaut unseren Unterlagen ist Folgendes noch offen:\n\n"
            + _INVOICE_LINES
            + "\nOffen insgesamt: {{ total_outstanding }}."
            + _CHARGES["de"]
            + " Bitte zahlen Sie jetzt: {{ pay_link }}\n\n"
            "Wenn Sie nicht sofort zahlen können, sagen Sie uns, bis wann: {{ contact_link }}\n\n"
            "{{ creditor_name }}\n{{ creditor_address }}\n\nKeine weiteren Erinnerungen: {{ opt_out_link }}",
        ),
        "final": (
            "Letzte Erinnerung: {{ total_outstanding }} an {{ creditor_name }}",
            "Hallo {{ debtor_name }},\n\ndies ist unsere letzte Erinnerung an:\n\n"
            + _INVOICE_LINES
            + "\nOffen insgesamt: {{ total_outstanding }}."
            + _CHARGES["de"]
            + " Bitte zahlen Sie oder melden Sie sich umgehend.\n\n"
            "Bezahlen: {{ pay_link }}\nAntworten: {{ contact_link }}\n\n{{ creditor_name }}\n{{ creditor_address }}"
            "\n\nKeine weiteren Erinnerungen: {{ opt_out_link }}",
        ),
        "promised": (
            "Sie hatten zugesagt, {{ promised_amount }} bis {{ promised_date }} zu zahlen",
            "Hallo {{ debtor_name }},\n\nSie hatten zugesagt, {{ promised_amount }} bis {{ promised_date }} zu zahlen, "
            "doch bei uns ist nichts eingegangen. Noch offen ist:\n\n"
            + _INVOICE_LINES
            + "\nOffen insgesamt: {{ total_outstanding }}."
            + _CHARGES["de"]
            + " Bitte zahlen Sie jetzt: {{ pay_link }}\n\n"
            "Wenn Sie etwas daran hindert, sagen Sie uns, bis wann Sie zahlen können: {{ contact_link }}\n\n"
            "{{ creditor_name }}\n{{ creditor_address }}\n\nKeine weiteren Erinnerungen: {{ opt_out_link }}",
        ),
    },
}
DUE_LABEL = {"en": "due", "fr": "échéance", "de": "fällig am"}


@dataclass(frozen=True)
class Email:
    subject: str
    text: str
    html: str


# Jinja is imported by the first render or check, not with this module: the functions that only show a policy
# (its built-in texts) never render one (docs/decisions.md, the code's cold-start levers).
@cache
def _text_environment() -> BudgetedEnvironment:
    from collectra.reminders.sandbox import BudgetedEnvironment

    return BudgetedEnvironment()


@lru_cache(maxsize=256)  # a sender's batch, or a save's samples, render the same few sources many times
def _compiled(source: str) -> Template:
    return _text_environment().from_string(source)


@cache
def _html_layout() -> Template:
    # Our own layout, around text already rendered under its budget (and so at most MAX_TEXT long).
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    return SandboxedEnvironment(autoescape=True, undefined=StrictUndefined).from_string(_HTML)


def problems(subject: str, text: str, name: str = "") -> list[str]:
    """Why a workspace's template (named `name`) cannot be used; empty when it can."""
    from jinja2 import TemplateSyntaxError, meta

    found: list[str] = []
    names: set[str] = set()
    for part, source in (("subject", subject), ("text", text)):
        try:
            names |= meta.find_undeclared_variables(_text_environment().parse(source))
        except TemplateSyntaxError as error:
            found.append(f"{part}: {error.message} (line {error.lineno})")
    known = variables_of(name)
    unknown = sorted(names - known)
    if unknown:
        found.append(f"unknown variable(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    body_names: set[str] = set()
    with suppress(TemplateSyntaxError):
        body_names = meta.find_undeclared_variables(_text_environment().parse(text))
    for required in REQUIRED:
        if required not in body_names:
            found.append(f"the text must contain {{{{ {required} }}}}")
    return found


def source_of(workspace: Workspace, template: str, locale: str) -> tuple[str, str]:
    """(subject, text) of a named template in a locale: the workspace's own first, else the built-in one."""
    own = ((workspace.get("reminder_policy") or {}).get("templates") or {}).get(template) or {}
    if locale in own:
        return own[locale]["subject"], own[locale]["text"]
    if own:  # the workspace wrote it in other languages only: its first one beats a built-in text
        first = next(iter(own.values()))
        return first["subject"], first["text"]
    texts = BUILT_IN.get(locale) or BUILT_IN["en"]
    return texts.get(template) or texts["friendly"]


def render(subject: str, text: str, context: dict[str, Any], locale: str) -> Email:
    """The email; raises `TemplateRefused` (with a reason free of personal data) when the template fails or
    exceeds its budget, within the budget's time (or an enclosing one's, when a save checks many samples)."""
    rendered_subject, rendered_text = render_text(subject, text, context, locale)
    html = _html_layout().render(
        lang=locale, subject=rendered_subject, paragraphs=rendered_text.split("\n\n"), **context
    )
    return Email(rendered_subject, rendered_text, html)


def render_text(subject: str, text: str, context: dict[str, Any], locale: str) -> tuple[str, str]:
    """The subject (on one line) and the text: what the workspace wrote, rendered under its budget."""
    values = {**context, "invoices": [{**i, "due_label": DUE_LABEL.get(locale, "due")} for i in context["invoices"]]}
    with budget():
        rendered_subject = " ".join(_compiled(subject).render(values).split())
        rendered_text = _compiled(text).render(values)
    if len(rendered_subject) > MAX_TEXT or len(rendered_text) > MAX_TEXT:
        raise TemplateRefused(f"the email would be longer than {MAX_TEXT} characters")
    return rendered_subject, rendered_text


# The text's paragraphs, with links made clickable; nothing is loaded from anywhere (no image, no pixel).
_HTML = """<!doctype html>
<html lang="{{ lang }}"><head><meta charset="utf-8"><title>{{ subject }}</title></head>
<body style="font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a;max-width:40em">
{% for paragraph in paragraphs %}<p>{% for line in paragraph.split("\\n") %}{% for word in line.split(" ") %}
{%- if word.startswith("https://") or word.startswith("http://") %}<a href="{{ word }}">{{ word }}</a>
{%- else %}{{ word }}{% endif %}{% if not loop.last %} {% endif %}{% endfor %}{% if not loop.last %}<br>
{% endif %}{% endfor %}</p>
{% endfor %}</body></html>
"""
