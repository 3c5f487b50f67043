# ruff: noqa: RUF001  (typographic apostrophes and quotes are intended: this is text for people to read)
"""Every sentence of the debtor's page, in English, French and German.

The three dictionaries have the same keys and each message the same `{placeholders}` in every language
(a test holds them to it). Messages are plain text, never HTML: the templates escape them like any other
value, so a name placed in a message cannot inject markup. French puts a no-break space before ":" and a
narrow one before "?", "!" and ";", written as escapes so that they can be seen.

Tone: plain and courteous. The page states what is recorded and what happens next; it never threatens.
"""

from __future__ import annotations

from collections.abc import Mapping

from collectra.pages.formatting import resolve_locale

# What an answer from the page can be, as the form posts it; each has its own "answer received" notice.
ANSWER_KINDS = ("dispute", "already_paid", "question", "promise")
# Why "Pay" could not start a payment (payments.checkout.PaymentRefused codes), each with its notice.
PAY_REFUSALS = (
    "payments_unavailable",
    "nothing_to_pay",
    "mixed_currencies",
    "debt_disputed",
    "payment_processing",
    "amount_not_payable",
    "payment_changed",
    "plan_not_active",
)
# What answering a plan from the page (`debtor_plan`) says: done, or why nothing was recorded.
PLAN_NOTICES = (
    "plan_started",
    "plan_proposed",
    "plan_accepted",
    "plan_invalid",
    "plan_refused",
    "plan_exists",
    "plan_debts_changed",
    "plan_too_many",
    "plan_try_again",
    "plan_stale",
    "plan_unavailable",
)
# Why automatic payment of a plan could not be switched on (payments.collection.AutomaticRefused codes).
AUTOMATIC_REFUSALS = ("payments_unavailable", "plan_not_active", "already_on", "setup_in_progress", "plan_changed")
NOTICES = frozenset(
    {
        *(f"answer_received_{kind}" for kind in ANSWER_KINDS),
        "answer_invalid",
        "answer_promise_too_far",
        "answer_promise_amount",
        "answer_try_again",
        *(f"pay_refused_{reason}" for reason in PAY_REFUSALS),
        "pay_form_expired",
        "pay_unavailable_now",
        "payment_cancelled",
        *PLAN_NOTICES,
        *(f"automatic_refused_{reason}" for reason in AUTOMATIC_REFUSALS),
        "automatic_setup_done",
        "automatic_setup_cancelled",
        "automatic_off",
        "automatic_unavailable_now",
    }
)
# What the page says of a payment the debtor comes back from, by the attempt's state in our records.
PAYMENT_NOTES = {
    "succeeded": "payment_note_received",
    "processing": "payment_note_processing",
    "failed": "payment_note_failed",
    "expired": "payment_note_not_completed",
    "open": "payment_note_pending",
    "creating": "payment_note_pending",
}

