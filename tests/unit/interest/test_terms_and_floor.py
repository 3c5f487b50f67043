"""A workspace's late-payment settings as the rules read them, and the lowest rate each law lets a business agree."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from collectra.interest import RateMissing, Terms, rate_floor, terms_of


def test_off_unless_enabled() -> None:
    assert terms_of({}, None) is None
    assert terms_of({"late_payment": {"enabled": False, "jurisdiction": "FR"}}, None) is None


def test_the_defaults_of_the_api_and_a_business_debtor_when_the_kind_is_absent() -> None:
    assert terms_of({"late_payment": {"enabled": True}}, {"name": "Acme"}) == Terms(
        jurisdiction="EU",
        debtor_kind="business",
        claim_interest=True,
        claim_compensation=True,
        contractual_rate=None,
        grace_days=0,
        pause_while_disputed=True,
        allocation="principal_first",
    )


def test_every_setting_is_read() -> None:
    chosen = {
        "enabled": True,
        "jurisdiction": "DE",
        "claim_interest": False,
        "claim_compensation": False,
        "contractual_rate": "12.5",
        "grace_days": 14,
        "pause_while_disputed": False,
        "allocation": "statutory",
    }
    assert terms_of({"late_payment": chosen}, {"kind": "consumer"}) == Terms(
        "DE", "consumer", False, False, Decimal("12.5"), 14, False, "statutory"
    )


@pytest.mark.parametrize(
    "chosen",
    [{"jurisdiction": "US"}, {"grace_days": 91}, {"allocation": "fifo"}, {"contractual_rate": "-1"}],
)
def test_settings_outside_the_api_are_refused(chosen: dict[str, object]) -> None:
    with pytest.raises(ValueError, match=r"jurisdiction|grace_days|allocation|contractual"):
        terms_of({"late_payment": {"enabled": True, **chosen}}, None)


@pytest.mark.parametrize(
    ("jurisdiction", "kind", "on", "floor"),
    [
        ("FR", "business", date(2024, 3, 1), Decimal("15.21")),  # L441-10: 3 x 5.07
        ("FR", "business", date(2026, 2, 1), Decimal("7.86")),  # 3 x 2.62 for 2026-H1
        ("DE", "business", date(2024, 8, 1), Decimal("12.37")),  # §288(2), (6) BGB: 3.37 + 9
        ("DE", "consumer", date(2024, 8, 1), None),  # an agreed rate is for business debtors only
        ("EU", "business", date(2024, 8, 1), None),
        ("UK", "business", date(2024, 8, 1), None),
    ],
)
def test_rate_floor(jurisdiction: str, kind: str, on: date, floor: Decimal | None) -> None:
    assert rate_floor(jurisdiction, kind, on) == floor


def test_rate_floor_without_the_data_raises() -> None:
    with pytest.raises(RateMissing):
        rate_floor("FR", "business", date(2012, 6, 1))
