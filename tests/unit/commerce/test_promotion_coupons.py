"""Coupon codes: which apply, and why the others were refused (unknown, expired, used up...)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from mostrador.commerce.pricing import CouponUses, PricedCart, RejectedCoupon, price_cart
from mostrador.commerce.promotions import (
    Coupon,
    FreeShipping,
    PercentOff,
    Promotion,
    SpendThreshold,
)
from tests.unit.commerce.test_pricing import NOW, cart_of, clp, item, on, pct, promo, sale


def with_codes(promotions: list[Promotion], *codes: str, **context: Any) -> PricedCart:
    cart = cart_of(item("A", 1, clp(10000), categories={"shoes"}), shipping=clp(2000))
    return price_cart(cart, sale(coupon_codes=codes, **context), promotions)


def ten_off(code: Coupon, **conditions: Any) -> Promotion:
    return promo(f"ten-{code.code}", PercentOff(pct(10)), coupon=code, **conditions)


def test_a_valid_code_applies_whatever_its_case_and_spacing() -> None:
    result = with_codes([ten_off(Coupon("verano"))], "  Verano ")

    assert result.coupons_applied == ("VERANO",)
    assert result.rejected_coupons == ()
    assert result.total == clp(11000)


def test_an_unknown_code_is_rejected() -> None:
    result = with_codes([ten_off(Coupon("VERANO"))], "INVIERNO")

    assert result.rejected_coupons == (RejectedCoupon("INVIERNO", "coupon_unknown"),)
    assert result.total == clp(12000)


def test_an_expired_code_and_a_code_not_yet_valid_are_rejected_differently() -> None:
    promotions = [
        ten_off(Coupon("OLD"), valid_until=NOW - timedelta(days=1)),
        ten_off(Coupon("SOON"), valid_from=NOW + timedelta(days=1)),
    ]

    result = with_codes(promotions, "OLD", "SOON")

    assert result.rejected_coupons == (
        RejectedCoupon("OLD", "coupon_expired", "expired"),
        RejectedCoupon("SOON", "coupon_not_applicable", "not_started"),
    )


def test_a_single_use_code_can_be_used_once() -> None:
    once = [ten_off(Coupon("ONCE", max_uses=1))]

    fresh = with_codes(once, "ONCE", coupon_uses={"once": CouponUses(total=0)})
    used = with_codes(once, "ONCE", coupon_uses={"ONCE": CouponUses(total=1)})

    assert fresh.coupons_applied == ("ONCE",)
    assert used.rejected_coupons == (RejectedCoupon("ONCE", "coupon_used_up"),)
    assert used.total == clp(12000)


def test_a_multi_use_code_stops_at_its_global_limit() -> None:
    hundred = [ten_off(Coupon("CIEN", max_uses=100))]

    assert with_codes(
        hundred, "CIEN", coupon_uses={"CIEN": CouponUses(total=99)}
    ).coupons_applied == ("CIEN",)
    assert with_codes(
        hundred, "CIEN", coupon_uses={"CIEN": CouponUses(total=100)}
    ).rejected_coupons == (RejectedCoupon("CIEN", "coupon_used_up"),)


def test_a_per_customer_limit_needs_a_known_customer_under_the_limit() -> None:
    hola = [ten_off(Coupon("HOLA", max_uses_per_customer=1))]

    first_time = with_codes(hola, "HOLA", customer_id="c-1", coupon_uses={"HOLA": CouponUses(5, 0)})
    second_time = with_codes(
        hola, "HOLA", customer_id="c-1", coupon_uses={"HOLA": CouponUses(5, 1)}
    )
    anonymous = with_codes(hola, "HOLA")

    assert first_time.coupons_applied == ("HOLA",)
    assert second_time.rejected_coupons == (RejectedCoupon("HOLA", "coupon_limit_per_customer"),)
    assert anonymous.rejected_coupons == (RejectedCoupon("HOLA", "coupon_customer_required"),)


def test_a_valid_code_that_gives_nothing_here_is_not_applicable_with_the_reason() -> None:
    promotions = [
        promo("hats", PercentOff(pct(10), on(categories={"hats"})), coupon=Coupon("HATS")),
        promo("spend", SpendThreshold(clp(50000), percent=pct(10)), coupon=Coupon("BIG")),
        ten_off(Coupon("POS"), channels=frozenset({"pos"})),
    ]

    result = with_codes(promotions, "HATS", "BIG", "POS")

    assert result.rejected_coupons == (
        RejectedCoupon("HATS", "coupon_not_applicable", "no_matching_lines"),
        RejectedCoupon("BIG", "coupon_not_applicable", "below_threshold"),
        RejectedCoupon("POS", "coupon_not_applicable", "channel_excluded"),
    )
    assert result.total == clp(12000)


def test_one_code_can_unlock_several_promotions_and_counts_once() -> None:
    promotions = [ten_off(Coupon("FULL")), promo("ship", FreeShipping(), coupon=Coupon("FULL"))]

    result = with_codes(promotions, "FULL", "full")

    assert result.coupons_applied == ("FULL",)
    assert result.shipping_discount == clp(2000)
    assert result.total == clp(9000)


def test_a_code_blocked_by_an_exclusive_promotion_is_reported_as_not_applicable() -> None:
    promotions = [
        promo("house", PercentOff(pct(20)), priority=9, exclusive=True),
        ten_off(Coupon("EXTRA")),
    ]

    result = with_codes(promotions, "EXTRA")

    assert result.rejected_coupons == (
        RejectedCoupon("EXTRA", "coupon_not_applicable", "blocked_by_exclusive"),
    )
    assert result.total == clp(8000 + 2000)
