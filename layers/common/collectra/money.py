"""Currencies: ISO 4217 codes and their minor-unit exponents (JPY has none, KWD has three)."""

from __future__ import annotations

from decimal import Decimal

_ZERO = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF"
_THREE = "BHD IQD JOD KWD LYD OMR TND"
_TWO = (
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF "
    "CHF CNY COP CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL "
    "HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP "
    "MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD "
    "SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD UZS VES "
    "WST XCD YER ZAR ZMW ZWG"
)

MINOR_UNIT_EXPONENT: dict[str, int] = {
    **dict.fromkeys(_TWO.split(), 2),
    **dict.fromkeys(_ZERO.split(), 0),
    **dict.fromkeys(_THREE.split(), 3),
}


def is_currency(code: str) -> bool:
    return code in MINOR_UNIT_EXPONENT


def major_units(amount: int, currency: str) -> str:
    """`amount` (minor units) written in major units with the currency's own decimals: 123450 EUR -> "1234.50",
    1234 JPY -> "1234", 1234 KWD -> "1.234". Exact (no float on the way)."""
    exponent = MINOR_UNIT_EXPONENT[currency]
    return f"{Decimal(amount).scaleb(-exponent):.{exponent}f}"
