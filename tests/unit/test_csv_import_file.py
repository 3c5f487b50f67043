"""The file as a whole: what refuses it outright, and how its structure (encoding, delimiter, quoting) is read."""

from datetime import date

import pytest

from collectra.imports import MAX_BYTES, MAX_ROWS, ImportRow, MalformedFile, ParsedFile, parse_csv
from collectra.imports import reader as csv_reader

HEADER = "Invoice Number,Customer Name,Amount,Due Date"


def parse(text: str, *, hint: str | None = None, currency: str = "EUR") -> ParsedFile:
    return parse_csv(text.encode(), default_currency=currency, locale_hint=hint)


def refusal(data: bytes) -> MalformedFile:
    with pytest.raises(MalformedFile) as raised:
        parse_csv(data, default_currency="EUR")
    return raised.value


def test_a_plain_file_gives_one_row_per_debt() -> None:
    parsed = parse(f"{HEADER}\nINV-1,Dupont SA,120.50,2026-12-31\n")
    assert parsed.rows == [
        ImportRow(
            row_number=2,
            invoice_number="INV-1",
            customer_name="Dupont SA",
            customer_email=None,
            reference=None,
            amount_minor=12050,
            currency="EUR",
            due_date=date(2026, 12, 31),
            issue_date=None,
            description=None,
        )
    ]
    assert parsed.errors == []
    assert parsed.delimiter == ","


def test_a_refused_file_is_a_422_with_its_own_code() -> None:
    error = refusal(b"")
    assert (error.status, error.code) == (422, "malformed_csv")


def test_a_byte_order_mark_is_not_part_of_the_first_header() -> None:
    parsed = parse_csv(f"\ufeff{HEADER}\n1,A,1,2026-12-31\n".encode(), default_currency="EUR")
    assert parsed.columns["invoice_number"] == "Invoice Number"
    assert len(parsed.rows) == 1


def test_a_semicolon_file_is_read_with_semicolons() -> None:
    parsed = parse("Invoice Number;Customer Name;Amount;Due Date\nINV-1;Dupont, Martin & Co;12,50;31/12/2026\n")
    assert parsed.delimiter == ";"
    assert (parsed.rows[0].customer_name, parsed.rows[0].amount_minor) == ("Dupont, Martin & Co", 1250)


def test_the_delimiter_is_the_one_that_recognises_more_columns() -> None:
    # Split by commas this header gives two cells, one of them "Customer Name;Amount;Due Date".
    parsed = parse("Invoice Number;Customer Name;Amount;Due Date;Note, internal\n1;A;1;2026-12-31;x\n")
    assert parsed.delimiter == ";"


def test_quoted_fields_keep_their_delimiters_and_newlines() -> None:
    parsed = parse(f'{HEADER},Description\n1,"Smith, Jones","1,200.00",2026-12-31,"line one\nline two"\n', hint="en")
    row = parsed.rows[0]
    assert (row.customer_name, row.amount_minor, row.description) == ("Smith, Jones", 120000, "line one\nline two")


def test_row_numbers_are_spreadsheet_rows_even_after_a_multi_line_cell() -> None:
    parsed = parse(f'{HEADER},Description\n1,A,1,2026-12-31,"two\nlines"\n2,B,2,2026-12-31,\n')
    assert [row.row_number for row in parsed.rows] == [2, 3]


def test_windows_line_endings_are_read_like_any_other() -> None:
    parsed = parse(f"{HEADER}\r\n1,A,1,2026-12-31\r\n2,B,2,2026-12-31\r\n")
    assert [row.invoice_number for row in parsed.rows] == ["1", "2"]


def test_empty_lines_are_skipped_but_still_count_as_rows() -> None:
    parsed = parse(f"{HEADER}\n\n1,A,1,2026-12-31\n,,,\n\n2,B,2,2026-12-31\n")
    assert [row.row_number for row in parsed.rows] == [3, 6]
    assert parsed.errors == []


def test_a_file_over_five_megabytes_is_refused() -> None:
    error = refusal(f"{HEADER}\n".encode() + b"x" * MAX_BYTES)
    assert error.details["problem"] == "too_large"
    assert "5 MB" in error.message


def test_a_file_of_exactly_five_megabytes_is_not_refused_for_its_size() -> None:
    head = f"{HEADER}\n1,A,1,2026-12-31\n".encode()
    blank_line = b" " * 1023 + b"\n"
    padding, rest = divmod(MAX_BYTES - len(head), len(blank_line))
    parsed = parse_csv(head + blank_line * padding + b" " * rest, default_currency="EUR")
    assert len(parsed.rows) == 1


