"""Properties of price_cart over generated carts and promotions of every kind.

The same cart prices the same on every channel unless a promotion is channel-scoped;
nothing goes below zero; every amount is in the currency's minor unit and adds up; the
result does not depend on the order the promotions are given in.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from mostrador.commerce.pricing import (
    Cart,
    CartLine,
    CouponUses,
    Payment,
    PricedCart,
    PricingContext,
    price_cart,
)
from mostrador.commerce.promotion_discounts import percent_of, spread, to_money, to_units
from mostrador.commerce.promotions import (
    CHANNELS,
    AmountOff,
    Bundle,
    BundleItem,
    BuyXPayY,
    Conditions,
    Coupon,
    FreeShipping,
    Instalments,
    Offer,
    PercentOff,
    Promotion,
    SpendThreshold,
    Target,
)
from mostrador.core.money import MINOR_UNITS, Money, minor_unit, round_amount

CURRENCIES = ["CLP", "COP", "ARS", "USD"]
SKUS = ["A", "B", "C", "D", "E"]
CATEGORIES = ["shoes", "hats"]
TAGS = ["sale", "new"]
CODES = ["C1", "C2", "C3"]
START = datetime(2026, 3, 1, tzinfo=UTC)
SETTINGS = settings(max_examples=200, deadline=None)


def money(units: int, currency: str) -> Money:
    return Money(Decimal(units).scaleb(-minor_unit(currency)), currency)


@st.composite
def carts(draw: st.DrawFn, currency: str) -> Cart:
    lines = []
    for _ in range(draw(st.integers(0, 6))):
        lines.append(
            CartLine(
                sku=draw(st.sampled_from(SKUS)),
                quantity=draw(st.integers(1, 5)),
                unit_price=money(draw(st.integers(0, 200_000)), currency),
                product_id=draw(st.sampled_from([None, "P1", "P2"])),
                categories=draw(st.frozensets(st.sampled_from(CATEGORIES))),
                tags=draw(st.frozensets(st.sampled_from(TAGS))),
            )
        )
    shipping = draw(st.none() | st.integers(0, 10_000).map(lambda u: money(u, currency)))
    return Cart(currency, tuple(lines), shipping)


@st.composite
def targets(draw: st.DrawFn) -> Target:
    criterion = draw(st.sampled_from(["skus", "products", "categories", "tags"]))
    pool = {"skus": SKUS, "products": ["P1", "P2"], "categories": CATEGORIES, "tags": TAGS}
    values = draw(st.frozensets(st.sampled_from(pool[criterion]), min_size=1))
    return Target(**{criterion: values})


percents = st.sampled_from(["1", "5", "10", "12.5", "33.33", "50", "100"]).map(Decimal)


@st.composite
def offers(draw: st.DrawFn, currency: str) -> Offer:
    amounts = st.integers(1, 50_000).map(lambda u: money(u, currency))
    maybe_target = st.none() | targets()
    kind = draw(st.integers(0, 6))
    if kind == 0:
        return PercentOff(draw(percents), draw(maybe_target))
    if kind == 1:
        target = draw(maybe_target)
        per_unit = target is not None and draw(st.booleans())
        return AmountOff(draw(amounts), target, per_unit)
    if kind == 2:
        buy = draw(st.integers(2, 4))
        return BuyXPayY(buy, draw(st.integers(1, buy - 1)), draw(targets()))
    if kind == 3:
        skus = draw(st.lists(st.sampled_from(SKUS), min_size=1, max_size=3, unique=True))
        items = tuple(BundleItem(sku, draw(st.integers(1, 2))) for sku in skus)
        if sum(item.quantity for item in items) < 2:
            items = (BundleItem(items[0].sku, 2),)
        if draw(st.booleans()):
            return Bundle(items, price=draw(amounts))
        return Bundle(items, percent=draw(percents))
    if kind == 4:
        if draw(st.booleans()):
            return SpendThreshold(draw(amounts), percent=draw(percents), target=draw(maybe_target))
        return SpendThreshold(draw(amounts), amount=draw(amounts), target=draw(maybe_target))
    if kind == 5:
        return FreeShipping(draw(st.none() | amounts))
    return Instalments(tuple(draw(st.sets(st.sampled_from([3, 6, 12]), min_size=1))))


@st.composite
def conditions(draw: st.DrawFn, channel_scoped: bool) -> Conditions:
    kind = draw(st.integers(0, 11))  # half of them unconditioned
    channels: frozenset[str] = frozenset()
    if channel_scoped and draw(st.booleans()):
        channels = draw(st.frozensets(st.sampled_from(sorted(CHANNELS)), min_size=1))
    if kind == 0:
        coupon = Coupon(
            draw(st.sampled_from(CODES)),
            draw(st.none() | st.integers(1, 3)),
            draw(st.none() | st.integers(1, 2)),
        )
        return Conditions(channels=channels, coupon=coupon)
    if kind == 1:
        return Conditions(
            channels=channels,
            payment_methods=frozenset({"card"}),
            banks=draw(st.sampled_from([frozenset(), frozenset({"banco-x"})])),
        )
    if kind == 2:
        return Conditions(
            channels=channels, weekdays=draw(st.frozensets(st.integers(0, 6), min_size=1))
        )
    if kind == 3:
        start, end = draw(st.lists(st.integers(0, 23), min_size=2, max_size=2, unique=True))
        return Conditions(channels=channels, hours_from=clock(start), hours_until=clock(end))
    if kind == 4:
        return Conditions(
            channels=channels, first_purchase_only=True, loyalty_tiers=frozenset({"gold"})
        )
    if kind == 5:
        until = START + timedelta(days=draw(st.integers(1, 20)))
        return Conditions(channels=channels, valid_until=until)
    return Conditions(channels=channels)


@st.composite
def promotion_sets(draw: st.DrawFn, currency: str, channel_scoped: bool = False) -> list[Promotion]:
    count = draw(st.integers(0, 8))
    return [
        Promotion(
            f"p{n}",
            draw(offers(currency)),
            draw(conditions(channel_scoped)),
            priority=draw(st.integers(0, 2)),
            exclusive=draw(st.integers(0, 4)) == 0,
            stackable=draw(st.integers(0, 3)) != 0,
        )
        for n in range(count)
    ]


@st.composite
def contexts(draw: st.DrawFn) -> PricingContext:
    codes = draw(st.lists(st.sampled_from([*CODES, "NOPE"]), max_size=3))
    uses = {code: CouponUses(draw(st.integers(0, 2)), draw(st.integers(0, 1))) for code in codes}
    return PricingContext(
        channel=draw(st.sampled_from(sorted(CHANNELS))),
        at=START + timedelta(minutes=draw(st.integers(0, 60 * 24 * 30))),
        time_zone=draw(st.sampled_from(["America/Santiago", "America/Bogota", "Europe/Madrid"])),
        customer_id=draw(st.none() | st.just("c-1")),
        first_purchase=draw(st.booleans()),
        loyalty_tier=draw(st.sampled_from([None, "gold"])),
        payment=draw(st.none() | st.sampled_from([Payment("card", "banco-x"), Payment("cash")])),
        coupon_codes=tuple(codes),
        coupon_uses=uses,
    )


@st.composite
def scenarios(
    draw: st.DrawFn, channel_scoped: bool = False
) -> tuple[Cart, list[Promotion], PricingContext]:
    currency = draw(st.sampled_from(CURRENCIES))
    return draw(carts(currency)), draw(promotion_sets(currency, channel_scoped)), draw(contexts())


def money_fields(result: PricedCart) -> list[Money]:
    amounts = [result.subtotal, result.discount_total, result.shipping]
    amounts += [result.shipping_discount, result.total]
    amounts += [discount.amount for discount in result.applied]
    amounts += [offer.instalment for offer in result.instalment_offers]
    for line in result.lines:
        amounts += [line.unit_price, line.gross, line.discount_total, line.net]
        amounts += [discount.amount for discount in line.discounts]
    return amounts


@SETTINGS
@given(scenarios())
def test_the_same_cart_prices_the_same_on_every_channel(
    scenario: tuple[Cart, list[Promotion], PricingContext],
) -> None:
    cart, promotions, context = scenario

    first, *others = [
        price_cart(cart, replace(context, channel=channel), promotions) for channel in CHANNELS
    ]

    assert all(other == first for other in others)


@SETTINGS
@given(scenarios(channel_scoped=True))
def test_a_channel_scoped_promotion_acts_only_on_its_channels(
    scenario: tuple[Cart, list[Promotion], PricingContext],
) -> None:
    cart, promotions, context = scenario
    for channel in sorted(CHANNELS):
        here = replace(context, channel=channel)
        allowed = [
            replace(p, conditions=replace(p.conditions, channels=frozenset()))
            for p in promotions
            if not p.conditions.channels or channel in p.conditions.channels
        ]

        scoped, unscoped = price_cart(cart, here, promotions), price_cart(cart, here, allowed)

        assert scoped.lines == unscoped.lines
        assert scoped.total == unscoped.total
        assert scoped.shipping_discount == unscoped.shipping_discount
        assert scoped.applied == unscoped.applied
        assert scoped.instalment_offers == unscoped.instalment_offers


@SETTINGS
@given(scenarios())
def test_nothing_goes_below_zero_and_every_amount_adds_up_in_the_minor_unit(
    scenario: tuple[Cart, list[Promotion], PricingContext],
) -> None:
    cart, promotions, context = scenario

    result = price_cart(cart, context, promotions)

    currency = cart.currency
    for amount in money_fields(result):
        assert amount.currency == currency
        assert amount.amount == round_amount(amount.amount, currency)
    assert result.total.amount >= 0
    for line in result.lines:
        assert line.gross == line.unit_price * line.quantity
        assert line.net.amount >= 0
        assert all(discount.amount.amount > 0 for discount in line.discounts)
        assert sum(d.amount.amount for d in line.discounts) == line.discount_total.amount
        assert line.gross.amount - line.discount_total.amount == line.net.amount
    nets = sum(line.net.amount for line in result.lines)
    assert result.subtotal.amount == sum(line.gross.amount for line in result.lines)
    assert result.subtotal.amount - result.discount_total.amount == nets
    assert 0 <= result.shipping_discount.amount <= result.shipping.amount
    assert nets + result.shipping.amount - result.shipping_discount.amount == result.total.amount
    for applied in result.applied:
        on_lines = [
            d.amount.amount
            for ln in result.lines
            for d in ln.discounts
            if d.promotion_id == applied.promotion_id
        ]
        expected = applied.amount.amount if applied.scope != "shipping" else 0
        assert sum(on_lines) == expected


@SETTINGS
@given(scenarios(channel_scoped=True), st.randoms(use_true_random=False))
def test_pricing_is_deterministic_whatever_the_order_of_the_promotions(
    scenario: tuple[Cart, list[Promotion], PricingContext], rng: random.Random
) -> None:
    cart, promotions, context = scenario
    shuffled = list(promotions)
    rng.shuffle(shuffled)

    first = price_cart(cart, context, promotions)

    assert price_cart(cart, context, promotions) == first
    assert price_cart(cart, context, shuffled) == first


@SETTINGS
@given(
    st.sampled_from(sorted(MINOR_UNITS)),
    st.integers(0, 10**9),
    st.lists(st.integers(0, 10**7), min_size=1, max_size=20).filter(any),
)
def test_the_integer_spread_is_money_allocate(
    currency: str, units: int, weights: list[int]
) -> None:
    amount = min(units, sum(weights))

    parts = spread(amount, weights)

    expected = money(amount, currency).allocate([Decimal(w) for w in weights])
    assert [to_money(part, currency) for part in parts] == expected
    assert all(part <= weight for part, weight in zip(parts, weights, strict=True))


@SETTINGS
@given(st.sampled_from(sorted(MINOR_UNITS)), st.integers(0, 10**9), percents)
def test_integer_percentages_and_conversions_agree_with_money(
    currency: str, units: int, percent: Decimal
) -> None:
    amount = money(units, currency)

    assert to_money(units, currency) == amount
    assert str(to_money(units, currency)) == str(amount)
    assert to_units(amount) == units
    assert to_money(percent_of(units, percent), currency) == amount.percent(percent)
