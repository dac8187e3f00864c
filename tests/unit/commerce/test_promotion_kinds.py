"""Each kind of offer, given a cart, takes off exactly what the merchant promised."""

from __future__ import annotations

from decimal import Decimal

from mostrador.commerce.pricing import InstalmentOffer, Payment, price_cart
from mostrador.commerce.promotions import (
    AmountOff,
    Bundle,
    BundleItem,
    BuyXPayY,
    FreeShipping,
    Instalments,
    PercentOff,
    SpendThreshold,
)
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

# --- percentage and fixed amounts ----------------------------------------------------------


def test_a_percentage_off_a_category_touches_only_its_lines() -> None:
    cart = cart_of(item("SHOE-42", 2, clp(19990), categories={"shoes"}), item("SOCK", 1, clp(2990)))

    result = price_cart(
        cart, sale(), [promo("shoes", PercentOff(pct(15), on(categories={"shoes"})))]
    )

    assert line_discounts(result) == [[("shoes", Decimal(5997))], []]
    assert nets(result) == [Decimal(33983), Decimal(2990)]
    assert result.total == clp(36973)


def test_a_percentage_can_target_a_product_a_variant_or_a_tag() -> None:
    cart = cart_of(
        item("TEE-S", 1, clp(10000), product="TEE"),
        item("TEE-M", 1, clp(10000), product="TEE"),
        item("CAP", 1, clp(10000), tags={"summer"}),
        item("MUG", 1, clp(10000)),
    )
    promotions = [
        promo("tee", PercentOff(pct(10), on(products={"TEE"}))),
        promo("summer", PercentOff(pct(20), on(tags={"summer"}))),
        promo("mug", PercentOff(pct(30), on(skus={"MUG"}))),
    ]

    result = price_cart(cart, sale(), promotions)

    assert nets(result) == [Decimal(9000), Decimal(9000), Decimal(8000), Decimal(7000)]


def test_an_amount_off_each_unit_never_takes_a_unit_below_zero() -> None:
    cart = cart_of(item("GUM", 2, clp(1000), tags={"x"}), item("BAG", 2, clp(5000), tags={"x"}))

    result = price_cart(
        cart, sale(), [promo("1500-each", AmountOff(clp(1500), on(tags={"x"}), per_unit=True))]
    )

    assert line_discounts(result) == [
        [("1500-each", Decimal(2000))],
        [("1500-each", Decimal(3000))],
    ]
    assert nets(result) == [Decimal(0), Decimal(7000)]
    assert result.applied[0].params == {"amount": "1500", "per": "unit"}


def test_an_amount_off_a_selection_is_spread_over_its_lines() -> None:
    cart = cart_of(
        item("A", 1, clp(3000), categories={"toys"}),
        item("B", 1, clp(7000), categories={"toys"}),
        item("C", 1, clp(9000)),
    )

    result = price_cart(
        cart, sale(), [promo("toys-5000", AmountOff(clp(5000), on(categories={"toys"})))]
    )

    assert line_discounts(result) == [
        [("toys-5000", Decimal(1500))],
        [("toys-5000", Decimal(3500))],
        [],
    ]
    assert result.applied[0].scope == "line"
    assert result.applied[0].params == {"amount": "5000", "per": "line"}


# --- N×M -------------------------------------------------------------------------------------


def test_two_for_one_makes_one_unit_of_each_pair_free() -> None:
    cart = cart_of(item("SODA", 3, clp(1000), categories={"drinks"}))

    result = price_cart(cart, sale(), [promo("2x1", BuyXPayY(2, 1, on(categories={"drinks"})))])

    assert line_discounts(result) == [[("2x1", Decimal(1000))]]
    assert result.total == clp(2000)
    assert result.applied[0].params == {"buy": "2", "pay": "1", "label": "2x1"}


def test_three_for_two_pools_the_targeted_units_and_frees_the_cheapest() -> None:
    cart = cart_of(
        item("BIG", 2, clp(3000), categories={"snacks"}),
        item("SMALL", 1, clp(1000), categories={"snacks"}),
        item("MID", 3, clp(2000), categories={"snacks"}),
    )

    result = price_cart(cart, sale(), [promo("3x2", BuyXPayY(3, 2, on(categories={"snacks"})))])

    # six units -> two free: the 1000 one and one of the 2000 ones
    assert line_discounts(result) == [[], [("3x2", Decimal(1000))], [("3x2", Decimal(2000))]]
    assert result.total == clp(10000)


