from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mostrador.core.errors import InvalidInput
from mostrador.core.money import MINOR_UNITS, Money, total


def test_pesos_chilenos_y_colombianos_se_cobran_sin_decimales() -> None:
    assert Money("1990.5", "CLP").amount == Decimal("1991")
    assert Money("45999.49", "COP").amount == Decimal("45999")
    assert Money("10.005", "ARS").amount == Decimal("10.01")
    assert Money("10.004", "MXN").amount == Decimal("10.00")


def test_rounding_is_half_up_like_a_till() -> None:
    assert Money("0.125", "BRL").amount == Decimal("0.13")
    assert Money("-0.125", "BRL").amount == Decimal("-0.13")
    assert Money("2.5", "CLP").amount == Decimal("3")


def test_arithmetic_keeps_the_currency_and_rounds() -> None:
    price = Money("1000.00", "ARS")
    assert price + Money("0.50", "ARS") == Money("1000.50", "ARS")
    assert price - Money("1", "ARS") == Money("999", "ARS")
    assert price * 3 == Money("3000", "ARS")
    assert price.percent(21) == Money("210", "ARS")
    assert Money("999", "CLP").percent("19") == Money("190", "CLP")
    assert -price == Money("-1000", "ARS")
    assert total([price, price], "ARS") == Money("2000", "ARS")
    assert total([], "PEN") == Money("0", "PEN")


def test_mixing_currencies_is_refused() -> None:
    with pytest.raises(InvalidInput) as err:
        _ = Money(1, "ARS") + Money(1, "UYU")
    assert err.value.code == "currency_mismatch"


def test_unknown_currency_and_bad_amounts_are_refused() -> None:
    with pytest.raises(InvalidInput) as err:
        Money(1, "XXX")
    assert err.value.code == "unknown_currency"
    with pytest.raises(InvalidInput) as err:
        Money("doce", "ARS")
    assert err.value.code == "invalid_amount"
    with pytest.raises(InvalidInput):
        Money("NaN", "ARS")
    with pytest.raises(TypeError):
        Money(1.5, "ARS")  # type: ignore[arg-type]


def test_allocate_spreads_leftover_cents_to_the_largest_remainders() -> None:
    assert Money("100", "ARS").allocate([1, 1, 1]) == [
        Money("33.34", "ARS"),
        Money("33.33", "ARS"),
        Money("33.33", "ARS"),
    ]
    assert Money("10", "CLP").allocate([3, 3, 4]) == [
        Money("3", "CLP"),
        Money("3", "CLP"),
        Money("4", "CLP"),
    ]
    with pytest.raises(InvalidInput):
        Money("10", "ARS").allocate([0, 0])


@given(
    cents=st.integers(min_value=-10_000_000, max_value=10_000_000),
    weights=st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=12).filter(
        lambda ws: sum(ws) > 0
    ),
    currency=st.sampled_from(sorted(MINOR_UNITS)),
)
def test_allocate_never_gains_or_loses_a_minor_unit(
    cents: int, weights: list[int], currency: str
) -> None:
    amount = Money(Decimal(cents).scaleb(-MINOR_UNITS[currency]), currency)
    parts = amount.allocate(weights)
    assert total(parts, currency) == amount
    assert all(p.is_zero for p, w in zip(parts, weights, strict=True) if w == 0)


def test_minor_units_build_the_same_money_as_the_amount() -> None:
    assert Money.from_minor_units(199950, "ARS") == Money("1999.50", "ARS")
    assert Money.from_minor_units(1990, "CLP") == Money("1990", "CLP")
    assert str(Money.from_minor_units(-5, "BRL").amount) == "-0.05"
