# ruff: noqa: RUF001  (typographic apostrophes and quotes are intended: this is text for people to read)
"""The debtor's payment-plan emails, in English, French and German (`collectra.reminders.plan_notices` sends them).

Each language has the same keys and each text the same `{placeholders}` (a test holds them to it). Plain text,
never HTML: the HTML part escapes every line. French puts a no-break space before ":" (written as an escape).
Tone: plain and courteous, as the reminders and the debtor's page; an email states what is agreed, what is due
and when, and where to pay; it never threatens.
"""

from __future__ import annotations

from collections.abc import Mapping

from collectra.pages.formatting import resolve_locale

EN: Mapping[str, str] = {
    "greeting": "Hello {name},",
    "schedule": "Your instalments:",
    "line": "- {date}: {amount}",
    "line_paid": "- {date}: {amount} (paid)",
    "page": "Your page, to pay or to write to {creditor}: {link}",
    "opt_out": "To receive no more emails from {creditor} through Collectra: {link}",
    "thanks": "Thank you,\n{creditor}",
    "method_card": "card ending {last4}",
    "method_sepa_debit": "bank account ending {last4}",
    "method_other": "saved payment method",
    "plan_started_subject": "Your payment plan with {creditor} has started",
    "plan_started_intro": "Thank you: your payment plan with {creditor} for {total} has started. While you keep to "
    "it, you will receive no other reminder about these invoices.",
    "plan_offered_subject": "{creditor} offers you a payment plan",
    "plan_offered_intro": "{creditor} offers to let you pay {total} in {count} instalments. If it suits you, you can "
    "accept it on your page.",
    "plan_declined_subject": "Your proposed payment plan with {creditor}",
    "plan_declined_intro": "{creditor} could not accept the payment plan you proposed. Your invoices are unchanged; "
    "your page shows them, and you can pay or write to {creditor} there.",
    "plan_declined_reason": "Their note: {reason}",
    "instalment_upcoming_subject": "Instalment {number} of your payment plan: {amount} on {date}",
    "instalment_upcoming_intro": "A courteous note: instalment {number} of your payment plan with {creditor}, "
    "{amount}, is due on {date}.",
    "instalment_upcoming_manual": "You can pay it on your page.",
    "instalment_upcoming_automatic": "It will be collected from your {method} on that day; you need do nothing.",
    "instalment_missed_subject": "Instalment {number} of your payment plan is still unpaid",
    "instalment_missed_intro": "We have not yet received instalment {number} of your payment plan with {creditor} "
    "({amount}, due on {date}). Please pay it by {last_day} to keep your plan; after that, the plan ends and what "
    "remains becomes due at once.",
    "plan_broken_subject": "Your payment plan with {creditor} has ended",
    "plan_broken_intro": "As instalment {number} was not paid, your payment plan with {creditor} has ended, and what "
    "remains, {remaining}, is now due. You can still pay it, or write to {creditor}, on your page.",
    "plan_completed_subject": "Your payment plan with {creditor} is complete",
    "plan_completed_intro": "Thank you: everything your payment plan with {creditor} covered, {total}, is paid.",
    "instalment_charge_failed_subject": "Instalment {number} of your payment plan could not be collected",
    "instalment_charge_failed_intro": "We could not collect instalment {number} of your payment plan with "
    "{creditor} ({amount}) from your {method}. Please pay it on your page by {last_day} to keep your plan.",
}

FR: Mapping[str, str] = {
    "greeting": "Bonjour {name},",
    "schedule": "Vos échéances\u00a0:",
    "line": "- {date}\u00a0: {amount}",
    "line_paid": "- {date}\u00a0: {amount} (payée)",
    "page": "Votre page, pour payer ou écrire à {creditor}\u00a0: {link}",
    "opt_out": "Pour ne plus recevoir d’e-mails de {creditor} par Collectra\u00a0: {link}",
    "thanks": "Merci,\n{creditor}",
    "method_card": "carte se terminant par {last4}",
    "method_sepa_debit": "compte bancaire se terminant par {last4}",
    "method_other": "moyen de paiement enregistré",
    "plan_started_subject": "Votre échéancier avec {creditor} a commencé",
    "plan_started_intro": "Merci\u00a0: votre échéancier avec {creditor} pour {total} a commencé. Tant que vous le "
    "respectez, vous ne recevrez pas d’autre rappel pour ces factures.",
    "plan_offered_subject": "{creditor} vous propose un échéancier",
    "plan_offered_intro": "{creditor} vous propose de payer {total} en {count} échéances. S’il vous convient, vous "
    "pouvez l’accepter sur votre page.",
    "plan_declined_subject": "L’échéancier que vous avez proposé à {creditor}",
    "plan_declined_intro": "{creditor} n’a pas pu accepter l’échéancier que vous avez proposé. Vos factures restent "
    "inchangées\u00a0; votre page les présente, et vous pouvez y payer ou écrire à {creditor}.",
    "plan_declined_reason": "Leur message\u00a0: {reason}",
    "instalment_upcoming_subject": "Échéance {number} de votre échéancier\u00a0: {amount} le {date}",
    "instalment_upcoming_intro": "Pour mémoire\u00a0: l’échéance {number} de votre échéancier avec {creditor}, "
    "{amount}, arrive le {date}.",
    "instalment_upcoming_manual": "Vous pouvez la régler sur votre page.",
    "instalment_upcoming_automatic": "Elle sera prélevée ce jour-là sur votre {method}\u00a0; vous n’avez rien à "
    "faire.",
    "instalment_missed_subject": "L’échéance {number} de votre échéancier reste impayée",
    "instalment_missed_intro": "Nous n’avons pas encore reçu l’échéance {number} de votre échéancier avec "
    "{creditor} ({amount}, due le {date}). Merci de la régler d’ici le {last_day} pour conserver votre "
    "échéancier\u00a0; au-delà, il prend fin et le reste devient exigible immédiatement.",
    "plan_broken_subject": "Votre échéancier avec {creditor} a pris fin",
    "plan_broken_intro": "L’échéance {number} n’ayant pas été réglée, votre échéancier avec {creditor} a pris fin, "
    "et le reste, {remaining}, est désormais dû. Vous pouvez toujours le régler, ou écrire à {creditor}, sur "
    "votre page.",
    "plan_completed_subject": "Votre échéancier avec {creditor} est soldé",
    "plan_completed_intro": "Merci\u00a0: tout ce que couvrait votre échéancier avec {creditor}, {total}, est payé.",
    "instalment_charge_failed_subject": "L’échéance {number} de votre échéancier n’a pas pu être prélevée",
    "instalment_charge_failed_intro": "Nous n’avons pas pu prélever l’échéance {number} de votre échéancier avec "
    "{creditor} ({amount}) sur votre {method}. Merci de la régler sur votre page d’ici le {last_day} pour "
    "conserver votre échéancier.",
}

