"""One row at a time: what makes a row an ImportRow, and how each problem in it is reported."""

from datetime import date

from collectra.imports import ParsedFile, RowError, parse_csv

HEADER = "Invoice,Customer,Email,Reference,Amount,Currency,Due Date,Issue Date,Description"


def parse(*rows: str, header: str = HEADER, hint: str | None = None) -> ParsedFile:
    return parse_csv("\n".join([header, *rows]).encode(), default_currency="EUR", locale_hint=hint)


def reasons(parsed: ParsedFile) -> dict[str, str]:
    return {error.column: error.reason for error in parsed.errors}


def test_every_field_is_read_and_stripped() -> None:
    (row,) = parse(
        " INV-1 , Dupont SA , Ana@Example.COM , C-42 , 12.50 , usd , 2026-12-31 , 2026-11-30 , Repairs "
    ).rows
    assert (row.invoice_number, row.customer_name, row.customer_email) == ("INV-1", "Dupont SA", "ana@example.com")
    assert (row.reference, row.amount_minor, row.currency) == ("C-42", 1250, "USD")
    assert (row.due_date, row.issue_date, row.description) == (date(2026, 12, 31), date(2026, 11, 30), "Repairs")


def test_optional_fields_left_empty_are_none() -> None:
    row = parse("INV-1,Dupont SA,,,12.50,,2026-12-31,,").rows[0]
    assert (row.customer_email, row.reference, row.issue_date, row.description) == (None, None, None, None)
    assert row.currency == "EUR"


def test_every_problem_of_a_row_is_reported_and_the_row_is_left_out() -> None:
    parsed = parse(",Dupont SA,not-an-email,,-5,EUR,someday,,")
    assert parsed.rows == []
    assert parsed.errors == [
        RowError(2, "Invoice", "the invoice number is empty"),
        RowError(2, "Email", "'not-an-email' is not an email address"),
        RowError(2, "Amount", "'-5' is negative: only amounts owed can be imported"),
        RowError(2, "Due Date", "'someday' is not a date: write it like 2026-12-31 or 31/12/2026"),
    ]


def test_good_rows_are_kept_beside_bad_ones() -> None:
    parsed = parse("1,A,,,1,,2026-12-31,,", "2,B,,,0,,2026-12-31,,", "3,C,,,3,,2026-12-31,,")
    assert [row.invoice_number for row in parsed.rows] == ["1", "3"]
    assert [error.row_number for error in parsed.errors] == [3]


def test_a_repeated_invoice_number_is_an_error_on_each_later_row_naming_the_first() -> None:
    invoices = [("F-1", "A"), ("F-2", "B"), ("F-1", "C"), ("F-1", "D")]
    parsed = parse(*(f"{invoice},{customer},,,1,,2026-12-31,," for invoice, customer in invoices))
    assert [row.row_number for row in parsed.rows] == [2, 3]
    assert parsed.errors == [
        RowError(4, "Invoice", "invoice number 'F-1' is already on row 2"),
        RowError(5, "Invoice", "invoice number 'F-1' is already on row 2"),
    ]


def test_invoice_numbers_differing_only_in_case_are_different_invoices() -> None:
    assert len(parse("f-1,A,,,1,,2026-12-31,,", "F-1,B,,,1,,2026-12-31,,").rows) == 2


def test_a_row_with_more_cells_than_the_header_is_an_error() -> None:
    parsed = parse("1,A,1,2026-12-31,surprise", header="Invoice,Customer,Amount,Due")
    assert parsed.errors == [RowError(2, "", "the row has 5 cells, the header has 4")]


def test_empty_cells_past_the_last_column_are_not_extra_cells() -> None:
    assert parse("1,A,1,2026-12-31,,,", header="Invoice,Customer,Amount,Due").errors == []


def test_a_short_row_reads_its_missing_cells_as_empty() -> None:
    parsed = parse("1,A,1", header="Invoice,Customer,Amount,Due")
    assert parsed.errors == [RowError(2, "Due", "the due date is empty")]


def test_a_missing_customer_name_is_an_error() -> None:
    assert reasons(parse("1,,,,1,,2026-12-31,,")) == {"Customer": "the customer name is empty"}


def test_an_empty_amount_is_an_error() -> None:
    assert reasons(parse("1,A,,,,,2026-12-31,,")) == {"Amount": "the amount is empty"}


def test_an_invoice_number_over_64_characters_is_an_error() -> None:
    parsed = parse(f"{'9' * 65},A,,,1,,2026-12-31,,")
    assert reasons(parsed) == {"Invoice": "the invoice number is 65 characters long; at most 64"}


def test_an_invoice_number_of_64_characters_is_fine() -> None:
    assert parse(f"{'9' * 64},A,,,1,,2026-12-31,,").errors == []


def test_a_customer_name_over_200_characters_is_an_error() -> None:
    assert "at most 200" in reasons(parse(f"1,{'a' * 201},,,1,,2026-12-31,,"))["Customer"]


def test_a_reference_over_64_characters_is_an_error() -> None:
    assert "at most 64" in reasons(parse(f"1,A,,{'r' * 65},1,,2026-12-31,,"))["Reference"]


def test_a_reference_starting_with_a_hash_is_an_error_as_in_the_debtor_api() -> None:
    assert "starts with #" in reasons(parse("1,A,,#42,1,,2026-12-31,,"))["Reference"]


def test_a_description_over_500_characters_is_an_error() -> None:
    assert "at most 500" in reasons(parse(f"1,A,,,1,,2026-12-31,,{'d' * 501}"))["Description"]


def test_an_email_is_checked_with_the_api_s_pattern() -> None:
    assert reasons(parse("1,A,ana@example,,1,,2026-12-31,,")) == {"Email": "'ana@example' is not an email address"}


def test_an_unknown_currency_code_is_an_error_on_the_currency_column() -> None:
    assert reasons(parse("1,A,,,12.50,XYZ,2026-12-31,,")) == {
        "Currency": "'XYZ' is not a currency code (e.g. EUR, USD, GBP)"
    }


def test_the_currency_column_wins_over_the_default() -> None:
    assert parse("1,A,,,1200,jpy,2026-12-31,,").rows[0].currency == "JPY"


def test_an_issue_date_after_the_due_date_is_an_error() -> None:
    assert reasons(parse("1,A,,,1,,2026-12-01,2026-12-02,")) == {
        "Issue Date": "the issue date '2026-12-02' is after the due date '2026-12-01'"
    }


def test_an_issue_date_on_the_due_date_is_fine() -> None:
    assert parse("1,A,,,1,,2026-12-01,2026-12-01,").errors == []


def test_formula_like_text_is_kept_as_text() -> None:
    row = parse("=HYPERLINK(1),@Dupont,,+33,1,,2026-12-31,,-refund? no").rows[0]
    assert (row.invoice_number, row.customer_name, row.reference, row.description) == (
        "=HYPERLINK(1)",
        "@Dupont",
        "+33",
        "-refund? no",
    )


def test_a_formula_in_the_amount_is_an_error() -> None:
    assert reasons(parse('1,A,,,"=SUM(A1:A3)",,2026-12-31,,')) == {
        "Amount": "'=SUM(A1:A3)' looks like a spreadsheet formula, not an amount"
    }


def test_the_column_of_an_error_is_the_header_as_written() -> None:
    parsed = parse("1;Dupont;abc;31.12.2026", header="Rechnungs-Nr.;Kunde;Offener Betrag;Fällig am")
    assert parsed.errors == [RowError(2, "Offener Betrag", "'abc' is not an amount")]