def test_equal_unit_prices_free_the_earlier_line_first() -> None:
    cart = cart_of(item("RED", 1, clp(1000), tags={"t"}), item("BLUE", 1, clp(1000), tags={"t"}))

    result = price_cart(cart, sale(), [promo("2x1", BuyXPayY(2, 1, on(tags={"t"})))])

    assert line_discounts(result) == [[("2x1", Decimal(1000))], []]


def test_n_for_m_needs_enough_units() -> None:
    cart = cart_of(item("SODA", 2, clp(1000), categories={"drinks"}))

    result = price_cart(cart, sale(), [promo("3x2", BuyXPayY(3, 2, on(categories={"drinks"})))])

    assert reasons(result) == {"3x2": "not_enough_units"}
    assert result.total == clp(2000)


# --- bundles ------------------------------------------------------------------------------------


def test_a_bundle_for_a_fixed_price_spreads_the_saving_over_its_components() -> None:
    cart = cart_of(item("CAMERA", 1, clp(5000)), item("BATTERY", 2, clp(1500)))
    kit = Bundle((BundleItem("CAMERA"), BundleItem("BATTERY", 2)), price=clp(6990))

    result = price_cart(cart, sale(), [promo("kit", kit)])

    # worth 8000, sold for 6990: 1010 spread 5000:3000 -> 631.25 / 378.75 -> 631 / 379
    assert line_discounts(result) == [[("kit", Decimal(631))], [("kit", Decimal(379))]]
    assert result.total == clp(6990)
    assert result.applied[0].params == {"items": "CAMERA:1,BATTERY:2", "price": "6990"}


def test_only_the_units_that_make_a_bundle_are_discounted() -> None:
    cart = cart_of(item("CAMERA", 3, clp(5000)), item("BATTERY", 3, clp(1500)))
    kit = Bundle((BundleItem("CAMERA"), BundleItem("BATTERY", 2)), price=clp(6990))

    result = price_cart(cart, sale(), [promo("kit", kit)])

    assert line_discounts(result) == [[("kit", Decimal(631))], [("kit", Decimal(379))]]
    assert result.total == clp(15000 + 4500 - 1010)


def test_a_bundle_can_be_a_percentage_off_and_repeat() -> None:
    cart = cart_of(item("SHAMPOO", 2, clp(4000)), item("CONDITIONER", 2, clp(3000)))
    duo = Bundle((BundleItem("SHAMPOO"), BundleItem("CONDITIONER")), percent=pct(20))

    result = price_cart(cart, sale(), [promo("duo", duo)])

    assert line_discounts(result) == [[("duo", Decimal(1600))], [("duo", Decimal(1200))]]


def test_an_incomplete_or_dearer_bundle_gives_nothing() -> None:
    cart = cart_of(item("CAMERA", 1, clp(5000)), item("BATTERY", 1, clp(1500)))
    needs_two = Bundle((BundleItem("CAMERA"), BundleItem("BATTERY", 2)), price=clp(5000))
    dearer = Bundle((BundleItem("CAMERA"), BundleItem("BATTERY")), price=clp(7000))

    result = price_cart(cart, sale(), [promo("needs-two", needs_two), promo("dearer", dearer)])

    assert reasons(result) == {"dearer": "not_beneficial", "needs-two": "incomplete_bundle"}
    assert result.total == clp(6500)


# --- thresholds -----------------------------------------------------------------------------


def test_spending_over_a_threshold_takes_a_percentage_off_the_order() -> None:
    cart = cart_of(item("A", 1, clp(15000)), item("B", 1, clp(10000)))

    result = price_cart(
        cart, sale(), [promo("spend-20k", SpendThreshold(clp(20000), percent=pct(10)))]
    )

    assert line_discounts(result) == [
        [("spend-20k", Decimal(1500))],
        [("spend-20k", Decimal(1000))],
    ]
    assert result.total == clp(22500)


def test_below_the_threshold_nothing_comes_off() -> None:
    cart = cart_of(item("A", 1, clp(19999)))

    result = price_cart(
        cart, sale(), [promo("spend-20k", SpendThreshold(clp(20000), amount=clp(3000)))]
    )

    assert reasons(result) == {"spend-20k": "below_threshold"}
    assert result.total == clp(19999)


