"""price_cart: totals, rounding, exact spreading, explanations and refused input.

The builders at the top are shared by the other ``test_promotion_*`` files.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from mostrador.commerce.pricing import (
    AppliedDiscount,
    Cart,
    CartLine,
    PricedCart,
    PricingContext,
    PromotionEvaluation,
    price_cart,
)
from mostrador.commerce.promotion_index import index_promotions
from mostrador.commerce.promotions import (
    AmountOff,
    Conditions,
    Coupon,
    FreeShipping,
    Offer,
    PercentOff,
    Promotion,
    SpendThreshold,
    Target,
)
from mostrador.core.errors import InvalidInput
from mostrador.core.money import Money

# A Wednesday, 12:00 in Santiago (UTC-3 in March).
NOW = datetime(2026, 3, 4, 15, 0, tzinfo=UTC)


def clp(amount: int | str) -> Money:
    return Money(amount, "CLP")


def item(
    sku: str,
    quantity: int,
    price: Money,
    *,
    categories: Iterable[str] = (),
    tags: Iterable[str] = (),
    product: str | None = None,
    channel_price: Money | None = None,
) -> CartLine:
    return CartLine(
        sku,
        quantity,
        price,
        product_id=product,
        categories=frozenset(categories),
        tags=frozenset(tags),
        channel_price=channel_price,
    )


def cart_of(*lines: CartLine, shipping: Money | None = None, currency: str = "CLP") -> Cart:
    return Cart(currency, lines, shipping)


def sale(**changes: Any) -> PricingContext:
    values: dict[str, Any] = {"channel": "web", "at": NOW, "time_zone": "America/Santiago"}
    values.update(changes)
    return PricingContext(**values)


def on(
    *,
    skus: Iterable[str] = (),
    categories: Iterable[str] = (),
    tags: Iterable[str] = (),
    products: Iterable[str] = (),
) -> Target:
    return Target(frozenset(skus), frozenset(products), frozenset(categories), frozenset(tags))


def promo(
    promotion_id: str,
    offer: Offer,
    *,
    priority: int = 0,
    exclusive: bool = False,
    stackable: bool = True,
    **conditions: Any,
) -> Promotion:
    return Promotion(promotion_id, offer, Conditions(**conditions), priority, exclusive, stackable)


def pct(value: int | str) -> Decimal:
    return Decimal(value)


def nets(result: PricedCart) -> list[Decimal]:
    return [line.net.amount for line in result.lines]


def line_discounts(result: PricedCart) -> list[list[tuple[str, Decimal]]]:
    """Per line: (promotion id, amount) of each discount, in the order they applied."""
    return [[(d.promotion_id, d.amount.amount) for d in line.discounts] for line in result.lines]


def reasons(result: PricedCart) -> dict[str, str | None]:
    return {e.promotion_id: e.reason for e in result.evaluations}


# --- totals -------------------------------------------------------------------------------


def test_a_cart_without_promotions_costs_its_lines_plus_shipping() -> None:
    cart = cart_of(item("A", 2, clp(1990)), item("B", 1, clp(5000)), shipping=clp(3990))

    result = price_cart(cart, sale(), [])

    assert [line.gross.amount for line in result.lines] == [Decimal(3980), Decimal(5000)]
    assert nets(result) == [Decimal(3980), Decimal(5000)]
    assert result.subtotal == clp(8980)
    assert result.discount_total == clp(0)
    assert result.shipping == clp(3990)
    assert result.shipping_discount == clp(0)
    assert result.total == clp(12970)
    assert result.applied == ()
    assert result.evaluations == ()


def test_a_channel_price_replaces_the_list_price_and_says_so() -> None:
    cart = cart_of(item("A", 2, clp(1990), channel_price=clp(1790)), item("B", 1, clp(500)))

    result = price_cart(cart, sale(channel="pos"), [])

    first, second = result.lines
    assert (first.unit_price, first.price_source, first.gross) == (clp(1790), "channel", clp(3580))
    assert (second.unit_price, second.price_source, second.gross) == (clp(500), "list", clp(500))
    assert result.total == clp(4080)


def test_an_empty_cart_costs_only_its_shipping() -> None:
    result = price_cart(cart_of(shipping=clp(2500)), sale(), [promo("all", PercentOff(pct(10)))])

    assert result.total == clp(2500)
    assert reasons(result) == {"all": "no_matching_lines"}


# --- rounding and exact spreading -----------------------------------------------------------


def test_an_order_discount_in_pesos_is_rounded_once_and_spread_to_the_peso() -> None:
    cart = cart_of(item("A", 1, clp(999)), item("B", 1, clp(999)), item("C", 1, clp(1)))

    result = price_cart(cart, sale(), [promo("order-5", PercentOff(pct(5)))])

    # 5 % of 1999 is 99.95 -> 100 pesos; spread 49.97 / 49.97 / 0.05 by largest remainder.
    assert result.discount_total == clp(100)
    assert line_discounts(result) == [
        [("order-5", Decimal(50))],
        [("order-5", Decimal(50))],
        [],
    ]
    assert nets(result) == [Decimal(949), Decimal(949), Decimal(1)]
    assert result.total == clp(1899)


def test_cents_are_rounded_half_up_per_line_for_line_discounts() -> None:
    cart = cart_of(
        item("A", 1, Money("33.35", "ARS"), categories={"x"}),
        item("B", 3, Money("0.15", "ARS"), categories={"x"}),
        currency="ARS",
    )

    result = price_cart(cart, sale(), [promo("x-10", PercentOff(pct(10), on(categories={"x"})))])

    # 3.335 -> 3.34 and 0.045 -> 0.05 (half up, as a till rounds)
    assert line_discounts(result) == [[("x-10", Decimal("3.34"))], [("x-10", Decimal("0.05"))]]
    assert nets(result) == [Decimal("30.01"), Decimal("0.40")]
    assert result.total == Money("30.41", "ARS")


def test_an_order_amount_off_is_spread_in_proportion_and_adds_up_exactly() -> None:
    cart = cart_of(item("A", 1, clp(1000)), item("B", 2, clp(1000)))

    result = price_cart(cart, sale(), [promo("minus-1000", AmountOff(clp(1000)))])

    # 1000 over weights 1000:2000 is 333.33 / 666.67 -> 333 / 667
    assert line_discounts(result) == [
        [("minus-1000", Decimal(333))],
        [("minus-1000", Decimal(667))],
    ]
    assert result.applied[0].amount == clp(1000)
    assert result.total == clp(2000)


def test_a_discount_never_takes_the_total_below_zero() -> None:
    cart = cart_of(item("A", 1, clp(3000)), item("B", 1, clp(2000)), shipping=clp(1000))

    result = price_cart(cart, sale(), [promo("huge", AmountOff(clp(20000)))])

    assert nets(result) == [Decimal(0), Decimal(0)]
    assert result.discount_total == clp(5000)
    assert result.total == clp(1000)


# --- explanations -----------------------------------------------------------------------------


def test_every_applied_promotion_is_explained_on_every_line_it_touched() -> None:
    cart = cart_of(item("A", 1, clp(10000), categories={"shoes"}), item("B", 1, clp(5000)))
    promotions = [
        promo("shoes-20", PercentOff(pct(20), on(categories={"shoes"})), priority=1),
        promo(
            "spend-10",
            SpendThreshold(clp(10000), amount=clp(1200)),
            coupon=Coupon("verano"),
        ),
    ]

    result = price_cart(cart, sale(coupon_codes=("VERANO",)), promotions)

    shoes = AppliedDiscount("shoes-20", "percent_off", "line", clp(2000), {"percent": "20"})
    spend_params = {"minimum": "10000", "amount": "1200", "coupon": "VERANO"}
    assert result.lines[0].discounts == (
        shoes,
        AppliedDiscount("spend-10", "threshold", "order", clp(738), spend_params),
    )
    assert result.lines[1].discounts == (
        AppliedDiscount("spend-10", "threshold", "order", clp(462), spend_params),
    )
    assert result.applied == (
        shoes,
        AppliedDiscount("spend-10", "threshold", "order", clp(1200), spend_params),
    )
    assert result.coupons_applied == ("VERANO",)
    assert result.total == clp(11800)


def test_the_promotions_that_did_not_apply_say_why() -> None:
    cart = cart_of(item("A", 1, clp(10000), categories={"shoes"}), shipping=clp(2990))
    promotions = [
        promo("big-spend", SpendThreshold(clp(50000), percent=pct(10))),
        promo("pos-only", PercentOff(pct(5)), channels=frozenset({"pos"})),
        promo("expired", PercentOff(pct(5)), valid_until=datetime(2026, 3, 1, tzinfo=UTC)),
        promo("needs-code", FreeShipping(), coupon=Coupon("ENVIO")),
        promo("other-category", PercentOff(pct(5), on(categories={"hats"}))),
    ]

    result = price_cart(cart, sale(), promotions)

    # Promotions whose target matches no line are not evaluated at all.
    assert result.evaluations == (
        PromotionEvaluation("big-spend", "threshold", False, "below_threshold"),
        PromotionEvaluation("expired", "percent_off", False, "expired"),
        PromotionEvaluation("needs-code", "free_shipping", False, "coupon_required"),
        PromotionEvaluation("pos-only", "percent_off", False, "channel_excluded"),
    )
    assert result.total == clp(12990)


def test_promotions_with_amounts_in_another_currency_are_skipped() -> None:
    cart = cart_of(item("A", 1, clp(10000)))

    result = price_cart(cart, sale(), [promo("usd", AmountOff(Money(5, "USD")))])

    assert reasons(result) == {"usd": "currency_mismatch"}
    assert result.total == clp(10000)


def test_an_index_built_once_prices_like_the_plain_list() -> None:
    cart = cart_of(item("A", 3, clp(1000), categories={"x"}), item("B", 1, clp(2500)))
    promotions = [
        promo("x-10", PercentOff(pct(10), on(categories={"x"}))),
        promo("order", AmountOff(clp(300))),
    ]

    assert price_cart(cart, sale(), index_promotions(promotions)) == price_cart(
        cart, sale(), promotions
    )


# --- refused input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "code"),
    [
        (lambda: cart_of(item("A", 0, clp(100))), "invalid_quantity"),
        (lambda: cart_of(item("A", 1, Money(1, "USD"))), "currency_mismatch"),
        (lambda: cart_of(item("A", 1, clp(100)), shipping=Money(1, "ARS")), "currency_mismatch"),
        (lambda: cart_of(item("A", 1, clp(-100))), "negative_price"),
        (lambda: cart_of(item("A", 1, clp(100)), shipping=clp(-1)), "negative_price"),
        (lambda: Cart("XXX", ()), "unknown_currency"),
        (lambda: sale(channel="fax"), "unknown_channel"),
        (lambda: sale(at=datetime(2026, 3, 4, 12)), "naive_datetime"),  # noqa: DTZ001
        (lambda: sale(time_zone="Mars/Olympus"), "unknown_time_zone"),
        (
            lambda: index_promotions(
                [promo("same", PercentOff(pct(5))), promo("same", PercentOff(pct(10)))]
            ),
            "duplicate_promotion_id",
        ),
    ],
)
def test_invalid_input_is_refused_with_a_code(build: Any, code: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        build()
    assert refused.value.code == code
