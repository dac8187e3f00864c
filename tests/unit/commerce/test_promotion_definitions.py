"""Promotion definitions are validated when built: a bad one is refused with a code."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time
from decimal import Decimal
from typing import Any

import pytest

from mostrador.commerce.promotions import (
    AmountOff,
    Bundle,
    BundleItem,
    BuyXPayY,
    Conditions,
    Coupon,
    FreeShipping,
    Instalments,
    PercentOff,
    Promotion,
    SpendThreshold,
    Target,
)
from mostrador.core.errors import InvalidInput
from mostrador.core.money import Money

SHOES = Target(categories=frozenset({"shoes"}))
CLP_100 = Money(100, "CLP")


@pytest.mark.parametrize(
    ("build", "code"),
    [
        (lambda: PercentOff(Decimal(0)), "invalid_percent"),
        (lambda: PercentOff(Decimal("100.01")), "invalid_percent"),
        (lambda: PercentOff(Decimal("NaN")), "invalid_percent"),
        (lambda: PercentOff(10.0), "invalid_percent"),  # a float is never a rate
        (lambda: AmountOff(Money(0, "CLP")), "invalid_amount"),
        (lambda: AmountOff(CLP_100, per_unit=True), "per_unit_needs_target"),
        (lambda: BuyXPayY(2, 2, SHOES), "invalid_buy_pay"),
        (lambda: BuyXPayY(2, 0, SHOES), "invalid_buy_pay"),
        (lambda: Target(), "empty_target"),
        (lambda: BundleItem("A", 0), "invalid_quantity"),
        (lambda: Bundle((BundleItem("A"), BundleItem("A")), price=CLP_100), "duplicate_bundle_sku"),
        (lambda: Bundle((BundleItem("A"),), price=CLP_100), "bundle_too_small"),
        (lambda: Bundle((BundleItem("A", 2),)), "bundle_needs_one_benefit"),
        (
            lambda: Bundle((BundleItem("A", 2),), price=CLP_100, percent=Decimal(5)),
            "bundle_needs_one_benefit",
        ),
        (lambda: SpendThreshold(CLP_100), "threshold_needs_one_benefit"),
        (lambda: SpendThreshold(CLP_100, amount=Money(1, "USD")), "currency_mismatch"),
        (lambda: FreeShipping(Money(0, "CLP")), "invalid_amount"),
        (lambda: Instalments(()), "invalid_instalments"),
        (lambda: Instalments((1, 3)), "invalid_instalments"),
        (lambda: Coupon("   "), "empty_coupon_code"),
        (lambda: Coupon("X", max_uses=0), "invalid_limit"),
        (lambda: Conditions(channels=frozenset({"fax"})), "unknown_channel"),
        (lambda: Conditions(valid_from=datetime(2026, 1, 1)), "naive_datetime"),  # noqa: DTZ001
        (
            lambda: Conditions(
                valid_from=datetime(2026, 2, 1, tzinfo=UTC),
                valid_until=datetime(2026, 2, 1, tzinfo=UTC),
            ),
            "empty_window",
        ),
        (lambda: Conditions(weekdays=frozenset({7})), "invalid_weekday"),
        (lambda: Conditions(hours_from=time(9)), "half_open_hours"),
        (lambda: Conditions(hours_from=time(9), hours_until=time(9)), "empty_window"),
        (lambda: Conditions(banks=frozenset({"banco-x"})), "bank_alone"),
        (lambda: Promotion("", PercentOff(Decimal(5))), "empty_promotion_id"),
    ],
)
def test_a_bad_definition_is_refused_with_a_code(build: Callable[[], Any], code: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        build()
    assert refused.value.code == code


def test_definitions_are_normalised_and_know_their_kind_and_scope() -> None:
    assert Coupon(" verano24 ").code == "VERANO24"
    assert Instalments((12, 3, 6, 3)).counts == (3, 6, 12)
    kinds = {
        Promotion("a", PercentOff(Decimal(5))): ("percent_off", "order"),
        Promotion("b", PercentOff(Decimal(5), SHOES)): ("percent_off", "line"),
        Promotion("c", AmountOff(CLP_100, SHOES, per_unit=True)): ("amount_off", "line"),
        Promotion("d", BuyXPayY(3, 2, SHOES)): ("buy_x_pay_y", "line"),
        Promotion("e", Bundle((BundleItem("A", 2),), percent=Decimal(5))): ("bundle", "line"),
        Promotion("f", SpendThreshold(CLP_100, percent=Decimal(5))): ("threshold", "order"),
        Promotion("g", FreeShipping()): ("free_shipping", "shipping"),
        Promotion("h", Instalments((3,))): ("instalments", "offer"),
    }
    assert {p.id: (p.kind, p.scope) for p in kinds} == {p.id: kind for p, kind in kinds.items()}
