"""Amounts are in currencies of ISO 4217: the list the domain ships, kept
equal to the standard, and the codes outside it refused."""

from __future__ import annotations

from decimal import Decimal

import pycountry
import pytest

from citycoop.adapters.application.commands import ReportInvestment
from citycoop.domain.currencies import ISO_4217_ACTIVE, NOT_MONEY
from citycoop.domain.errors import InvalidValueError
from citycoop.domain.partnership import InvestmentFigures, Partnership
from citycoop.domain.values import Money

P = "712a8a14-4928-5786-9e6c-a9b3845f5511"


def test_the_shipped_codes_are_iso_4217s_active_codes_as_pycountry_keeps_them() -> None:
    standard = {currency.alpha_3 for currency in pycountry.currencies}
    assert set(ISO_4217_ACTIVE) == standard - NOT_MONEY, "ISO 4217 changed: update domain/currencies.py"


@pytest.mark.parametrize("code", ["ZZZ", "XXX", "XTS", "RMB"])
def test_a_code_that_is_no_currency_in_use_is_refused_by_the_command(code: str) -> None:
    with pytest.raises(InvalidValueError, match=rf"^currency: '{code}' is not the ISO 4217 code of a currency in use"):
        ReportInvestment.validated(partnership=P, enterprises=700, amount="16400000000", currency=code, as_of="2023")


def test_the_founding_storys_currencies_are_accepted() -> None:
    for code in ("USD", "SGD", "CNY", "EUR", "JPY"):
        assert ReportInvestment.validated(partnership=P, enterprises=1, amount="1", currency=code, as_of="2023")


def test_the_partnership_refuses_figures_in_a_currency_not_in_use(partnership: Partnership, meta) -> None:
    figures = InvestmentFigures(
        enterprises=700, amount=Money(amount=Decimal("16400000000"), currency="ZZZ"), as_of="2023-05-05"
    )
    with pytest.raises(InvalidValueError, match=r"^currency: 'ZZZ' is not"):
        partnership.report_investment(figures, meta=meta())
    assert partnership.version == 1


def test_a_correction_to_a_currency_not_in_use_is_refused(partnership: Partnership, meta) -> None:
    figures = {"enterprises": 700, "amount": {"amount": "16400000000", "currency": "USD"}, "as_of": "2023-05-05"}
    partnership.report_investment(figures, meta=meta())
    for field, value in (
        ("investment.amount", {"amount": "16400000000", "currency": "ZZZ"}),
        ("investment", {**figures, "amount": {"amount": "1", "currency": "ZZZ"}}),
    ):
        with pytest.raises(InvalidValueError, match=r"^value.currency: 'ZZZ' is not"):
            partnership.correct(corrects_version=2, field=field, value=value, reason="Misread", meta=meta())
    assert partnership.version == 2
