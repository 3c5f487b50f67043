"""Refusing guessable passwords (OWASP ASVS 5.0 6.2.11 and 6.2.12) with zxcvbn.

zxcvbn estimates how many guesses a password takes from its frequency lists (common passwords, English
words, names) and patterns (keyboard walks, dates, repeats), offline. A password scoring below 3 ("safely
unguessable: moderate protection from offline attacks") is refused, and so is one built from the person's
own email address, name or workspace name, which zxcvbn is given as extra words.

zxcvbn and its lists take tens of milliseconds to import: only the functions that set a password load it,
and only when they are about to check one (see docs/decisions.md for the measured cost).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from collectra.auth.passwords import MAX_LENGTH
from collectra.errors import InvalidInput

MIN_SCORE = 3


def related_words(*values: str | None) -> list[str]:
    """The person's own words: each value whole and split into its parts (an email's local part and domain,
    a name's words), since a password made of them is the first thing an attacker who knows them tries."""
    words: list[str] = []
    for value in values:
        if value:
            words.append(value)
            words += [part for part in re.split(r"[^\w]+", value) if len(part) >= 3]
    return words


def require_strong(password: str, *, related: Iterable[str], field: str) -> None:
    """Return if `password` scores at least 3; else `InvalidInput` coded `password_too_weak`, naming `field`
    and carrying zxcvbn's own feedback (a warning and suggestions) for the person to act on."""
    # Lazily, at the first password set (see the module docstring); it ships no type hints.
    from zxcvbn import zxcvbn  # type: ignore[import-untyped]

    result: dict[str, Any] = zxcvbn(password, user_inputs=list(related), max_length=MAX_LENGTH)
    if int(result["score"]) >= MIN_SCORE:
        return
    feedback = result.get("feedback") or {}
    warning = str(feedback.get("warning") or "")
    raise InvalidInput(
        "This password is too easy to guess. " + (warning or "Add another word or two; uncommon words are better."),
        code="password_too_weak",
        details=[
            {
                "field": field,
                "message": warning or "too easy to guess",
                "score": int(result["score"]),
                "suggestions": [str(s) for s in feedback.get("suggestions") or []],
            }
        ],
    )
