"""Priority, exclusivity and stacking: which promotions combine on a line, and in what order."""

from __future__ import annotations

from decimal import Decimal

from mostrador.commerce.pricing import price_cart
from mostrador.commerce.promotions import AmountOff, FreeShipping, PercentOff
from tests.unit.commerce.test_pricing import (
    cart_of,
    clp,
    item,
    line_discounts,
    nets,
    on,
    pct,
    promo,
    reasons,
    sale,
)


def test_higher_priority_applies_first_on_what_is_left() -> None:
    cart = cart_of(item("A", 1, clp(10000)))
    amount_first = [
        promo("minus-1000", AmountOff(clp(1000), on(skus={"A"}), per_unit=True), priority=2),
        promo("ten", PercentOff(pct(10), on(skus={"A"})), priority=1),
    ]
    percent_first = [
        promo("minus-1000", AmountOff(clp(1000), on(skus={"A"}), per_unit=True), priority=1),
        promo("ten", PercentOff(pct(10), on(skus={"A"})), priority=2),
    ]

    assert line_discounts(price_cart(cart, sale(), amount_first)) == [
        [("minus-1000", Decimal(1000)), ("ten", Decimal(900))]
    ]
    assert line_discounts(price_cart(cart, sale(), percent_first)) == [
        [("ten", Decimal(1000)), ("minus-1000", Decimal(1000))]
    ]


def test_equal_priorities_apply_by_id_whatever_order_they_are_given_in() -> None:
    cart = cart_of(item("A", 1, clp(10000)))
    promotions = [
        promo("b-ten", PercentOff(pct(10), on(skus={"A"}))),
        promo("a-minus-1000", AmountOff(clp(1000), on(skus={"A"}), per_unit=True)),
    ]

    forward = price_cart(cart, sale(), promotions)
    backward = price_cart(cart, sale(), list(reversed(promotions)))

    assert forward == backward
    assert line_discounts(forward) == [[("a-minus-1000", Decimal(1000)), ("b-ten", Decimal(900))]]


def test_an_exclusive_promotion_closes_the_lines_it_discounted() -> None:
    cart = cart_of(
        item("A", 1, clp(10000), categories={"x"}), item("B", 1, clp(10000), categories={"x"})
    )
    promotions = [
        promo("first", AmountOff(clp(1000), on(skus={"A"}), per_unit=True), priority=9),
        promo("exclusive", PercentOff(pct(30), on(skus={"A"})), priority=5, exclusive=True),
        promo("later", PercentOff(pct(10), on(categories={"x"})), priority=1),
        promo("order", AmountOff(clp(1000))),
    ]

    result = price_cart(cart, sale(), promotions)

    # A keeps the earlier discount and takes the exclusive one; nothing after touches A.
    assert line_discounts(result) == [
        [("first", Decimal(1000)), ("exclusive", Decimal(2700))],
        [("later", Decimal(1000)), ("order", Decimal(1000))],
    ]
    assert nets(result) == [Decimal(6300), Decimal(8000)]


def test_a_later_promotion_only_for_closed_lines_is_blocked_by_the_exclusive_one() -> None:
    cart = cart_of(item("A", 1, clp(10000)))
    promotions = [
        promo("exclusive", PercentOff(pct(30), on(skus={"A"})), priority=5, exclusive=True),
        promo("later", PercentOff(pct(10), on(skus={"A"}))),
    ]

    result = price_cart(cart, sale(), promotions)

    assert reasons(result) == {"exclusive": None, "later": "blocked_by_exclusive"}
    assert result.total == clp(7000)


def test_an_exclusive_order_promotion_stops_every_later_promotion_and_the_shipping_one() -> None:
    cart = cart_of(item("A", 1, clp(10000), categories={"x"}), shipping=clp(2000))
    promotions = [
        promo("line-first", PercentOff(pct(10), on(categories={"x"})), priority=9),
        promo("exclusive-order", PercentOff(pct(5)), priority=5, exclusive=True),
        promo("later-line", PercentOff(pct(10), on(categories={"x"})), priority=1),
        promo("later-order", AmountOff(clp(500)), priority=1),
        promo("ship", FreeShipping()),
    ]

    result = price_cart(cart, sale(), promotions)

    assert line_discounts(result) == [
        [("line-first", Decimal(1000)), ("exclusive-order", Decimal(450))]
    ]
    assert reasons(result) == {
        "line-first": None,
        "exclusive-order": None,
        "later-line": "blocked_by_exclusive",
        "later-order": "blocked_by_exclusive",
        "ship": "blocked_by_exclusive",
    }
    assert result.shipping_discount == clp(0)
    assert result.total == clp(10550)


def test_a_non_stackable_promotion_skips_discounted_lines_and_keeps_its_own_alone() -> None:
    cart = cart_of(
        item("A", 1, clp(10000), categories={"x"}), item("B", 1, clp(10000), categories={"x"})
    )
    promotions = [
        promo("a-ten", PercentOff(pct(10), on(skus={"A"})), priority=5),
        promo("alone", PercentOff(pct(25), on(categories={"x"})), priority=3, stackable=False),
        promo("later", AmountOff(clp(500), on(categories={"x"}), per_unit=True), priority=1),
        promo("order", AmountOff(clp(1000))),
    ]

    result = price_cart(cart, sale(), promotions)

    assert line_discounts(result) == [
        [("a-ten", Decimal(1000)), ("later", Decimal(500)), ("order", Decimal(1000))],
        [("alone", Decimal(2500))],
    ]
    assert nets(result) == [Decimal(7500), Decimal(7500)]


def test_a_non_stackable_promotion_gives_way_on_a_line_that_already_has_a_discount() -> None:
    cart = cart_of(item("A", 1, clp(10000)))
    promotions = [
        promo("a-ten", PercentOff(pct(10), on(skus={"A"})), priority=5),
        promo("alone", PercentOff(pct(25), on(skus={"A"})), stackable=False),
    ]

    result = price_cart(cart, sale(), promotions)

    assert reasons(result) == {"a-ten": None, "alone": "not_stackable"}
    assert result.total == clp(9000)


def test_nothing_stacks_on_a_line_discounted_by_a_non_stackable_promotion() -> None:
    cart = cart_of(item("A", 1, clp(10000)))
    promotions = [
        promo("alone", PercentOff(pct(25), on(skus={"A"})), priority=5, stackable=False),
        promo("later", PercentOff(pct(10), on(skus={"A"}))),
    ]

    result = price_cart(cart, sale(), promotions)

    assert reasons(result) == {"alone": None, "later": "not_stackable"}
    assert result.total == clp(7500)


def test_a_non_stackable_order_promotion_discounts_only_lines_without_discounts() -> None:
    cart = cart_of(item("A", 1, clp(10000)), item("B", 1, clp(10000)))
    promotions = [
        promo("a-ten", PercentOff(pct(10), on(skus={"A"})), priority=5),
        promo("order-alone", PercentOff(pct(10)), priority=1, stackable=False),
        promo("later", AmountOff(clp(100), on(skus={"A", "B"}), per_unit=True)),
    ]

    result = price_cart(cart, sale(), promotions)

    assert line_discounts(result) == [
        [("a-ten", Decimal(1000)), ("later", Decimal(100))],
        [("order-alone", Decimal(1000))],
    ]
