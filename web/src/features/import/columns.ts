/**
 * The columns the importer understands, with the headers it recognises, copied from
 * layers/common/collectra/imports/columns.py (`_HEADERS`, `REQUIRED`). Matching ignores case, accents, spaces and
 * punctuation there, so "N° facture" and "n-facture" are the same header.
 */
export interface ImportColumn {
  field: string;
  required: boolean;
  headers: readonly string[];
}

export const COLUMNS: readonly ImportColumn[] = [
  {
    field: "invoice_number",
    required: true,
    headers: ["Invoice Number", "Invoice No", "Invoice #", "Invoice", "Invoice ID", "Number", "Rechnungsnummer", "Rechnungs-Nr.", "Rechnung Nr.", "Numéro de facture", "Numéro facture", "N° facture", "Facture"],
  },
  {
    field: "customer_name",
    required: true,
    headers: ["Customer", "Customer Name", "Client", "Client Name", "Contact", "Contact Name", "Name", "Kunde", "Kundenname", "Nom du client", "Nom client", "Nom"],
  },
  {
    field: "amount",
    required: true,
    headers: ["Amount", "Amount Due", "Total", "Balance", "Balance Due", "Outstanding", "Amount Outstanding", "Betrag", "Offener Betrag", "Montant", "Montant TTC", "Montant dû", "Reste à payer"],
  },
  {
    field: "due_date",
    required: true,
    headers: ["Due Date", "Due", "Payment Due", "Fälligkeitsdatum", "Fällig am", "Fälligkeit", "Date d'échéance", "Échéance"],
  },
  {
    field: "customer_email",
    required: false,
    headers: ["Email", "E-mail", "Email Address", "Customer Email", "Client Email", "Contact Email", "E-Mail-Adresse", "Courriel", "Adresse e-mail"],
  },
  {
    field: "reference",
    required: false,
    headers: ["Reference", "Ref", "Customer ID", "Customer Number", "Customer Ref", "Customer Reference", "Account", "Account Number", "Kundennummer", "Kunden-Nr.", "Référence client", "Numéro client", "Code client"],
  },
  { field: "currency", required: false, headers: ["Currency", "Currency Code", "Währung", "Devise"] },
  {
    field: "issue_date",
    required: false,
    headers: ["Issue Date", "Invoice Date", "Date", "Rechnungsdatum", "Datum", "Date de facture", "Date facture", "Date d'émission"],
  },
  { field: "description", required: false, headers: ["Description", "Memo", "Beschreibung", "Libellé"] },
  {
    field: "debtor_kind",
    required: false,
    headers: ["Debtor Kind", "Debtor Type", "Customer Kind", "Customer Type", "Client Type", "B2B/B2C", "Kundenart", "Kundentyp", "Type de client", "Type client"],
  },
]; // prettier-ignore

/** A small file in the user's language, written the way that language's accounting tools export it. */
const SAMPLES: Record<string, string> = {
  en: [
    "Invoice Number,Customer Name,Email,Reference,Amount,Currency,Due Date,Issue Date,Description",
    "INV-1001,Acme Trading Ltd,accounts@acme.example,C-001,\"1,250.00\",EUR,2027-01-31,2026-12-01,Consulting (December)",
    "INV-1002,Jane Doe,jane.doe@example.com,C-002,89.90,EUR,2027-02-15,2026-12-15,Annual subscription",
    "INV-1003,Acme Trading Ltd,accounts@acme.example,C-001,430.00,EUR,2027-02-28,2027-01-05,Support hours",
  ].join("\r\n"),
  fr: [
    "Numéro de facture;Nom du client;Courriel;Référence client;Montant;Devise;Échéance;Date de facture;Libellé",
    "FA-1001;Société Martin SARL;compta@martin.example;C-001;1 250,00;EUR;31/01/2027;01/12/2026;Conseil (décembre)",
    "FA-1002;Claire Dubois;claire.dubois@example.fr;C-002;89,90;EUR;15/02/2027;15/12/2026;Abonnement annuel",
    "FA-1003;Société Martin SARL;compta@martin.example;C-001;430,00;EUR;28/02/2027;05/01/2027;Heures d'assistance",
  ].join("\r\n"),
  de: [
    "Rechnungsnummer;Kundenname;E-Mail-Adresse;Kundennummer;Betrag;Währung;Fälligkeitsdatum;Rechnungsdatum;Beschreibung",
    "RE-1001;Müller GmbH;buchhaltung@mueller.example;K-001;1.250,00;EUR;31.01.2027;01.12.2026;Beratung (Dezember)",
    "RE-1002;Anna Schmidt;anna.schmidt@example.de;K-002;89,90;EUR;15.02.2027;15.12.2026;Jahresabonnement",
    "RE-1003;Müller GmbH;buchhaltung@mueller.example;K-001;430,00;EUR;28.02.2027;05.01.2027;Supportstunden",
  ].join("\r\n"),
};

export function sampleCsv(language: string): string {
  return `${SAMPLES[language] ?? SAMPLES.en}\r\n`;
}