def test_a_threshold_on_a_category_counts_and_discounts_only_that_category() -> None:
    cart = cart_of(
        item("WINE", 2, clp(6000), categories={"wine"}),
        item("CHEESE", 1, clp(9000)),
    )
    promotions = [
        promo(
            "wine-10k", SpendThreshold(clp(10000), amount=clp(2000), target=on(categories={"wine"}))
        )
    ]

    result = price_cart(cart, sale(), promotions)

    assert line_discounts(result) == [[("wine-10k", Decimal(2000))], []]
    assert result.applied[0].scope == "line"


# --- shipping ---------------------------------------------------------------------------------


def test_free_shipping_over_a_threshold_waives_the_whole_fee() -> None:
    cart = cart_of(item("A", 1, clp(30000)), shipping=clp(3990))

    result = price_cart(cart, sale(), [promo("ship", FreeShipping(clp(30000)))])

    assert result.shipping == clp(3990)
    assert result.shipping_discount == clp(3990)
    assert result.total == clp(30000)
    assert result.applied[0].scope == "shipping"
    assert result.applied[0].amount == clp(3990)
    assert line_discounts(result) == [[]]


def test_free_shipping_counts_the_merchandise_after_earlier_discounts() -> None:
    cart = cart_of(item("A", 1, clp(32000)), shipping=clp(3990))
    promotions = [
        promo("ten", PercentOff(pct(10)), priority=1),
        promo("ship", FreeShipping(clp(30000))),
    ]

    result = price_cart(cart, sale(), promotions)

    assert reasons(result) == {"ten": None, "ship": "below_threshold"}
    assert result.total == clp(28800 + 3990)


def test_free_shipping_without_a_fee_has_nothing_to_waive() -> None:
    result = price_cart(cart_of(item("A", 1, clp(1000))), sale(), [promo("ship", FreeShipping())])

    assert reasons(result) == {"ship": "nothing_to_discount"}


# --- payment --------------------------------------------------------------------------------------


def test_a_bank_promotion_needs_that_card_and_that_bank() -> None:
    cart = cart_of(item("TV", 1, clp(300000)))
    bank_x = promo(
        "banco-x",
        PercentOff(pct(20)),
        payment_methods=frozenset({"card"}),
        banks=frozenset({"banco-x"}),
    )

    paid_with_x = price_cart(cart, sale(payment=Payment("card", "banco-x")), [bank_x])
    paid_with_y = price_cart(cart, sale(payment=Payment("card", "banco-y")), [bank_x])
    not_chosen = price_cart(cart, sale(), [bank_x])

    assert paid_with_x.total == clp(240000)
    assert paid_with_x.applied[0].params == {
        "percent": "20",
        "payment_methods": "card",
        "banks": "banco-x",
    }
    assert reasons(paid_with_y) == {"banco-x": "payment_excluded"}
    assert paid_with_y.total == clp(300000)
    assert reasons(not_chosen) == {"banco-x": "payment_unknown"}


def test_interest_free_instalments_are_offered_without_changing_the_total() -> None:
    cart = cart_of(item("TV", 1, clp(10000)))
    cuotas = promo(
        "cuotas",
        Instalments((12, 3, 6)),
        payment_methods=frozenset({"card"}),
        banks=frozenset({"banco-x"}),
    )

    result = price_cart(cart, sale(), [cuotas])

    assert result.total == clp(10000)
    assert result.applied == ()
    card, bank = frozenset({"card"}), frozenset({"banco-x"})
    assert result.instalment_offers == (
        InstalmentOffer("cuotas", 3, clp(3334), card, bank),
        InstalmentOffer("cuotas", 6, clp(1667), card, bank),
        InstalmentOffer("cuotas", 12, clp(834), card, bank),
    )
    assert reasons(result) == {"cuotas": None}


def test_instalments_follow_the_discounted_total_and_their_conditions() -> None:
    cart = cart_of(item("TV", 1, clp(30000)))
    promotions = [
        promo(
            "cuotas-x",
            Instalments((3,), clp(25000)),
            payment_methods=frozenset({"card"}),
            banks=frozenset({"banco-x"}),
        ),
        promo("cuotas-big", Instalments((6,), clp(28000))),
        promo("ten", PercentOff(pct(10)), priority=1),
    ]

    result = price_cart(cart, sale(payment=Payment("card", "banco-y")), promotions)

    assert result.total == clp(27000)
    assert result.instalment_offers == ()
    assert reasons(result) == {
        "ten": None,
        "cuotas-x": "payment_excluded",
        "cuotas-big": "below_threshold",
    }
