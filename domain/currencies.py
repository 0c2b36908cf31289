"""The currencies an amount may be in: ISO 4217's active codes.

Kept here as data, so the domain needs nothing installed to check a code;
``tests/unit/test_currencies.py`` compares the list with pycountry's copy of
the standard, so a code added to or withdrawn from ISO 4217 fails a test
rather than drifting silently.
"""

from __future__ import annotations

_LIST_ONE = """
    AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BHD BIF BMD BND BOB BOV BRL BSD BTN BWP BYN BZD
    CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP
    GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR
    KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN
    MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD
    SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX
    USD USN UYI UYU UYW UZS VED VES VND VUV WST XAD XAF XAG XAU XBA XBB XBC XBD XCD XCG XDR XOF XPD
    XPF XPT XSU XUA YER ZAR ZMW ZWG
"""

ISO_4217_ACTIVE = frozenset(_LIST_ONE.split())
"""ISO 4217 list one, but for the two codes that name no money: XTS (kept
for testing) and XXX (no currency involved)."""

NOT_MONEY = frozenset({"XTS", "XXX"})


def is_currency(code: str) -> bool:
    """Whether ``code`` is the ISO 4217 code of a currency in use."""
    return code in ISO_4217_ACTIVE
