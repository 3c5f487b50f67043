"""Recognising columns from the headers accounting tools write, in English, French and German."""

import pytest

from collectra.imports import parse_csv
from collectra.imports.columns import _HEADERS, field_of, header_key

HEADERS = {
    "invoice_number": [
        "Invoice Number", "Invoice No", "Invoice #", "Invoice", "Number", "Rechnungsnummer", "Rechnungs-Nr.",
        "Numéro de facture", "N° facture", "Facture",
    ],
    "customer_name": [
        "Customer", "Customer Name", "Client", "Client Name", "Kunde", "Kundenname", "Nom du client", "Contact",
        "Name",
    ],
    "customer_email": ["Email", "E-mail", "Customer Email", "Courriel", "E-Mail-Adresse"],
    "amount": [
        "Amount", "Amount Due", "Total", "Balance", "Balance Due", "Outstanding", "Betrag", "Offener Betrag",
        "Montant", "Montant TTC", "Reste à payer",
    ],
    "currency": ["Currency", "Währung", "Devise"],
    "due_date": ["Due Date", "Due", "Payment Due", "Fälligkeitsdatum", "Fällig am", "Date d'échéance", "Échéance"],
    "issue_date": ["Issue Date", "Invoice Date", "Date", "Rechnungsdatum", "Date de facture", "Date d'émission"],
    "reference": [
        "Reference", "Ref", "Customer ID", "Customer Number", "Account", "Kundennummer", "Référence client",
    ],
    "description": ["Description", "Memo", "Beschreibung", "Libellé"],
    "debtor_kind": ["debtor_kind", "Debtor Kind", "Customer Type", "B2B/B2C", "Kundentyp", "Type de client"],
}  # fmt: skip


@pytest.mark.parametrize(
    ("header", "field"), [(header, field) for field, headers in HEADERS.items() for header in headers]
)
def test_common_headers_name_their_field(header: str, field: str) -> None:
    assert field_of(header) == field


@pytest.mark.parametrize("header", ["DUE DATE", "due_date", "  Due-Date ", "DueDate", "due.date"])
def test_case_spaces_and_punctuation_do_not_matter(header: str) -> None:
    assert field_of(header) == "due_date"


@pytest.mark.parametrize("header", ["ECHEANCE", "Echéance", "échéance", "Faelligkeitsdatum", "FÄLLIG AM"])
def test_accents_do_not_matter(header: str) -> None:
    assert field_of(header) == "due_date"


def test_the_numero_sign_is_read_like_the_degree_sign_french_files_use_for_it() -> None:
    assert field_of("Nº facture") == field_of("N° facture") == "invoice_number"


def test_an_unknown_header_names_nothing() -> None:
    assert field_of("Salesperson") is None


def test_no_header_is_recognised_for_two_fields() -> None:
    fields_by_key: dict[str, set[str]] = {}
    for field, headers in _HEADERS.items():
        for header in headers:
            fields_by_key.setdefault(header_key(header), set()).add(field)
    assert {key: fields for key, fields in fields_by_key.items() if len(fields) > 1} == {}


def test_a_french_file_is_read_with_its_own_headers_and_amounts() -> None:
    header = "N° facture;Nom du client;Montant TTC;Date d'échéance;Date de facture"
    row = parse_csv(
        f"{header}\nF-7;Dupont SA;1 234,56 €;31/12/2026;01/12/2026\n".encode(), default_currency="EUR"
    ).rows[0]
    assert (row.invoice_number, row.customer_name, row.amount_minor) == ("F-7", "Dupont SA", 123456)
    assert (row.due_date.isoformat(), row.issue_date and row.issue_date.isoformat()) == ("2026-12-31", "2026-12-01")


def test_a_german_file_is_read_with_its_own_headers_and_amounts() -> None:
    header = "Rechnungs-Nr.;Kundenname;Offener Betrag;Währung;Fälligkeitsdatum"
    row = parse_csv(f"{header}\nR-9;Müller GmbH;1.234,56;eur;31.12.2026\n".encode(), default_currency="CHF").rows[0]
    assert (row.invoice_number, row.customer_name) == ("R-9", "Müller GmbH")
    assert (row.amount_minor, row.currency) == (123456, "EUR")
    assert row.due_date.isoformat() == "2026-12-31"
