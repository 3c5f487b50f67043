"""Which column of a file holds which field, from headers as accounting tools write them (English, French,
German). Matching ignores case, accents, spaces and punctuation: "N° facture" is "Nfacture" is "n-facture".
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from collectra.imports.model import MalformedFile

INVOICE_NUMBER = "invoice_number"
CUSTOMER_NAME = "customer_name"
CUSTOMER_EMAIL = "customer_email"
REFERENCE = "reference"
AMOUNT = "amount"
CURRENCY = "currency"
DUE_DATE = "due_date"
ISSUE_DATE = "issue_date"
DESCRIPTION = "description"
DEBTOR_KIND = "debtor_kind"

REQUIRED = (INVOICE_NUMBER, CUSTOMER_NAME, AMOUNT, DUE_DATE)

# How messages name a field, and the header suggested when it is missing.
LABELS = {
    INVOICE_NUMBER: ("invoice number", "Invoice Number"),
    CUSTOMER_NAME: ("customer name", "Customer Name"),
    CUSTOMER_EMAIL: ("customer email", "Customer Email"),
    REFERENCE: ("customer reference", "Reference"),
    AMOUNT: ("amount", "Amount"),
    CURRENCY: ("currency", "Currency"),
    DUE_DATE: ("due date", "Due Date"),
    ISSUE_DATE: ("issue date", "Issue Date"),
    DESCRIPTION: ("description", "Description"),
    DEBTOR_KIND: ("customer kind (business or consumer)", "Debtor Kind"),
}

# Written as the tools write them, so this reads as the list of what is recognised; matched after `header_key`.
_HEADERS = {
    INVOICE_NUMBER: (
        "Invoice Number", "Invoice No", "Invoice #", "Invoice", "Invoice ID", "Number",
        "Rechnungsnummer", "Rechnungs-Nr.", "Rechnung Nr.",
        "Numéro de facture", "Numéro facture", "N° facture", "Nº facture", "Facture",
    ),
    CUSTOMER_NAME: (
        "Customer", "Customer Name", "Client", "Client Name", "Contact", "Contact Name", "Name",
        "Kunde", "Kundenname", "Nom du client", "Nom client", "Nom",
    ),
    CUSTOMER_EMAIL: (
        "Email", "E-mail", "Email Address", "Customer Email", "Client Email", "Contact Email",
        "E-Mail-Adresse", "Courriel", "Adresse e-mail",
    ),
    REFERENCE: (
        "Reference", "Ref", "Customer ID", "Customer Number", "Customer Ref", "Customer Reference",
        "Account", "Account Number", "Kundennummer", "Kunden-Nr.", "Référence client", "Numéro client",
        "Code client",
    ),
    AMOUNT: (
        "Amount", "Amount Due", "Total", "Balance", "Balance Due", "Outstanding", "Amount Outstanding",
        "Betrag", "Offener Betrag", "Montant", "Montant TTC", "Montant dû", "Reste à payer",
    ),
    CURRENCY: ("Currency", "Currency Code", "Währung", "Waehrung", "Devise"),
    DUE_DATE: (
        "Due Date", "Due", "Payment Due", "Fälligkeitsdatum", "Faelligkeitsdatum", "Fällig am", "Faellig am",
        "Fälligkeit", "Date d'échéance", "Échéance",
    ),
    ISSUE_DATE: (
        "Issue Date", "Invoice Date", "Date", "Rechnungsdatum", "Datum",
        "Date de facture", "Date facture", "Date d'émission",
    ),
    DESCRIPTION: ("Description", "Memo", "Beschreibung", "Libellé"),
    DEBTOR_KIND: (
        "Debtor Kind", "Debtor Type", "Customer Kind", "Customer Type", "Client Type", "B2B/B2C",
        "Kundenart", "Kundentyp", "Type de client", "Type client",
    ),
}  # fmt: skip


# What a cell of the debtor kind column may say, as `header_key` leaves it: the API's words, and the usual ones.
DEBTOR_KINDS = {
    **dict.fromkeys(("business", "b2b", "company", "entreprise", "professionnel", "unternehmen", "firma"), "business"),
    **dict.fromkeys(("consumer", "b2c", "private", "particulier", "consommateur", "verbraucher", "privat"), "consumer"),
}


def header_key(header: str) -> str:
    """What is left of a header once case, accents, spaces and punctuation are gone ("Fällig am" -> "falligam")."""
    # NFKD splits "é" into "e" and a combining accent, which is not alphanumeric and goes with the punctuation.
    decomposed = unicodedata.normalize("NFKD", header.casefold())
    return "".join(character for character in decomposed if character.isalnum())


_FIELD_BY_KEY = {header_key(header): field for field, headers in _HEADERS.items() for header in headers}


def field_of(header: str) -> str | None:
    return _FIELD_BY_KEY.get(header_key(header))


def recognised(header: list[str]) -> int:
    """How many cells of a candidate header row name a field: how the delimiter is chosen."""
    return sum(1 for cell in header if field_of(cell) is not None)


@dataclass(frozen=True)
class Layout:
    """Where each recognised field sits in a row."""

    position: dict[str, int]  # canonical field -> index of its cell
    headers: dict[str, str]  # canonical field -> header as written
    width: int  # cells in the header row


def layout_of(header: list[str]) -> Layout:
    """Raises MalformedFile when no column is recognised, a field is named twice or a required one is missing."""
    found: dict[str, list[tuple[int, str]]] = {}
    for index, cell in enumerate(header):
        written = cell.strip()
        field = field_of(written)
        if field is not None:
            found.setdefault(field, []).append((index, written))
    if not found:
        raise MalformedFile(
            "The first row does not name any column Collectra knows: it should be a header row naming at least "
            f"{_suggested(REQUIRED)}.",
            details={"problem": "no_header"},
        )
    for field, places in found.items():
        if len(places) > 1:
            names = [name for _, name in places]
            both = "both" if len(names) == 2 else "all"
            raise MalformedFile(
                f"The columns {_quoted_list(names)} {both} look like the {LABELS[field][0]}: keep one of them, "
                "or rename the others.",
                details={"problem": "duplicate_column", "field": field, "columns": names},
            )
    missing = [field for field in REQUIRED if field not in found]
    if missing:
        holding = "the column that holds it" if len(missing) == 1 else "the columns that hold them"
        raise MalformedFile(
            f"The file has no column for the {_and_list([LABELS[field][0] for field in missing])}. "
            f"Add {_suggested(missing)}, or rename {holding}.",
            details={
                "problem": "missing_columns",
                "missing": missing,
                "columns": {field: places[0][1] for field, places in found.items()},
            },
        )
    return Layout(
        position={field: places[0][0] for field, places in found.items()},
        headers={field: places[0][1] for field, places in found.items()},
        width=len(header),
    )


def _suggested(fields: tuple[str, ...] | list[str]) -> str:
    return _and_list([f"'{LABELS[field][1]}'" for field in fields])


def _quoted_list(names: list[str]) -> str:
    return _and_list([f"'{name}'" for name in names])


def _and_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
