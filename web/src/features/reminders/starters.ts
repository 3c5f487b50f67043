/**
 * Collectra's built-in wording (layers/common/collectra/reminders/templates.py `BUILT_IN`), the starting point
 * when a business writes its own: the API sends these texts but has no route that returns their source, so
 * they are copied here. If the built-in texts change, regenerate this file from templates.py.
 */
import type { TemplateLocale, Tone, Wording } from "./policyForm";

export const BUILT_IN_WORDING: Record<TemplateLocale, Record<Tone, Wording>> = {
  en: {
    friendly: {
      subject: "A reminder from {{ creditor_name }}",
      text: "Hello {{ debtor_name }},\n\nThis is a friendly reminder from {{ creditor_name }} about:\n\n{% for invoice in invoices %}- {{ invoice.number }}: {{ invoice.outstanding }} ({{ invoice.due_label }} {{ invoice.due_date }})\n{% endfor %}\nTotal outstanding: {{ total_outstanding }}.\n\nYou can see the details and pay securely here: {{ pay_link }}\n\nIf you have already paid, or something is not right, tell us on the same page: {{ contact_link }}\n\nThank you,\n{{ creditor_name }}\n{{ creditor_address }}\n\nTo stop these reminders: {{ opt_out_link }}",
    },
    firm: {
      subject: "Payment overdue: {{ total_outstanding }} to {{ creditor_name }}",
      text: "Hello {{ debtor_name }},\n\nOur records show that the following is still unpaid:\n\n{% for invoice in invoices %}- {{ invoice.number }}: {{ invoice.outstanding }} ({{ invoice.due_label }} {{ invoice.due_date }})\n{% endfor %}\nTotal outstanding: {{ total_outstanding }}. Please pay it now: {{ pay_link }}\n\nIf you cannot pay right away, tell us by when you can: {{ contact_link }}\n\n{{ creditor_name }}\n{{ creditor_address }}\n\nTo stop these reminders: {{ opt_out_link }}",
    },
    final: {
      subject: "Final reminder: {{ total_outstanding }} to {{ creditor_name }}",
      text: "Hello {{ debtor_name }},\n\nThis is our final reminder about:\n\n{% for invoice in invoices %}- {{ invoice.number }}: {{ invoice.outstanding }} ({{ invoice.due_label }} {{ invoice.due_date }})\n{% endfor %}\nTotal outstanding: {{ total_outstanding }}. Please pay it or contact us without delay.\n\nPay: {{ pay_link }}\nTalk to us: {{ contact_link }}\n\n{{ creditor_name }}\n{{ creditor_address }}\n\nTo stop these reminders: {{ opt_out_link }}",
    },
  },
  fr: {
    friendly: {
      subject: "Un rappel de {{ creditor_name }}",
      text: "Bonjour {{ debtor_name }},\n\nPetit rappel de {{ creditor_name }} au sujet de :\n\n{% for invoice in invoices %}- {{ invoice.number }}: {{ invoice.outstanding }} ({{ invoice.due_label }} {{ invoice.due_date }})\n{% endfor %}\nTotal restant dû : {{ total_outstanding }}.\n\nVous pouvez voir le détail et payer en toute sécurité ici : {{ pay_link }}\n\nSi vous avez déjà payé, ou si quelque chose ne va pas, dites-le-nous sur la même page : {{ contact_link }}\n\nMerci,\n{{ creditor_name }}\n{{ creditor_address }}\n\nPour ne plus recevoir ces rappels : {{ opt_out_link }}",
    },
    firm: {
      subject: "Paiement en retard : {{ total_outstanding }} à {{ creditor_name }}",
      text: "Bonjour {{ debtor_name }},\n\nSelon nos registres, ceci reste impayé :\n\n{% for invoice in invoices %}- {{ invoice.number }}: {{ invoice.outstanding }} ({{ invoice.due_label }} {{ invoice.due_date }})\n{% endfor %}\nTotal restant dû : {{ total_outstanding }}. Merci de le régler maintenant : {{ pay_link }}\n\nSi vous ne pouvez pas payer tout de suite, indiquez-nous quand vous le pourrez : {{ contact_link }}\n\n{{ creditor_name }}\n{{ creditor_address }}\n\nPour ne plus recevoir ces rappels : {{ opt_out_link }}",
    },
    final: {
      subject: "Dernier rappel : {{ total_outstanding }} à {{ creditor_name }}",
      text: "Bonjour {{ debtor_name }},\n\nCeci est notre dernier rappel au sujet de :\n\n{% for invoice in invoices %}- {{ invoice.number }}: {{ invoice.outstanding }} ({{ invoice.due_label }} {{ invoice.due_date }})\n{% endfor %}\nTotal restant dû : {{ total_outstanding }}. Merci de le régler ou de nous contacter sans tarder.\n\nPayer : {{ pay_link }}\nNous répondre : {{ contact_link }}\n\n{{ creditor_name }}\n{{ creditor_address }}\n\nPour ne plus recevoir ces rappels : {{ opt_out_link }}",
    },
  },
  de: {
    friendly: {
      subject: "Eine Erinnerung von {{ creditor_name }}",
      text: "Hallo {{ debtor_name }},\n\n{{ creditor_name }} erinnert Sie freundlich an:\n\n{% for invoice in invoices %}- {{ invoice.number }}: {{ invoice.outstanding }} ({{ invoice.due_label }} {{ invoice.due_date }})\n{% endfor %}\nOffen insgesamt: {{ total_outstanding }}.\n\nDetails und sichere Zahlung: {{ pay_link }}\n\nWenn Sie schon bezahlt haben oder etwas nicht stimmt, sagen Sie es uns auf derselben Seite: {{ contact_link }}\n\nVielen Dank,\n{{ creditor_name }}\n{{ creditor_address }}\n\nKeine weiteren Erinnerungen: {{ opt_out_link }}",
    },
    firm: {
      subject: "Zahlung überfällig: {{ total_outstanding }} an {{ creditor_name }}",
      text: "Hallo {{ debtor_name }},\n\nLaut unseren Unterlagen ist Folgendes noch offen:\n\n{% for invoice in invoices %}- {{ invoice.number }}: {{ invoice.outstanding }} ({{ invoice.due_label }} {{ invoice.due_date }})\n{% endfor %}\nOffen insgesamt: {{ total_outstanding }}. Bitte zahlen Sie jetzt: {{ pay_link }}\n\nWenn Sie nicht sofort zahlen können, sagen Sie uns, bis wann: {{ contact_link }}\n\n{{ creditor_name }}\n{{ creditor_address }}\n\nKeine weiteren Erinnerungen: {{ opt_out_link }}",
    },
    final: {
      subject: "Letzte Erinnerung: {{ total_outstanding }} an {{ creditor_name }}",
      text: "Hallo {{ debtor_name }},\n\ndies ist unsere letzte Erinnerung an:\n\n{% for invoice in invoices %}- {{ invoice.number }}: {{ invoice.outstanding }} ({{ invoice.due_label }} {{ invoice.due_date }})\n{% endfor %}\nOffen insgesamt: {{ total_outstanding }}. Bitte zahlen Sie oder melden Sie sich umgehend.\n\nBezahlen: {{ pay_link }}\nAntworten: {{ contact_link }}\n\n{{ creditor_name }}\n{{ creditor_address }}\n\nKeine weiteren Erinnerungen: {{ opt_out_link }}",
    },
  },
};