DE: Mapping[str, str] = {
    "greeting": "Guten Tag {name},",
    "schedule": "Ihre Raten:",
    "line": "- {date}: {amount}",
    "line_paid": "- {date}: {amount} (bezahlt)",
    "page": "Ihre Seite, um zu zahlen oder {creditor} zu schreiben: {link}",
    "opt_out": "Um keine E-Mails von {creditor} über Collectra mehr zu erhalten: {link}",
    "thanks": "Vielen Dank,\n{creditor}",
    "method_card": "Ihrer Karte mit der Endung {last4}",
    "method_sepa_debit": "Ihrem Bankkonto mit der Endung {last4}",
    "method_other": "Ihrer gespeicherten Zahlungsmethode",
    "plan_started_subject": "Ihre Ratenzahlung mit {creditor} hat begonnen",
    "plan_started_intro": "Vielen Dank: Ihre Ratenzahlung mit {creditor} über {total} hat begonnen. Solange Sie "
    "sie einhalten, erhalten Sie zu diesen Rechnungen keine weitere Erinnerung.",
    "plan_offered_subject": "{creditor} bietet Ihnen eine Ratenzahlung an",
    "plan_offered_intro": "{creditor} bietet Ihnen an, {total} in {count} Raten zu zahlen. Wenn es Ihnen passt, "
    "können Sie das Angebot auf Ihrer Seite annehmen.",
    "plan_declined_subject": "Ihr Vorschlag einer Ratenzahlung an {creditor}",
    "plan_declined_intro": "{creditor} konnte die vorgeschlagene Ratenzahlung leider nicht annehmen. Ihre "
    "Rechnungen bleiben unverändert; Ihre Seite zeigt sie, und Sie können dort zahlen oder {creditor} schreiben.",
    "plan_declined_reason": "Ihre Nachricht: {reason}",
    "instalment_upcoming_subject": "Rate {number} Ihrer Ratenzahlung: {amount} am {date}",
    "instalment_upcoming_intro": "Zur Erinnerung: Rate {number} Ihrer Ratenzahlung mit {creditor}, {amount}, ist "
    "am {date} fällig.",
    "instalment_upcoming_manual": "Sie können sie auf Ihrer Seite bezahlen.",
    "instalment_upcoming_automatic": "Sie wird an diesem Tag von {method} eingezogen; Sie müssen nichts tun.",
    "instalment_missed_subject": "Rate {number} Ihrer Ratenzahlung ist noch offen",
    "instalment_missed_intro": "Rate {number} Ihrer Ratenzahlung mit {creditor} ({amount}, fällig am {date}) ist "
    "bei uns noch nicht eingegangen. Bitte zahlen Sie sie bis zum {last_day}, damit die Ratenzahlung bestehen "
    "bleibt; danach endet sie, und der Rest wird sofort fällig.",
    "plan_broken_subject": "Ihre Ratenzahlung mit {creditor} ist beendet",
    "plan_broken_intro": "Da Rate {number} nicht bezahlt wurde, ist Ihre Ratenzahlung mit {creditor} beendet, und "
    "der Rest, {remaining}, ist jetzt fällig. Sie können ihn weiterhin auf Ihrer Seite bezahlen oder {creditor} "
    "dort schreiben.",
    "plan_completed_subject": "Ihre Ratenzahlung mit {creditor} ist abgeschlossen",
    "plan_completed_intro": "Vielen Dank: Alles, was Ihre Ratenzahlung mit {creditor} umfasste, {total}, ist bezahlt.",
    "instalment_charge_failed_subject": "Rate {number} Ihrer Ratenzahlung konnte nicht eingezogen werden",
    "instalment_charge_failed_intro": "Rate {number} Ihrer Ratenzahlung mit {creditor} ({amount}) konnte nicht von "
    "{method} eingezogen werden. Bitte bezahlen Sie sie bis zum {last_day} auf Ihrer Seite, damit die "
    "Ratenzahlung bestehen bleibt.",
}

TEXTS: Mapping[str, Mapping[str, str]] = {"en": EN, "fr": FR, "de": DE}


def text(locale: str, key: str, **values: object) -> str:
    """The text `key` in the locale's language (English for an unsupported one), its placeholders filled in."""
    return TEXTS[resolve_locale(locale)][key].format(**values)
