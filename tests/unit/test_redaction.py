"""What collectra.redaction takes out of a log line before it is written."""

from __future__ import annotations

import io
import json
import logging

from collectra.redaction import REDACTED, scrub_record, scrub_text


def test_known_fields_are_blanked_whatever_they_hold() -> None:
    record = {"message": "signed in", "email": "a@b.fr", "extra": {"password": "hunter2", "debtor_id": "dbt_1"}}
    assert scrub_record(record) == {
        "message": "signed in",
        "email": REDACTED,
        "extra": {"password": REDACTED, "debtor_id": "dbt_1"},
    }


def test_addresses_tokens_secrets_and_card_numbers_are_scrubbed_anywhere() -> None:
    text = (
        "Brevo refused emile.zola@example.fr; key xkeysib-0123456789abcdef; stripe sk_test_51Habc123xyz; "
        "page /p/ws_01m8dr1gxq89pjzbcyfbnmear0.dbt_01m8dr1gz00s9t7363d2hztanh.DsCkic_2Y9QL8ToSa7bpPSz0p3m; "
        "jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N; card 4242 4242 4242 4242"
    )
    scrubbed = scrub_text(text)
    for secret in ("emile.zola", "xkeysib-0123", "sk_test_51H", "DsCkic_2Y9", "eyJhbGci", "4242 4242"):
        assert secret not in scrubbed, secret
    assert "[email]" in scrubbed and "[link-token]" in scrubbed


def test_the_logger_writes_scrubbed_lines_including_exceptions() -> None:
    from collectra.observability import logger

    stream = io.StringIO()
    handlers = [h for h in logger._logger.handlers if isinstance(h, logging.StreamHandler)]
    previous = [handler.setStream(stream) for handler in handlers]
    try:
        try:
            raise ValueError("could not send to grace@example.com")
        except ValueError:
            logger.exception("send failed", extra={"to": "grace@example.com", "debtor_id": "dbt_1"})
    finally:
        for handler, old in zip(handlers, previous, strict=True):
            handler.setStream(old)
    line = json.loads(stream.getvalue().splitlines()[-1])
    assert "grace@example.com" not in stream.getvalue()
    assert (line["to"], line["debtor_id"], line["message"]) == (REDACTED, "dbt_1", "send failed")
