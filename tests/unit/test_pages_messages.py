import re
from string import Formatter

import pytest

from collectra.pages.messages import ANSWER_KINDS, MESSAGES, NOTICES, PAY_REFUSALS, PAYMENT_NOTES, message, plural_key


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in Formatter().parse(text) if field is not None}


def test_every_language_has_the_same_messages() -> None:
    english = set(MESSAGES["en"])
    assert set(MESSAGES["fr"]) == english
    assert set(MESSAGES["de"]) == english


@pytest.mark.parametrize("locale", ["fr", "de"])
def test_every_translation_fills_the_same_placeholders(locale: str) -> None:
    for key, text in MESSAGES["en"].items():
        assert placeholders(MESSAGES[locale][key]) == placeholders(text), key


def test_messages_are_plain_text() -> None:
    for locale, texts in MESSAGES.items():
        for key, text in texts.items():
            assert text.strip(), (locale, key)
            assert "<" not in text and ">" not in text, (locale, key)


def test_french_punctuation_is_not_separated_by_a_breaking_space() -> None:
    for key, text in MESSAGES["fr"].items():
        assert not re.search(r" [:;!?»]|« ", text), key


def test_every_answer_kind_has_a_label_and_a_notice() -> None:
    for kind in ANSWER_KINDS:
        assert f"answer_kind_{kind}" in MESSAGES["en"]
    assert {f"answer_received_{kind}" for kind in ANSWER_KINDS} | {"answer_invalid"} <= NOTICES


def test_every_notice_and_payment_note_is_written_in_every_language() -> None:
    for locale in ("en", "fr", "de"):
        for key in (*NOTICES, *PAYMENT_NOTES.values()):
            assert key in MESSAGES[locale], (locale, key)
    assert {f"pay_refused_{reason}" for reason in PAY_REFUSALS} <= NOTICES
    assert set(MESSAGES["en"]) >= NOTICES


def test_plural_keys_exist_in_both_forms() -> None:
    for base in ("status_overdue", "status_due_in"):
        assert {f"{base}_one", f"{base}_other"} <= set(MESSAGES["en"])


def test_singular_is_one_in_english_and_german_and_zero_or_one_in_french() -> None:
    assert [plural_key("k", n, "en") for n in (0, 1, 2)] == ["k_other", "k_one", "k_other"]
    assert [plural_key("k", n, "de") for n in (0, 1, 2)] == ["k_other", "k_one", "k_other"]
    assert [plural_key("k", n, "fr") for n in (0, 1, 2)] == ["k_one", "k_one", "k_other"]


def test_message_fills_placeholders_and_falls_back_to_english() -> None:
    assert message("de", "greeting", name="Jana") == "Guten Tag Jana,"
    assert message("it", "greeting", name="Gianni") == "Hello Gianni,"
    with pytest.raises(KeyError):
        message("en", "no_such_message")