EN: Mapping[str, str] = {
    "page_title": "Your invoices from {creditor}",
    "on_behalf": "This page belongs to {creditor} and is shown by Collectra on its behalf.",
    "contact_label": "Email:",
    "contact_person": "Contact: {name}",
    "greeting": "Hello {name},",
    "intro": (
        "{creditor} has recorded the invoices below as not yet fully paid. You can pay them here, "
        "or tell {creditor} if something is not right."
    ),
    "table_caption": "Open invoices",
    "col_invoice": "Invoice",
    "col_description": "Description",
    "col_issued": "Issued",
    "col_amount": "Amount",
    "col_paid": "Paid so far",
    "col_outstanding": "Outstanding",
    "col_due": "Due date",
    "col_status": "Status",
    "status_under_review": "Under review",
    "status_overdue_one": "Overdue by {days} day",
    "status_overdue_other": "Overdue by {days} days",
    "status_due_today": "Due today",
    "status_due_in_one": "Due in {days} day",
    "status_due_in_other": "Due in {days} days",
    "total_outstanding": "Total outstanding in {currency}: {amount}",
    "nothing_owed": "Good news: you do not owe {creditor} anything right now. Thank you!",
    "nothing_owed_contact": "If you have a question, you can write to {creditor}:",
    "next_heading": "What happens next",
    "next_before_due": "{creditor} may send you a reminder shortly before an invoice is due.",
    "next_overdue": (
        "For overdue invoices, {creditor} will keep sending reminders by email until they are paid or you answer below."
    ),
    "next_disputed": "For invoices you have disputed, reminders stop while {creditor} reviews your answer.",
    "next_need_time": "If you cannot pay right now, tell {creditor} with the form below when you can.",
    "pay_heading": "How to pay",
    "pay_debt": "Pay invoice {invoice} ({amount})",
    "pay_all": "Pay everything in {currency}",
    "pay_provider": "Card payments are handled by Stripe, our payment provider.",
    "payments_disabled": "{creditor} has not enabled online payment yet.",
    "payments_disabled_contact": "To pay, please contact {creditor} to agree on another way to pay:",
    "payments_disabled_contact_no_email": (
        "To pay, please contact {creditor} directly to agree on another way to pay."
    ),
    "answer_heading": "Answer {creditor}",
    "answer_intro": (
        "Is something not right, or do you need more time? Tell {creditor} here: your answer goes straight to them."
    ),
    "answer_kind_legend": "What would you like to tell them?",
    "answer_kind_dispute": "I dispute this",
    "answer_kind_already_paid": "I already paid",
    "answer_kind_question": "I have a question",
    "answer_kind_promise": "I will pay by the date below",
    "answer_debt_label": "Which invoice is it about?",
    "answer_debt_all": "All the invoices above",
    "answer_debt_option": "Invoice {invoice} ({amount})",
    "answer_message_label": "Your message (optional, up to 2,000 characters)",
    "answer_promise_date_label": "The date you will pay by (only for “I will pay by the date below”)",
    "answer_promise_amount_label": (
        "The amount you will pay by then, like 120.50 (only for a promise about one invoice; all that is "
        "outstanding if left empty)"
    ),
    "answer_submit": "Send my answer",
    "answer_received_dispute": (
        "Thank you. {creditor} has received your dispute and will review it; reminders about it stop meanwhile."
    ),
    "answer_received_already_paid": "Thank you. {creditor} has been told that you already paid and will check it.",
    "answer_received_question": "Thank you. Your question has been sent to {creditor}.",
    "answer_received_promise": "Thank you. {creditor} has been told the date by which you will pay.",
    "answer_invalid": (
        "Your answer was not sent: please choose what it is about and, for a promise, a date from today on."
    ),
    "answer_try_again": (
        "Your answer was not sent: {creditor}’s records were being updated at that very moment. "
        "Please send it again in a moment."
    ),
    "answer_promise_too_far": (
        "Your answer was not sent: a promise to pay can name a date up to {latest}. Please choose a date until "
        "then, or write to {creditor} if you need longer."
    ),
    "answer_promise_amount": (
        "Your answer was not sent: a promised amount is a number, like 120.50, more than 0 and at most what is "
        "outstanding on the one invoice you choose."
    ),
    "footer_personal": "This link is personal to you: please do not share it.",
    "not_found_heading": "This link does not work",
    "not_found_body": (
        "It may be mistyped, or it is no longer valid. If a business sent you this link, ask them for a new one."
    ),
    "rate_limited_heading": "Too many requests",
    "rate_limited_body": "Please wait a minute, then try again.",
    "pay_refused_payments_unavailable": (
        "Online payment is not available for {creditor} at the moment. Nothing was charged."
    ),
    "pay_refused_payment_changed": (
        "What you owe changed while your payment was being prepared. Nothing was charged; please check and pay again."
    ),
    "pay_refused_nothing_to_pay": "There is nothing left to pay for this. Nothing was charged.",
    "pay_refused_amount_not_payable": (
        "This amount cannot be paid by card in its currency. Please contact {creditor} to pay it another way. "
        "Nothing was charged."
    ),
    "pay_refused_mixed_currencies": (
        "These invoices are in different currencies: please pay them one currency at a time."
    ),
    "pay_refused_debt_disputed": (
        "You have disputed this invoice, so it cannot be paid here while {creditor} reviews it."
    ),
    "pay_refused_payment_processing": (
        "A payment for this is already on its way. Please wait for it before paying again."
    ),
    "pay_form_expired": "The form has expired: please press Pay again.",
    "pay_unavailable_now": (
        "The payment service could not be reached. Nothing was charged; please try again in a few minutes."
    ),
    "payment_cancelled": "You left the payment page. Nothing was charged.",
    "automatic_setup_done": (
        "Thank you. Once Stripe confirms your payment method, each instalment will be charged on its date."
    ),
    "automatic_setup_cancelled": "You left the page without saving a payment method. Nothing changed.",
    "automatic_off": (
        "Automatic payment is off and your saved payment method was removed. You can pay each instalment here."
    ),
    "automatic_unavailable_now": "Automatic payment cannot be set up right now. Please try again in a moment.",
    "automatic_refused_payments_unavailable": "Online payment is not enabled for this business.",
    "automatic_refused_plan_not_active": "Automatic payment is only possible for a payment plan that is running.",
    "automatic_refused_already_on": "Automatic payment is already on for this plan.",
    "automatic_refused_setup_in_progress": "Your payment method is being set up. Please try again in a moment.",
    "automatic_refused_plan_changed": "Your payment plan changed meanwhile. Please try again.",
    "payment_note_received": "Thank you: we received your payment of {amount} on {date}.",
    "payment_note_overpayment_refunded": (
        "It had already been paid, so {amount} is being refunded to you automatically; nothing more is owed."
    ),
    "payment_note_processing": "Your payment of {amount} is on its way. This page will show it once it has arrived.",
    "payment_note_failed": "Your payment of {amount} did not go through. Nothing was charged; you can try again below.",
    "payment_note_not_completed": "Your payment of {amount} was not completed. Nothing was charged.",
    "payment_note_pending": (
        "We are waiting for the confirmation of your payment of {amount}. Please do not pay again: this page "
        "will show it within a few minutes."
    ),
    "opt_out_heading": "Stop the reminder emails from {creditor}?",
    "opt_out_intro": (
        "{creditor} sends you reminders about invoices by email through Collectra. Press the button below and "
        "you will receive no more of them."
    ),
    "opt_out_note": (
        "This only stops the reminder emails: it does not cancel any invoice, and {creditor} may still contact "
        "you in other ways."
    ),
    "opt_out_button": "Stop the reminders",
    "opt_out_done_heading": "Reminders stopped",
    "opt_out_done_body": "You will no longer receive reminder emails from {creditor} through Collectra.",
    "replies_heading": "Replies from {creditor}",
    "reply_on": "{date}:",
    "reply_email_subject": "{creditor} answered your question",
    "reply_email_intro": "Hello {name}, {creditor} answered your question:",
    "reply_email_page": "Your invoices, and a form to write back: {link}",
    "reply_email_opt_out": "To receive no more emails from {creditor} through Collectra: {link}",
    # A workspace member's own notification emails (the daily digest, the dispute alert): `/n/{token}`.
    "notice_off_heading_daily_digest": "Stop the daily digest of {workspace}?",
    "notice_off_heading_disputes_at_once": "Stop the dispute alerts of {workspace}?",
    "notice_off_intro": "Press the button below and Collectra sends you no more of these emails.",
    "notice_off_note": "You can turn them on again in Collectra, in your account's notification settings.",
    "notice_off_button": "Stop these emails",
    "notice_off_done_heading": "Emails stopped",
    "notice_off_done_body": "You will no longer receive these emails about {workspace}.",
    # Late-payment charges (`collectra.pages.charges`) and paying them.
    "charges_heading": "Late-payment interest and compensation",
    "charges_intro": (
        "{creditor} claims the interest and the fixed compensation the law grants on invoices paid late. "
        "Each line below says how it is worked out."
    ),
    "charges_caption": "Invoice {invoice}",
    "charge_principal": "Invoice amount outstanding",
    "charge_principal_note": "What is left to pay of the invoice itself.",
    "charge_rates_missing": (
        "The reference rate for the days from {first} is not yet in our records: interest for those days is not "
        "included here."
    ),
    "charge_interest": "Interest to {date}",
    "charge_interest_note": (
        "Late-payment interest under {basis}: simple interest on the amount outstanding only, counted day by day "
        "from the day after the due date. Interest is never charged on interest."
    ),
    "charge_period_one": "From {start} to {end}: {days} day on {principal} at {rate} a year ({how}).",
    "charge_period_other": "From {start} to {end}: {days} days on {principal} at {rate} a year ({how}).",
    "charge_rate_reference": "the reference rate of {reference} plus {margin} points",
    "charge_rate_contractual": "the rate set in the terms of sale",
    "charge_rate_legal": "the legal rate for that half-year",
    "charge_paused": "No interest from {start} to {end}, while the invoice was disputed.",
    "charge_paused_since": "No interest since {start}, while the invoice is disputed.",
    "charge_already_paid": "{accrued} in all, of which {paid} is already paid.",
    "charge_waived": "Waived",
    "charge_waived_note": "{creditor} has waived it: you do not owe it.",
    "charge_compensation": "Fixed recovery compensation",
    "charge_compensation_note": (
        "The fixed sum of {amount} the law grants for recovery costs on an invoice paid late between businesses, "
        "under {basis}."
    ),
    "charge_total": "Total to pay for this invoice",
    "charge_total_note": "The invoice amount outstanding plus the interest and the compensation above.",
    "pay_principal": "Pay the invoice amount of {invoice} ({amount})",
    "pay_everything": "Pay everything for {invoice} ({amount})",
    "pay_all_principal": "Pay all invoice amounts in {currency}",
    "pay_all_everything": "Pay everything in {currency}, with interest and compensation ({amount})",
    "total_with_charges": "Total with interest and compensation in {currency}: {amount}",
    "checkout_invoice": "Invoice {invoice}",
    "checkout_interest": "Late-payment interest — invoice {invoice} ({rate}, {days} days)",
    "checkout_compensation": "Recovery compensation — invoice {invoice}",
}