def test_more_data_rows_than_the_limit_refuses_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    # The real limit (50,000) is the same code path; three keeps the test fast.
    monkeypatch.setattr(csv_reader, "MAX_ROWS", 3)
    error = refusal((f"{HEADER}\n" + "".join(f"{n},A,1,2026-12-31\n" for n in range(4))).encode())
    assert error.details == {"problem": "too_many_rows", "limit": 3}


def test_exactly_the_row_limit_is_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csv_reader, "MAX_ROWS", 3)
    parsed = parse(f"{HEADER}\n\n\n" + "".join(f"{n},A,1,2026-12-31\n" for n in range(3)))
    assert len(parsed.rows) == 3


def test_the_limits_are_five_megabytes_and_fifty_thousand_rows() -> None:
    assert (MAX_BYTES, MAX_ROWS) == (5 * 1024 * 1024, 50_000)


def test_a_file_that_is_not_utf8_is_refused_naming_the_line() -> None:
    error = refusal(f"{HEADER}\n1,Société Générale,1,2026-12-31\n".encode("latin-1"))
    assert error.details == {"problem": "not_utf8", "line": 2}
    assert "UTF-8" in error.message


def test_an_empty_file_is_refused() -> None:
    assert refusal(b"").details["problem"] == "empty"


def test_a_file_of_blank_lines_and_a_byte_order_mark_is_empty() -> None:
    assert refusal(b"\xef\xbb\xbf\r\n  \n").details["problem"] == "empty"


def test_a_file_of_empty_cells_only_is_empty() -> None:
    assert refusal(b"\n,,,\n,,\n").details["problem"] == "empty"


def test_a_header_without_rows_is_refused() -> None:
    assert refusal(f"{HEADER}\n\n,,,\n".encode()).details["problem"] == "no_rows"


def test_a_file_without_a_recognisable_header_is_refused() -> None:
    error = refusal(b"INV-1,Dupont SA,120.50,2026-12-31\n")
    assert error.details["problem"] == "no_header"
    assert "'Invoice Number'" in error.message


def test_missing_required_columns_are_all_named() -> None:
    error = refusal(b"Invoice Number,Customer,Email\n1,A,a@example.com\n")
    assert error.details["problem"] == "missing_columns"
    assert error.details["missing"] == ["amount", "due_date"]
    assert "amount and due date" in error.message


def test_two_columns_for_the_same_field_refuse_the_file() -> None:
    error = refusal(b"Invoice,Email,Customer,Customer Email,Amount,Due\n1,a@x.io,A,b@x.io,1,2026-12-31\n")
    assert error.details == {
        "problem": "duplicate_column",
        "field": "customer_email",
        "columns": ["Email", "Customer Email"],
    }


def test_an_unterminated_quote_refuses_the_file() -> None:
    error = refusal(f'{HEADER}\n1,"Dupont SA,12,2026-12-31\n2,B,1,2026-12-31\n'.encode())
    assert error.details["problem"] == "broken_csv"


def test_text_after_a_closing_quote_refuses_the_file() -> None:
    error = refusal(f'{HEADER}\n1,"Dupont" SA,12,2026-12-31\n'.encode())
    assert error.details["problem"] == "broken_csv"
    assert error.details["line"] == 2


def test_the_columns_found_are_reported_as_written_and_unknown_ones_nowhere() -> None:
    parsed = parse("Invoice #, Client ,Total,Due,Salesperson\n1,A,1,2026-12-31,Bob\n")
    assert parsed.columns == {
        "invoice_number": "Invoice #",
        "customer_name": "Client",
        "amount": "Total",
        "due_date": "Due",
    }
    assert parsed.errors == []


def test_a_bad_default_currency_is_the_callers_mistake() -> None:
    with pytest.raises(ValueError, match="default_currency"):
        parse(f"{HEADER}\n1,A,1,2026-12-31\n", currency="EURO")


def test_ten_thousand_rows_are_read() -> None:
    lines = [f"{HEADER},Email,Currency,Issue Date,Reference,Description"]
    lines += [
        f'INV-{n},Customer {n},"{n + 1:,}.50",2026-12-31,c{n}@example.com,EUR,2026-11-30,C-{n},"Parts, labour"'
        for n in range(10_000)
    ]
    parsed = parse("\n".join(lines), hint="en")
    assert len(parsed.rows) == 10_000
    assert parsed.errors == []
    assert parsed.rows[-1].amount_minor == 1_000_050
