"""How a file writes numbers and dates, as far as the importer's locale hint tells."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Conventions:
    language: str | None  # "en", "fr", "de", ... lower-case; None when there is no hint
    region: str | None  # "US", "GB", ... upper-case

    @classmethod
    def of(cls, hint: str | None) -> Conventions:
        """Accepts "en", "en-US", "en_us" and the like; an empty hint is no hint."""
        if not hint or not hint.strip():
            return cls(language=None, region=None)
        language, _, region = hint.strip().replace("_", "-").partition("-")
        return cls(language=language.lower(), region=region.upper() or None)

    @property
    def decimal_comma(self) -> bool | None:
        """Whether 1,234 means one and a bit (True) or a thousand and more (False); None: cannot tell."""
        if self.language is None:
            return None
        return self.language != "en"

    @property
    def month_first(self) -> bool:
        return self.language == "en" and self.region == "US"

    @property
    def dollar(self) -> str | None:
        """The currency a bare $ means, when the hint settles it."""
        return "USD" if self.language == "en" and self.region == "US" else None