FR: Mapping[str, str] = {
    "page_title": "Vos factures de {creditor}",
    "on_behalf": "Cette page appartient à {creditor} et Collectra l’affiche en son nom.",
    "contact_label": "E-mail\u00a0:",
    "contact_person": "Contact\u00a0: {name}",
    "greeting": "Bonjour {name},",
    "intro": (
        "{creditor} indique que les factures ci-dessous ne sont pas encore entièrement réglées. Vous pouvez "
        "les payer ici, ou signaler à {creditor} ce qui ne va pas."
    ),
    "table_caption": "Factures à régler",
    "col_invoice": "Facture",
    "col_description": "Description",
    "col_issued": "Émise le",
    "col_amount": "Montant",
    "col_paid": "Déjà payé",
    "col_outstanding": "Reste à payer",
    "col_due": "Échéance",
    "col_status": "Statut",
    "status_under_review": "En cours d’examen",
    "status_overdue_one": "En retard de {days} jour",
    "status_overdue_other": "En retard de {days} jours",
    "status_due_today": "À régler aujourd’hui",
    "status_due_in_one": "À régler dans {days} jour",
    "status_due_in_other": "À régler dans {days} jours",
    "total_outstanding": "Total restant à payer en {currency}\u00a0: {amount}",
    "nothing_owed": "Bonne nouvelle\u202f: vous ne devez rien à {creditor} pour le moment. Merci\u202f!",
    "nothing_owed_contact": "Pour toute question, vous pouvez écrire à {creditor}\u00a0:",
    "next_heading": "La suite",
    "next_before_due": "{creditor} peut vous envoyer un rappel peu avant l’échéance d’une facture.",
    "next_overdue": (
        "Pour les factures en retard, {creditor} continuera d’envoyer des rappels par e-mail jusqu’à leur "
        "paiement ou jusqu’à votre réponse ci-dessous."
    ),
    "next_disputed": (
        "Pour les factures que vous contestez, les rappels s’arrêtent pendant que {creditor} examine votre réponse."
    ),
    "next_need_time": (
        "Si vous ne pouvez pas payer maintenant, indiquez à {creditor} quand vous le pourrez avec le formulaire "
        "ci-dessous."
    ),
    "pay_heading": "Comment payer",
    "pay_debt": "Payer la facture {invoice} ({amount})",
    "pay_all": "Tout payer en {currency}",
    "pay_provider": "Le paiement par carte se fait chez Stripe, notre prestataire de paiement.",
    "payments_disabled": "{creditor} n’a pas encore activé le paiement en ligne.",
    "payments_disabled_contact": (
        "Pour payer, contactez {creditor} afin de convenir d’un autre moyen de paiement\u00a0:"
    ),
    "payments_disabled_contact_no_email": (
        "Pour payer, contactez directement {creditor} afin de convenir d’un autre moyen de paiement."
    ),
    "answer_heading": "Répondre à {creditor}",
    "answer_intro": (
        "Quelque chose ne va pas, ou vous avez besoin de plus de temps\u202f? Dites-le à {creditor} ici\u00a0: "
        "votre réponse lui est transmise directement."
    ),
    "answer_kind_legend": "Que souhaitez-vous lui dire\u202f?",
    "answer_kind_dispute": "Je conteste",
    "answer_kind_already_paid": "J’ai déjà payé",
    "answer_kind_question": "J’ai une question",
    "answer_kind_promise": "Je paierai d’ici la date ci-dessous",
    "answer_debt_label": "Quelle facture est concernée\u202f?",
    "answer_debt_all": "Toutes les factures ci-dessus",
    "answer_debt_option": "Facture {invoice} ({amount})",
    "answer_message_label": "Votre message (facultatif, 2\u202f000 caractères au maximum)",
    "answer_promise_date_label": (
        "La date à laquelle vous paierez (seulement pour «\u00a0Je paierai d’ici la date ci-dessous\u00a0»)"
    ),
    "answer_promise_amount_label": (
        "Le montant que vous paierez d’ici là, par exemple 120,50 (seulement pour une promesse sur une facture ; "
        "tout le restant dû si vide)"
    ),
    "answer_submit": "Envoyer ma réponse",
    "answer_received_dispute": (
        "Merci. Votre contestation a été transmise à {creditor}, qui va l’examiner\u202f; les rappels "
        "la concernant s’arrêtent entre-temps."
    ),
    "answer_received_already_paid": (
        "Merci. Votre réponse a été transmise à {creditor}, qui va vérifier votre paiement."
    ),
    "answer_received_question": "Merci. Votre question a été transmise à {creditor}.",
    "answer_received_promise": "Merci. Votre date de paiement a été transmise à {creditor}.",
    "answer_invalid": (
        "Votre réponse n’a pas été envoyée\u202f: choisissez de quoi il s’agit et, pour une promesse, une date "
        "à partir d’aujourd’hui."
    ),
    "answer_try_again": (
        "Votre réponse n’a pas été envoyée\u202f: le dossier de {creditor} était mis à jour au même moment. "
        "Merci de l’envoyer à nouveau dans un instant."
    ),
    "answer_promise_too_far": (
        "Votre réponse n’a pas été envoyée\u202f: une promesse de paiement peut aller jusqu’au {latest}. "
        "Choisissez une date d’ici là, ou écrivez à {creditor} s’il vous faut plus de temps."
    ),
    "answer_promise_amount": (
        "Votre réponse n’a pas été envoyée\u202f: un montant promis est un nombre, par exemple 120,50, supérieur "
        "à 0 et au plus égal au restant dû de la facture choisie."
    ),
    "footer_personal": "Ce lien vous est personnel\u00a0: merci de ne pas le partager.",
    "not_found_heading": "Ce lien ne fonctionne pas",
    "not_found_body": (
        "Il est peut-être mal recopié, ou il n’est plus valide. Si une entreprise vous l’a envoyé, "
        "demandez-lui un nouveau lien."
    ),
    "rate_limited_heading": "Trop de demandes",
    "rate_limited_body": "Merci de patienter une minute, puis de réessayer.",
    "pay_refused_payments_unavailable": (
        "Le paiement en ligne n’est pas disponible pour {creditor} en ce moment. Rien n’a été débité."
    ),
    "pay_refused_payment_changed": (
        "Le montant dû a changé pendant la préparation de votre paiement. "
        "Rien n’a été débité\u00a0; vérifiez puis payez à nouveau."
    ),
    "pay_refused_nothing_to_pay": "Il ne reste rien à payer pour cela. Rien n’a été débité.",
    "pay_refused_amount_not_payable": (
        "Ce montant ne peut pas être payé par carte dans sa devise. Merci de contacter {creditor} pour le régler "
        "autrement. Rien n’a été débité."
    ),
    "pay_refused_mixed_currencies": (
        "Ces factures sont dans des devises différentes\u00a0: payez-les une devise à la fois."
    ),
    "pay_refused_debt_disputed": (
        "Vous avez contesté cette facture\u00a0: elle ne peut pas être payée ici pendant que {creditor} l’examine."
    ),
    "pay_refused_payment_processing": (
        "Un paiement est déjà en cours pour cela. Attendez qu’il aboutisse avant de payer à nouveau."
    ),
    "pay_form_expired": "Le formulaire a expiré\u00a0: appuyez à nouveau sur Payer.",
    "pay_unavailable_now": (
        "Le service de paiement est injoignable. Rien n’a été débité\u00a0; réessayez dans quelques minutes."
    ),
    "payment_cancelled": "Vous avez quitté la page de paiement. Rien n’a été débité.",
    "automatic_setup_done": (
        "Merci. Dès que Stripe aura confirmé votre moyen de paiement, chaque échéance sera prélevée à sa date."
    ),
    "automatic_setup_cancelled": "Vous avez quitté la page sans enregistrer de moyen de paiement. Rien n’a changé.",
    "automatic_off": (
        "Le paiement automatique est désactivé et votre moyen de paiement enregistré a été supprimé. "
        "Vous pouvez payer chaque échéance ici."
    ),
    "automatic_unavailable_now": (
        "Le paiement automatique ne peut pas être mis en place pour le moment. Veuillez réessayer dans un instant."
    ),
    "automatic_refused_payments_unavailable": "Le paiement en ligne n’est pas activé pour cette entreprise.",
    "automatic_refused_plan_not_active": ("Le paiement automatique n’est possible que pour un échéancier en cours."),
    "automatic_refused_already_on": "Le paiement automatique est déjà activé pour cet échéancier.",
    "automatic_refused_setup_in_progress": (
        "Votre moyen de paiement est en cours d’enregistrement. Veuillez réessayer dans un instant."
    ),
    "automatic_refused_plan_changed": "Votre échéancier a changé entre-temps. Veuillez réessayer.",
    "payment_note_received": "Merci\u00a0: nous avons reçu votre paiement de {amount} le {date}.",
    "payment_note_overpayment_refunded": (
        "Cette somme avait déjà été réglée\u00a0: {amount} vous est donc remboursé automatiquement."
    ),
    "payment_note_processing": "Votre paiement de {amount} est en cours. Cette page l’affichera dès son arrivée.",
    "payment_note_failed": (
        "Votre paiement de {amount} n’a pas abouti. Rien n’a été débité\u00a0; vous pouvez réessayer ci-dessous."
    ),
    "payment_note_not_completed": "Votre paiement de {amount} n’a pas été finalisé. Rien n’a été débité.",
    "payment_note_pending": (
        "Nous attendons la confirmation de votre paiement de {amount}. Ne payez pas une seconde fois\u00a0: "
        "cette page l’affichera d’ici quelques minutes."
    ),
    "opt_out_heading": "Ne plus recevoir les rappels de {creditor}\u202f?",
    "opt_out_intro": (
        "{creditor} vous envoie des rappels de factures par e-mail par l’intermédiaire de Collectra. Appuyez sur "
        "le bouton ci-dessous pour ne plus en recevoir."
    ),
    "opt_out_note": (
        "Seuls les e-mails de rappel s’arrêtent\u00a0: aucune facture n’est annulée, et {creditor} peut toujours "
        "vous contacter autrement."
    ),
    "opt_out_button": "Ne plus recevoir de rappels",
    "opt_out_done_heading": "Rappels arrêtés",
    "opt_out_done_body": "Vous ne recevrez plus d’e-mails de rappel de {creditor} par l’intermédiaire de Collectra.",
    "replies_heading": "Réponses de {creditor}",
    "reply_on": "{date}\u00a0:",
    "reply_email_subject": "{creditor} a répondu à votre question",
    "reply_email_intro": "Bonjour {name}, {creditor} a répondu à votre question\u00a0:",
    "reply_email_page": "Vos factures, et un formulaire pour répondre\u00a0: {link}",
    "reply_email_opt_out": "Pour ne plus recevoir d’e-mails de {creditor} par Collectra\u00a0: {link}",
    "notice_off_heading_daily_digest": "Ne plus recevoir le résumé quotidien de {workspace}\u202f?",
    "notice_off_heading_disputes_at_once": "Ne plus recevoir les alertes de contestation de {workspace}\u202f?",
    "notice_off_intro": "Appuyez sur le bouton ci-dessous et Collectra ne vous enverra plus ces e-mails.",
    "notice_off_note": "Vous pouvez les réactiver dans Collectra, dans les réglages de notification de votre compte.",
    "notice_off_button": "Ne plus recevoir ces e-mails",
    "notice_off_done_heading": "E-mails arrêtés",
    "notice_off_done_body": "Vous ne recevrez plus ces e-mails concernant {workspace}.",
    "charges_heading": "Intérêts de retard et indemnité forfaitaire",
    "charges_intro": (
        "{creditor} réclame les intérêts et l’indemnité forfaitaire que la loi accorde pour les factures payées "
        "en retard. Chaque ligne ci-dessous indique comment elle est calculée."
    ),
    "charges_caption": "Facture {invoice}",
    "charge_principal": "Montant de la facture restant dû",
    "charge_principal_note": "Ce qui reste à payer de la facture elle-même.",
    "charge_rates_missing": (
        "Le taux de référence applicable à partir du {first} n’est pas encore dans nos données\xa0: les intérêts "
        "de ces jours-là ne sont pas inclus ici."
    ),
    "charge_interest": "Intérêts au {date}",
    "charge_interest_note": (
        "Intérêts de retard selon {basis} : intérêts simples sur le seul montant restant dû, comptés jour par "
        "jour à partir du lendemain de l’échéance. Les intérêts ne produisent jamais d’intérêts."
    ),
    "charge_period_one": "Du {start} au {end} : {days} jour sur {principal} au taux annuel de {rate} ({how}).",
    "charge_period_other": "Du {start} au {end} : {days} jours sur {principal} au taux annuel de {rate} ({how}).",
    "charge_rate_reference": "taux de référence de {reference} majoré de {margin} points",
    "charge_rate_contractual": "taux fixé par les conditions générales de vente",
    "charge_rate_legal": "taux de l’intérêt légal du semestre",
    "charge_paused": "Pas d’intérêts du {start} au {end}, pendant la contestation de la facture.",
    "charge_paused_since": "Pas d’intérêts depuis le {start}, pendant la contestation de la facture.",
    "charge_already_paid": "{accrued} au total, dont {paid} déjà payés.",
    "charge_waived": "Abandonné",
    "charge_waived_note": "{creditor} y a renoncé : vous ne le devez pas.",
    "charge_compensation": "Indemnité forfaitaire pour frais de recouvrement",
    "charge_compensation_note": (
        "La somme forfaitaire de {amount} que la loi accorde pour les frais de recouvrement d’une facture payée "
        "en retard entre professionnels, selon {basis}."
    ),
    "charge_total": "Total à payer pour cette facture",
    "charge_total_note": "Le montant restant dû de la facture, plus les intérêts et l’indemnité ci-dessus.",
    "pay_principal": "Payer le montant de la facture {invoice} ({amount})",
    "pay_everything": "Tout payer pour la facture {invoice} ({amount})",
    "pay_all_principal": "Payer le montant de toutes les factures en {currency}",
    "pay_all_everything": "Tout payer en {currency}, intérêts et indemnités compris ({amount})",
    "total_with_charges": "Total avec intérêts et indemnités en {currency} : {amount}",
    "checkout_invoice": "Facture {invoice}",
    "checkout_interest": "Intérêts de retard — facture {invoice} ({rate}, {days} jours)",
    "checkout_compensation": "Indemnité forfaitaire de recouvrement — facture {invoice}",
}

DE: Mapping[str, str] = {
    "page_title": "Ihre Rechnungen von {creditor}",
    "on_behalf": "Diese Seite gehört zu {creditor}. Collectra zeigt sie im Auftrag des Unternehmens an.",
    "contact_label": "E-Mail:",
    "contact_person": "Kontakt: {name}",
    "greeting": "Guten Tag {name},",
    "intro": (
        "Bei {creditor} sind die folgenden Rechnungen als noch nicht vollständig bezahlt erfasst. Sie können "
        "sie hier bezahlen oder {creditor} mitteilen, wenn etwas nicht stimmt."
    ),
    "table_caption": "Offene Rechnungen",
    "col_invoice": "Rechnung",
    "col_description": "Beschreibung",
    "col_issued": "Ausgestellt am",
    "col_amount": "Betrag",
    "col_paid": "Bereits bezahlt",
    "col_outstanding": "Offen",
    "col_due": "Fällig am",
    "col_status": "Status",
    "status_under_review": "Wird geprüft",
    "status_overdue_one": "Seit {days} Tag überfällig",
    "status_overdue_other": "Seit {days} Tagen überfällig",
    "status_due_today": "Heute fällig",
    "status_due_in_one": "Fällig in {days} Tag",
    "status_due_in_other": "Fällig in {days} Tagen",
    "total_outstanding": "Insgesamt offen in {currency}: {amount}",
    "nothing_owed": "Gute Nachricht: Sie schulden {creditor} derzeit nichts. Vielen Dank!",
    "nothing_owed_contact": "Bei Fragen können Sie {creditor} schreiben:",
    "next_heading": "Wie es weitergeht",
    "next_before_due": "Kurz vor der Fälligkeit einer Rechnung kann {creditor} Ihnen eine Erinnerung schicken.",
    "next_overdue": (
        "Für überfällige Rechnungen schickt {creditor} weiterhin Erinnerungen per E-Mail, bis sie bezahlt sind "
        "oder Sie unten antworten."
    ),
    "next_disputed": (
        "Für Rechnungen, denen Sie widersprochen haben, gibt es keine Erinnerungen, solange {creditor} "
        "Ihre Antwort prüft."
    ),
    "next_need_time": (
        "Wenn Sie gerade nicht zahlen können, teilen Sie {creditor} mit dem Formular unten mit, wann Sie zahlen können."
    ),
    "pay_heading": "So bezahlen Sie",
    "pay_debt": "Rechnung {invoice} bezahlen ({amount})",
    "pay_all": "Alles in {currency} bezahlen",
    "pay_provider": "Kartenzahlungen wickelt Stripe ab, unser Zahlungsdienstleister.",
    "payments_disabled": "{creditor} hat die Online-Zahlung noch nicht eingerichtet.",
    "payments_disabled_contact": (
        "Um zu bezahlen, wenden Sie sich bitte an {creditor} und vereinbaren Sie einen anderen Zahlungsweg:"
    ),
    "payments_disabled_contact_no_email": (
        "Um zu bezahlen, wenden Sie sich bitte direkt an {creditor} und vereinbaren Sie einen anderen Zahlungsweg."
    ),
    "answer_heading": "Antwort an {creditor}",
    "answer_intro": (
        "Stimmt etwas nicht, oder brauchen Sie mehr Zeit? Teilen Sie es {creditor} hier mit: Ihre Antwort geht "
        "direkt an das Unternehmen."
    ),
    "answer_kind_legend": "Was möchten Sie mitteilen?",
    "answer_kind_dispute": "Ich widerspreche der Forderung",
    "answer_kind_already_paid": "Ich habe bereits bezahlt",
    "answer_kind_question": "Ich habe eine Frage",
    "answer_kind_promise": "Ich zahle bis zum unten gewählten Datum",
    "answer_debt_label": "Um welche Rechnung geht es?",
    "answer_debt_all": "Alle Rechnungen oben",
    "answer_debt_option": "Rechnung {invoice} ({amount})",
    "answer_message_label": "Ihre Nachricht (freiwillig, höchstens 2.000 Zeichen)",
    "answer_promise_date_label": (
        "Das Datum, bis zu dem Sie zahlen (nur für „Ich zahle bis zum unten gewählten Datum“)"
    ),
    "answer_promise_amount_label": (
        "Der Betrag, den Sie bis dahin zahlen, etwa 120,50 (nur für eine Zusage zu einer Rechnung; leer: der "
        "ganze offene Betrag)"
    ),
    "answer_submit": "Antwort senden",
    "answer_received_dispute": (
        "Vielen Dank. Ihr Widerspruch wurde an {creditor} weitergeleitet und wird geprüft; bis dahin gibt es "
        "dazu keine Erinnerungen."
    ),
    "answer_received_already_paid": (
        "Vielen Dank. Ihre Nachricht wurde an {creditor} weitergeleitet; das Unternehmen prüft Ihre Zahlung."
    ),
    "answer_received_question": "Vielen Dank. Ihre Frage wurde an {creditor} weitergeleitet.",
    "answer_received_promise": "Vielen Dank. Ihr Zahlungsdatum wurde an {creditor} weitergeleitet.",
    "answer_invalid": (
        "Ihre Antwort wurde nicht gesendet: Bitte wählen Sie, worum es geht, und bei einer Zusage ein Datum ab heute."
    ),
    "answer_try_again": (
        "Ihre Antwort wurde nicht gesendet: Die Unterlagen von {creditor} wurden genau in diesem Moment "
        "aktualisiert. Bitte senden Sie sie gleich noch einmal."
    ),
    "answer_promise_too_far": (
        "Ihre Antwort wurde nicht gesendet: Eine Zahlungszusage kann höchstens bis zum {latest} reichen. Bitte "
        "wählen Sie ein Datum bis dahin, oder schreiben Sie {creditor}, wenn Sie mehr Zeit brauchen."
    ),
    "answer_promise_amount": (
        "Ihre Antwort wurde nicht gesendet: Ein zugesagter Betrag ist eine Zahl, etwa 120,50, größer als 0 und "
        "höchstens der offene Betrag der gewählten Rechnung."
    ),
    "footer_personal": "Dieser Link ist persönlich: Bitte geben Sie ihn nicht weiter.",
    "not_found_heading": "Dieser Link funktioniert nicht",
    "not_found_body": (
        "Vielleicht wurde er falsch abgeschrieben, oder er ist nicht mehr gültig. Wenn ein Unternehmen Ihnen "
        "diesen Link geschickt hat, bitten Sie es um einen neuen."
    ),
    "rate_limited_heading": "Zu viele Anfragen",
    "rate_limited_body": "Bitte warten Sie eine Minute und versuchen Sie es dann erneut.",
    "pay_refused_payments_unavailable": (
        "Die Online-Zahlung ist für {creditor} derzeit nicht verfügbar. Es wurde nichts abgebucht."
    ),
    "pay_refused_payment_changed": (
        "Der offene Betrag hat sich geändert, während Ihre Zahlung vorbereitet wurde. "
        "Es wurde nichts abgebucht; bitte prüfen Sie ihn und zahlen Sie erneut."
    ),
    "pay_refused_nothing_to_pay": "Hierfür ist nichts mehr zu zahlen. Es wurde nichts abgebucht.",
    "pay_refused_amount_not_payable": (
        "Dieser Betrag kann in seiner Währung nicht per Karte bezahlt werden. Bitte wenden Sie sich an {creditor}, "
        "um ihn auf anderem Weg zu begleichen. Es wurde nichts abgebucht."
    ),
    "pay_refused_mixed_currencies": (
        "Diese Rechnungen lauten auf verschiedene Währungen: Bitte zahlen Sie je Währung getrennt."
    ),
    "pay_refused_debt_disputed": (
        "Sie haben diese Rechnung beanstandet; solange {creditor} sie prüft, kann sie hier nicht bezahlt werden."
    ),
    "pay_refused_payment_processing": (
        "Eine Zahlung hierfür ist bereits unterwegs. Bitte warten Sie diese ab, bevor Sie erneut zahlen."
    ),
    "pay_form_expired": "Das Formular ist abgelaufen: Bitte klicken Sie erneut auf Bezahlen.",
    "pay_unavailable_now": (
        "Der Zahlungsdienst ist nicht erreichbar. Es wurde nichts abgebucht; bitte versuchen Sie es in "
        "einigen Minuten erneut."
    ),
    "payment_cancelled": "Sie haben die Zahlungsseite verlassen. Es wurde nichts abgebucht.",
    "automatic_setup_done": (
        "Vielen Dank. Sobald Stripe Ihre Zahlungsmethode bestätigt, wird jede Rate an ihrem Datum eingezogen."
    ),
    "automatic_setup_cancelled": (
        "Sie haben die Seite verlassen, ohne eine Zahlungsmethode zu speichern. Es hat sich nichts geändert."
    ),
    "automatic_off": (
        "Die automatische Zahlung ist ausgeschaltet und Ihre gespeicherte Zahlungsmethode wurde entfernt. "
        "Sie können jede Rate hier bezahlen."
    ),
    "automatic_unavailable_now": (
        "Die automatische Zahlung kann gerade nicht eingerichtet werden. Bitte versuchen Sie es gleich noch einmal."
    ),
    "automatic_refused_payments_unavailable": "Online-Zahlung ist für dieses Unternehmen nicht aktiviert.",
    "automatic_refused_plan_not_active": "Automatische Zahlung ist nur für einen laufenden Ratenplan möglich.",
    "automatic_refused_already_on": "Die automatische Zahlung ist für diesen Ratenplan bereits eingeschaltet.",
    "automatic_refused_setup_in_progress": (
        "Ihre Zahlungsmethode wird gerade eingerichtet. Bitte versuchen Sie es gleich noch einmal."
    ),
    "automatic_refused_plan_changed": "Ihr Ratenplan hat sich inzwischen geändert. Bitte versuchen Sie es erneut.",
    "payment_note_received": "Vielen Dank: Ihre Zahlung über {amount} ist am {date} eingegangen.",
    "payment_note_overpayment_refunded": (
        "Der Betrag war bereits bezahlt, daher werden Ihnen {amount} automatisch erstattet."
    ),
    "payment_note_processing": (
        "Ihre Zahlung über {amount} ist unterwegs. Diese Seite zeigt sie an, sobald sie eingegangen ist."
    ),
    "payment_note_failed": (
        "Ihre Zahlung über {amount} ist nicht durchgegangen. Es wurde nichts abgebucht; Sie können es unten "
        "erneut versuchen."
    ),
    "payment_note_not_completed": "Ihre Zahlung über {amount} wurde nicht abgeschlossen. Es wurde nichts abgebucht.",
    "payment_note_pending": (
        "Wir warten auf die Bestätigung Ihrer Zahlung über {amount}. Bitte zahlen Sie nicht erneut: Diese "
        "Seite zeigt sie in wenigen Minuten an."
    ),
    "opt_out_heading": "Keine Erinnerungen mehr von {creditor}?",
    "opt_out_intro": (
        "{creditor} schickt Ihnen über Collectra Erinnerungen an Rechnungen per E-Mail. Mit der Schaltfläche "
        "unten erhalten Sie keine mehr."
    ),
    "opt_out_note": (
        "Damit enden nur die Erinnerungs-E-Mails: Keine Rechnung wird storniert, und {creditor} kann Sie "
        "weiterhin auf anderem Weg erreichen."
    ),
    "opt_out_button": "Keine Erinnerungen mehr",
    "opt_out_done_heading": "Erinnerungen beendet",
    "opt_out_done_body": "Sie erhalten über Collectra keine Erinnerungs-E-Mails von {creditor} mehr.",
    "replies_heading": "Antworten von {creditor}",
    "reply_on": "{date}:",
    "reply_email_subject": "{creditor} hat Ihre Frage beantwortet",
    "reply_email_intro": "Guten Tag {name}, {creditor} hat Ihre Frage beantwortet:",
    "reply_email_page": "Ihre Rechnungen und ein Formular für Ihre Antwort: {link}",
    "reply_email_opt_out": "Um keine E-Mails von {creditor} über Collectra mehr zu erhalten: {link}",
    "notice_off_heading_daily_digest": "Die tägliche Übersicht von {workspace} abbestellen?",
    "notice_off_heading_disputes_at_once": "Die Meldungen über Einsprüche bei {workspace} abbestellen?",
    "notice_off_intro": "Drücken Sie unten auf die Schaltfläche, und Collectra sendet Ihnen diese E-Mails nicht mehr.",
    "notice_off_note": (
        "Sie können sie in Collectra in den Benachrichtigungseinstellungen Ihres Kontos wieder einschalten."
    ),
    "notice_off_button": "Diese E-Mails abbestellen",
    "notice_off_done_heading": "E-Mails abbestellt",
    "notice_off_done_body": "Sie erhalten diese E-Mails zu {workspace} nicht mehr.",
    "charges_heading": "Verzugszinsen und Pauschale",
    "charges_intro": (
        "{creditor} verlangt die Zinsen und die Pauschale, die das Gesetz bei verspätet bezahlten Rechnungen "
        "gewährt. Jede Zeile unten sagt, wie sie berechnet ist."
    ),
    "charges_caption": "Rechnung {invoice}",
    "charge_principal": "Offener Rechnungsbetrag",
    "charge_principal_note": "Was von der Rechnung selbst noch zu zahlen ist.",
    "charge_rates_missing": (
        "Der Referenzzinssatz für die Tage ab dem {first} liegt uns noch nicht vor: Die Zinsen für diese Tage sind "
        "hier nicht enthalten."
    ),
    "charge_interest": "Zinsen bis {date}",
    "charge_interest_note": (
        "Verzugszinsen nach {basis}: einfache Zinsen nur auf den offenen Betrag, tageweise gerechnet ab dem Tag "
        "nach der Fälligkeit. Auf Zinsen werden nie Zinsen berechnet."
    ),
    "charge_period_one": "Vom {start} bis {end}: {days} Tag auf {principal} zu {rate} im Jahr ({how}).",
    "charge_period_other": "Vom {start} bis {end}: {days} Tage auf {principal} zu {rate} im Jahr ({how}).",
    "charge_rate_reference": "Referenzzinssatz von {reference} plus {margin} Prozentpunkte",
    "charge_rate_contractual": "der in den Vertragsbedingungen vereinbarte Satz",
    "charge_rate_legal": "der gesetzliche Zinssatz des Halbjahres",
    "charge_paused": "Keine Zinsen vom {start} bis {end}, solange die Rechnung beanstandet war.",
    "charge_paused_since": "Keine Zinsen seit dem {start}, solange die Rechnung beanstandet ist.",
    "charge_already_paid": "Insgesamt {accrued}, davon {paid} bereits bezahlt.",
    "charge_waived": "Erlassen",
    "charge_waived_note": "{creditor} hat darauf verzichtet: Sie schulden es nicht.",
    "charge_compensation": "Verzugspauschale",
    "charge_compensation_note": (
        "Die Pauschale von {amount}, die das Gesetz für die Beitreibungskosten einer verspätet bezahlten "
        "Rechnung zwischen Unternehmen gewährt, nach {basis}."
    ),
    "charge_total": "Für diese Rechnung insgesamt zu zahlen",
    "charge_total_note": "Der offene Rechnungsbetrag zuzüglich der Zinsen und der Pauschale oben.",
    "pay_principal": "Rechnungsbetrag von {invoice} bezahlen ({amount})",
    "pay_everything": "Alles für {invoice} bezahlen ({amount})",
    "pay_all_principal": "Alle Rechnungsbeträge in {currency} bezahlen",
    "pay_all_everything": "Alles in {currency} bezahlen, mit Zinsen und Pauschalen ({amount})",
    "total_with_charges": "Insgesamt mit Zinsen und Pauschalen in {currency}: {amount}",
    "checkout_invoice": "Rechnung {invoice}",
    "checkout_interest": "Verzugszinsen — Rechnung {invoice} ({rate}, {days} Tage)",
    "checkout_compensation": "Verzugspauschale — Rechnung {invoice}",
}

# Payment plans on the debtor's page (`collectra.debtors.plan_page`): proposing, accepting, paying instalments.
PLAN_EN: Mapping[str, str] = {
    "status_in_plan": "In a payment plan",
    "plan_heading": "Pay in instalments",
    "plan_intro": (
        "If you cannot pay everything at once, you can propose to pay in instalments. {creditor} answers your "
        "proposal, and you are told the answer by email."
    ),
    "plan_intro_auto": (
        "If you cannot pay everything at once, you can pay in instalments: a plan within the limits below starts "
        "at once."
    ),
    "plan_limits": (
        "Up to {count} instalments, at least a week apart, the last one by {latest}; the first instalment is at "
        "least {percent}% of the total."
    ),
    "plan_explained": (
        "The total is divided into equal instalments, and the last one takes the rounding. The first is due on "
        "the date you choose, then one every week, every two weeks or every month."
    ),
    "plan_example": "For example, {amount} in {count} monthly instalments from {date}: {schedule}.",
    "plan_debt_label": "Which invoices?",
    "plan_debt_all": "All open invoices in {currency} ({amount})",
    "plan_count_label": "Number of instalments",
    "plan_first_label": "Date of the first instalment",
    "plan_every_label": "How often",
    "plan_every_week": "Every week",
    "plan_every_two_weeks": "Every two weeks",
    "plan_every_month": "Every month",
    "plan_propose_submit": "Propose this plan",
    "plan_summary": "{total} in {count} instalments, for the invoices {invoices}.",
    "plan_proposed_status": "Your proposed plan is awaiting the answer of {creditor}; you will be told by email.",
    "plan_offered_intro": "{creditor} offers you this payment plan:",
    "plan_accept_submit": "Accept this plan",
    "plan_active_intro": "Your payment plan:",
    "plan_paid_so_far": "Paid so far: {paid} of {total}.",
    "plan_caption": "Instalments",
    "plan_col_number": "Instalment",
    "plan_col_date": "Date",
    "plan_col_amount": "Amount",
    "plan_col_status": "Status",
    "plan_instalment": "{number} of {count}",
    "instalment_paid": "Paid",
    "instalment_due": "Due today",
    "instalment_upcoming": "Upcoming",
    "instalment_overdue": "Overdue",
    "instalment_missed": "Missed",
    "instalment_part_paid": "{paid} paid",
    "plan_asked_now": "To pay now: instalment {number}, {amount}.",
    "plan_pay_instalment": "Pay instalment {number} ({amount})",
    "plan_automatic_heading": "Automatic payment",
    "plan_automatic_off": (
        "Each instalment can be paid automatically on its date, from a card or a bank account you save with "
        "Stripe. You can stop it here at any time."
    ),
    "plan_automatic_on": "Each instalment is paid automatically on its date from {method}.",
    "plan_method_card": "the card {brand} ending in {last4}",
    "plan_method_sepa_debit": "the bank account ending in {last4}",
    "plan_method_saved": "your saved payment method",
    "plan_automatic_turn_on": "Pay each instalment automatically",
    "plan_automatic_turn_off": "Stop automatic payment",
    "plan_ended_completed": "Your payment plan was completed on {date}. Thank you!",
    "plan_ended_broken": (
        "Your payment plan ended on {date}: an instalment was missed, so what remained became due at once."
    ),
    "plan_ended_cancelled": "{creditor} ended your payment plan on {date}.",
    "plan_ended_declined": "{creditor} declined your proposed payment plan on {date}.",
    "plan_ended_withdrawn": "{creditor} withdrew the payment plan it offered on {date}.",
    "plan_started": "Thank you: your payment plan has started. Its schedule is below.",
    "plan_proposed": "Thank you: your proposal was sent to {creditor}. You will be told the answer by email.",
    "plan_accepted": "Thank you: you accepted the payment plan, and it has started. Its schedule is below.",
    "plan_invalid": (
        "Your proposal was not sent: please choose the invoices, a number of instalments, a first date from today "
        "on and how often."
    ),
    "plan_refused": (
        "Your proposal was not sent: {creditor} accepts up to {count} instalments, at least a week apart, the last "
        "one by {latest}, and a first instalment of at least {percent}% of the total. Please change it and send it "
        "again."
    ),
    "plan_exists": "Nothing was sent: a payment plan is already open for you; it is shown below.",
    "plan_debts_changed": (
        "Your proposal was not sent: these invoices cannot be in a plan now (paid, disputed, a payment on its way, "
        "or in a plan already). Please check them and try again."
    ),
    "plan_too_many": "Your proposal was not sent: a plan can cover at most 15 invoices. Please choose fewer.",
    "plan_try_again": (
        "Nothing was recorded: the records of {creditor} were being updated at that very moment. Please send it "
        "again in a moment."
    ),
    "plan_stale": (
        "This plan can no longer be accepted: the date of its first instalment has passed. Please write to {creditor}."
    ),
    "plan_unavailable": "Payment plans cannot be proposed from this page. Please write to {creditor}.",
    "pay_refused_plan_not_active": "This payment plan is not running, so nothing is asked of it. Nothing was charged.",
    "checkout_instalment": "Instalment {number} of {count} — Invoice {invoice}",
}
PLAN_FR: Mapping[str, str] = {
    "status_in_plan": "Dans un échéancier",
    "plan_heading": "Payer en plusieurs fois",
    "plan_intro": (
        "Si vous ne pouvez pas tout payer en une fois, vous pouvez proposer un paiement échelonné. {creditor} "
        "répond à votre proposition, et la réponse vous est envoyée par e-mail."
    ),
    "plan_intro_auto": (
        "Si vous ne pouvez pas tout payer en une fois, vous pouvez payer en plusieurs fois\u202f: un échéancier "
        "dans les limites ci-dessous commence immédiatement."
    ),
    "plan_limits": (
        "Jusqu’à {count} échéances, espacées d’au moins une semaine, la dernière au plus tard le {latest}\u202f; "
        "la première échéance représente au moins {percent}\u00a0% du total."
    ),
    "plan_explained": (
        "Le total est divisé en échéances égales, la dernière prenant l’arrondi. La première est due à la date "
        "que vous choisissez, puis une chaque semaine, toutes les deux semaines ou chaque mois."
    ),
    "plan_example": "Par exemple, {amount} en {count} mensualités à partir du {date}\u00a0: {schedule}.",
    "plan_debt_label": "Quelles factures\u202f?",
    "plan_debt_all": "Toutes les factures ouvertes en {currency} ({amount})",
    "plan_count_label": "Nombre d’échéances",
    "plan_first_label": "Date de la première échéance",
    "plan_every_label": "Fréquence",
    "plan_every_week": "Chaque semaine",
    "plan_every_two_weeks": "Toutes les deux semaines",
    "plan_every_month": "Chaque mois",
    "plan_propose_submit": "Proposer cet échéancier",
    "plan_summary": "{total} en {count} échéances, pour les factures {invoices}.",
    "plan_proposed_status": (
        "Votre proposition d’échéancier attend la réponse de {creditor}\u202f; elle vous sera envoyée par e-mail."
    ),
    "plan_offered_intro": "{creditor} vous propose cet échéancier\u00a0:",
    "plan_accept_submit": "Accepter cet échéancier",
    "plan_active_intro": "Votre échéancier\u00a0:",
    "plan_paid_so_far": "Déjà payé\u00a0: {paid} sur {total}.",
    "plan_caption": "Échéances",
    "plan_col_number": "Échéance",
    "plan_col_date": "Date",
    "plan_col_amount": "Montant",
    "plan_col_status": "Statut",
    "plan_instalment": "{number} sur {count}",
    "instalment_paid": "Payée",
    "instalment_due": "À régler aujourd’hui",
    "instalment_upcoming": "À venir",
    "instalment_overdue": "En retard",
    "instalment_missed": "Manquée",
    "instalment_part_paid": "{paid} payés",
    "plan_asked_now": "À régler maintenant\u00a0: échéance {number}, {amount}.",
    "plan_pay_instalment": "Payer l’échéance {number} ({amount})",
    "plan_automatic_heading": "Paiement automatique",
    "plan_automatic_off": (
        "Chaque échéance peut être prélevée automatiquement à sa date, sur une carte ou un compte bancaire que "
        "vous enregistrez auprès de Stripe. Vous pouvez l’arrêter ici à tout moment."
    ),
    "plan_automatic_on": "Chaque échéance est prélevée automatiquement à sa date sur {method}.",
    "plan_method_card": "la carte {brand} se terminant par {last4}",
    "plan_method_sepa_debit": "le compte bancaire se terminant par {last4}",
    "plan_method_saved": "votre moyen de paiement enregistré",
    "plan_automatic_turn_on": "Payer chaque échéance automatiquement",
    "plan_automatic_turn_off": "Arrêter le paiement automatique",
    "plan_ended_completed": "Votre échéancier a été entièrement réglé le {date}. Merci\u202f!",
    "plan_ended_broken": (
        "Votre échéancier a pris fin le {date}\u202f: une échéance n’a pas été réglée, le reste est donc devenu "
        "exigible immédiatement."
    ),
    "plan_ended_cancelled": "{creditor} a mis fin à votre échéancier le {date}.",
    "plan_ended_declined": "{creditor} a refusé votre proposition d’échéancier le {date}.",
    "plan_ended_withdrawn": "{creditor} a retiré l’échéancier proposé le {date}.",
    "plan_started": "Merci\u202f: votre échéancier a commencé. Son calendrier figure ci-dessous.",
    "plan_proposed": (
        "Merci\u202f: votre proposition a été transmise à {creditor}. La réponse vous sera envoyée par e-mail."
    ),
    "plan_accepted": "Merci\u202f: vous avez accepté l’échéancier, qui a commencé. Son calendrier figure ci-dessous.",
    "plan_invalid": (
        "Votre proposition n’a pas été envoyée\u202f: choisissez les factures, un nombre d’échéances, une première "
        "date à partir d’aujourd’hui et une fréquence."
    ),
    "plan_refused": (
        "Votre proposition n’a pas été envoyée\u202f: {creditor} accepte jusqu’à {count} échéances, espacées "
        "d’au moins une semaine, la dernière au plus tard le {latest}, et une première échéance d’au moins "
        "{percent}\u00a0% du total. Modifiez-la et envoyez-la à nouveau."
    ),
    "plan_exists": "Rien n’a été envoyé\u202f: un échéancier est déjà ouvert pour vous\u202f; il figure ci-dessous.",
    "plan_debts_changed": (
        "Votre proposition n’a pas été envoyée\u202f: ces factures ne peuvent pas être échelonnées maintenant "
        "(payées, contestées, un paiement en cours ou déjà dans un échéancier). Vérifiez-les et réessayez."
    ),
    "plan_too_many": (
        "Votre proposition n’a pas été envoyée\u202f: un échéancier couvre au plus 15 factures. Choisissez-en moins."
    ),
    "plan_try_again": (
        "Rien n’a été enregistré\u202f: le dossier de {creditor} était mis à jour au même moment. Merci de "
        "l’envoyer à nouveau dans un instant."
    ),
    "plan_stale": (
        "Cet échéancier ne peut plus être accepté\u202f: la date de sa première échéance est passée. Écrivez à "
        "{creditor}."
    ),
    "plan_unavailable": "Un échéancier ne peut pas être proposé depuis cette page. Écrivez à {creditor}.",
    "pay_refused_plan_not_active": (
        "Cet échéancier n’est pas en cours\u202f: rien n’est à régler à ce titre. Rien n’a été débité."
    ),
    "checkout_instalment": "Échéance {number} sur {count} — Facture {invoice}",
}
PLAN_DE: Mapping[str, str] = {
    "status_in_plan": "In einem Ratenplan",
    "plan_heading": "In Raten zahlen",
    "plan_intro": (
        "Wenn Sie nicht alles auf einmal zahlen können, können Sie eine Ratenzahlung vorschlagen. {creditor} "
        "beantwortet Ihren Vorschlag, und Sie erhalten die Antwort per E-Mail."
    ),
    "plan_intro_auto": (
        "Wenn Sie nicht alles auf einmal zahlen können, können Sie in Raten zahlen: Ein Ratenplan innerhalb der "
        "folgenden Grenzen beginnt sofort."
    ),
    "plan_limits": (
        "Bis zu {count} Raten, mindestens eine Woche auseinander, die letzte spätestens am {latest}; die erste "
        "Rate beträgt mindestens {percent} % der Gesamtsumme."
    ),
    "plan_explained": (
        "Die Gesamtsumme wird in gleiche Raten geteilt; die letzte Rate gleicht die Rundung aus. Die erste ist "
        "am gewählten Datum fällig, dann jede Woche, alle zwei Wochen oder jeden Monat eine weitere."
    ),
    "plan_example": "Zum Beispiel {amount} in {count} Monatsraten ab dem {date}: {schedule}.",
    "plan_debt_label": "Welche Rechnungen?",
    "plan_debt_all": "Alle offenen Rechnungen in {currency} ({amount})",
    "plan_count_label": "Anzahl der Raten",
    "plan_first_label": "Datum der ersten Rate",
    "plan_every_label": "Wie oft",
    "plan_every_week": "Jede Woche",
    "plan_every_two_weeks": "Alle zwei Wochen",
    "plan_every_month": "Jeden Monat",
    "plan_propose_submit": "Diesen Ratenplan vorschlagen",
    "plan_summary": "{total} in {count} Raten, für die Rechnungen {invoices}.",
    "plan_proposed_status": (
        "Ihr vorgeschlagener Ratenplan wartet auf die Antwort von {creditor}; Sie erhalten sie per E-Mail."
    ),
    "plan_offered_intro": "{creditor} bietet Ihnen diesen Ratenplan an:",
    "plan_accept_submit": "Diesen Ratenplan annehmen",
    "plan_active_intro": "Ihr Ratenplan:",
    "plan_paid_so_far": "Bisher bezahlt: {paid} von {total}.",
    "plan_caption": "Raten",
    "plan_col_number": "Rate",
    "plan_col_date": "Datum",
    "plan_col_amount": "Betrag",
    "plan_col_status": "Status",
    "plan_instalment": "{number} von {count}",
    "instalment_paid": "Bezahlt",
    "instalment_due": "Heute fällig",
    "instalment_upcoming": "Bevorstehend",
    "instalment_overdue": "Überfällig",
    "instalment_missed": "Versäumt",
    "instalment_part_paid": "{paid} bezahlt",
    "plan_asked_now": "Jetzt zu zahlen: Rate {number}, {amount}.",
    "plan_pay_instalment": "Rate {number} bezahlen ({amount})",
    "plan_automatic_heading": "Automatische Zahlung",
    "plan_automatic_off": (
        "Jede Rate kann an ihrem Datum automatisch eingezogen werden, von einer Karte oder einem Bankkonto, das "
        "Sie bei Stripe hinterlegen. Sie können das hier jederzeit beenden."
    ),
    "plan_automatic_on": "Jede Rate wird an ihrem Datum automatisch eingezogen von {method}.",
    "plan_method_card": "der Karte {brand} mit der Endung {last4}",
    "plan_method_sepa_debit": "dem Bankkonto mit der Endung {last4}",
    "plan_method_saved": "Ihrer hinterlegten Zahlungsart",
    "plan_automatic_turn_on": "Jede Rate automatisch bezahlen",
    "plan_automatic_turn_off": "Automatische Zahlung beenden",
    "plan_ended_completed": "Ihr Ratenplan wurde am {date} vollständig bezahlt. Vielen Dank!",
    "plan_ended_broken": (
        "Ihr Ratenplan endete am {date}: Eine Rate wurde versäumt, daher wurde der Rest sofort fällig."
    ),
    "plan_ended_cancelled": "{creditor} hat Ihren Ratenplan am {date} beendet.",
    "plan_ended_declined": "{creditor} hat Ihren vorgeschlagenen Ratenplan am {date} abgelehnt.",
    "plan_ended_withdrawn": "{creditor} hat den angebotenen Ratenplan am {date} zurückgezogen.",
    "plan_started": "Vielen Dank: Ihr Ratenplan hat begonnen. Die Raten stehen unten.",
    "plan_proposed": "Vielen Dank: Ihr Vorschlag wurde an {creditor} gesendet. Sie erhalten die Antwort per E-Mail.",
    "plan_accepted": "Vielen Dank: Sie haben den Ratenplan angenommen, und er hat begonnen. Die Raten stehen unten.",
    "plan_invalid": (
        "Ihr Vorschlag wurde nicht gesendet: Bitte wählen Sie die Rechnungen, die Anzahl der Raten, ein erstes "
        "Datum ab heute und wie oft."
    ),
    "plan_refused": (
        "Ihr Vorschlag wurde nicht gesendet: {creditor} akzeptiert bis zu {count} Raten, mindestens eine Woche "
        "auseinander, die letzte spätestens am {latest}, und eine erste Rate von mindestens {percent} % der "
        "Gesamtsumme. Bitte ändern Sie ihn und senden Sie ihn erneut."
    ),
    "plan_exists": "Es wurde nichts gesendet: Für Sie ist bereits ein Ratenplan offen; er steht unten.",
    "plan_debts_changed": (
        "Ihr Vorschlag wurde nicht gesendet: Diese Rechnungen können jetzt nicht in einen Ratenplan (bezahlt, "
        "bestritten, eine Zahlung unterwegs oder bereits in einem Ratenplan). Bitte prüfen Sie sie und versuchen "
        "Sie es erneut."
    ),
    "plan_too_many": (
        "Ihr Vorschlag wurde nicht gesendet: Ein Ratenplan umfasst höchstens 15 Rechnungen. Bitte wählen Sie weniger."
    ),
    "plan_try_again": (
        "Es wurde nichts gespeichert: Die Unterlagen von {creditor} wurden gerade in diesem Moment aktualisiert. "
        "Bitte senden Sie es gleich noch einmal."
    ),
    "plan_stale": (
        "Dieser Ratenplan kann nicht mehr angenommen werden: Das Datum seiner ersten Rate ist vorbei. Bitte "
        "schreiben Sie an {creditor}."
    ),
    "plan_unavailable": (
        "Ein Ratenplan kann auf dieser Seite nicht vorgeschlagen werden. Bitte schreiben Sie an {creditor}."
    ),
    "pay_refused_plan_not_active": (
        "Dieser Ratenplan läuft nicht, daher ist dafür nichts zu zahlen. Es wurde nichts abgebucht."
    ),
    "checkout_instalment": "Rate {number} von {count} — Rechnung {invoice}",
}

MESSAGES: Mapping[str, Mapping[str, str]] = {
    "en": {**EN, **PLAN_EN},
    "fr": {**FR, **PLAN_FR},
    "de": {**DE, **PLAN_DE},
}


def message(locale: str, key: str, **values: object) -> str:
    """The message `key` in the locale's language (English for an unsupported locale), its placeholders
    filled in. Plain text: the caller escapes it. Raises KeyError for a key no language has."""
    return MESSAGES[resolve_locale(locale)][key].format(**values)


def plural_key(key: str, count: int, locale: str) -> str:
    """`key_one` or `key_other`, by the language's rule: French treats 0 and 1 as singular, English and
    German only 1."""
    singular = count in (0, 1) if resolve_locale(locale) == "fr" else count == 1
    return f"{key}_one" if singular else f"{key}_other"
