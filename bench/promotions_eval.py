"""Time ``price_cart`` on a 20-line cart against 200 active promotions of mixed kinds.

    .venv/bin/python bench/promotions_eval.py [--lines 20] [--promotions 200] [--seed 7]

The cart and promotions come from a seeded generator, so two runs price the same thing.
Prints microseconds per evaluation (p50, p99, mean) with the index built once, and the
same without an index (promotions passed as a list, indexed on every call).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from datetime import time as clock
from decimal import Decimal

from mostrador.commerce.pricing import (
    Cart,
    CartLine,
    Payment,
    PricedCart,
    PricingContext,
    price_cart,
)
from mostrador.commerce.promotion_index import index_promotions
from mostrador.commerce.promotions import (
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
from mostrador.core.money import Money

CURRENCY = "CLP"
SKUS = [f"SKU-{n:04d}" for n in range(400)]
CATEGORIES = [f"cat-{n:02d}" for n in range(40)]
TAGS = [f"tag-{n:02d}" for n in range(30)]


def _money(amount: int) -> Money:
    return Money(amount, CURRENCY)


def _attributes(sku: str) -> tuple[str, frozenset[str], frozenset[str]]:
    """Product, categories and tags of a SKU, derived from its number (stable across runs)."""
    n = int(sku.split("-")[1])
    product = f"P-{n // 4:03d}"
    categories = frozenset({CATEGORIES[n % 40], CATEGORIES[(n // 40) % 40]})
    return product, categories, frozenset({TAGS[n % 30]})


def make_cart(rng: random.Random, lines: int) -> Cart:
    chosen = rng.sample(SKUS, lines)
    cart_lines = []
    for sku in chosen:
        product, categories, tags = _attributes(sku)
        price = _money(rng.randrange(990, 89_990, 10))
        cart_lines.append(CartLine(sku, rng.randint(1, 4), price, product, categories, tags))
    return Cart(CURRENCY, tuple(cart_lines), _money(3_990))


def _target(rng: random.Random) -> Target:
    pick = rng.random()
    if pick < 0.4:
        return Target(skus=frozenset(rng.sample(SKUS, rng.randint(1, 5))))
    if pick < 0.7:
        return Target(categories=frozenset({rng.choice(CATEGORIES)}))
    if pick < 0.85:
        return Target(tags=frozenset({rng.choice(TAGS)}))
    return Target(products=frozenset({f"P-{rng.randrange(100):03d}"}))


def _offer(rng: random.Random) -> Offer:
    """Mostly product, category and tag offers; about one in six is order-wide or shipping."""
    pick = rng.random()
    if pick < 0.32:
        return PercentOff(Decimal(rng.choice([5, 10, 15, 20, 30])), _target(rng))
    if pick < 0.45:
        return AmountOff(_money(rng.choice([500, 1000, 2000])), _target(rng), per_unit=True)
    if pick < 0.59:
        buy = rng.choice([2, 3])
        return BuyXPayY(buy, buy - 1, _target(rng))
    if pick < 0.72:
        items = tuple(BundleItem(sku, rng.randint(1, 2)) for sku in rng.sample(SKUS, 2))
        return Bundle(items, percent=Decimal(rng.choice([10, 15, 25])))
    if pick < 0.77:
        return SpendThreshold(_money(rng.choice([50_000, 100_000])), percent=Decimal(5))
    if pick < 0.79:
        return PercentOff(Decimal(rng.choice([3, 5])))
    if pick < 0.81:
        return AmountOff(_money(5_000))
    if pick < 0.85:
        return SpendThreshold(_money(30_000), amount=_money(3_000), target=_target(rng))
    if pick < 0.92:
        return FreeShipping(_money(rng.choice([30_000, 60_000])))
    return Instalments((3, 6, 12), _money(20_000))


def _conditions(rng: random.Random, n: int) -> Conditions:
    pick = rng.random()
    if pick < 0.55:
        return Conditions()
    if pick < 0.65:
        return Conditions(channels=frozenset(rng.sample(["web", "pos", "whatsapp"], 2)))
    if pick < 0.75:
        return Conditions(payment_methods=frozenset({"card"}), banks=frozenset({"banco-x"}))
    if pick < 0.85:
        return Conditions(coupon=Coupon(f"CODE{n}", max_uses=100, max_uses_per_customer=1))
    if pick < 0.92:
        return Conditions(
            weekdays=frozenset({0, 1, 2, 3, 4}), hours_from=clock(9), hours_until=clock(21)
        )
    return Conditions(loyalty_tiers=frozenset({"gold"}))


def make_promotions(rng: random.Random, count: int) -> list[Promotion]:
    return [
        Promotion(
            f"promo-{n:03d}",
            _offer(rng),
            _conditions(rng, n),
            priority=rng.randint(0, 5),
            exclusive=rng.random() < 0.05,
            stackable=rng.random() > 0.2,
        )
        for n in range(count)
    ]


def _timings(evaluate: Callable[[], PricedCart], runs: int) -> list[float]:
    for _ in range(min(runs, 200)):
        evaluate()
    samples = []
    for _ in range(runs):
        started = time.perf_counter_ns()
        evaluate()
        samples.append((time.perf_counter_ns() - started) / 1000)
    return sorted(samples)


def _report(label: str, samples: list[float]) -> None:
    p50 = samples[len(samples) // 2]
    p99 = samples[min(len(samples) - 1, int(len(samples) * 0.99))]
    mean = statistics.fmean(samples)
    print(f"{label:<34} p50 {p50:7.1f} µs   p99 {p99:7.1f} µs   mean {mean:7.1f} µs")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=20)
    parser.add_argument("--promotions", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    cart = make_cart(rng, args.lines)
    promotions = make_promotions(rng, args.promotions)
    context = PricingContext(
        "web",
        datetime(2026, 3, 4, 18, 30, tzinfo=UTC),
        "America/Santiago",
        customer_id="c-1",
        loyalty_tier="gold",
        payment=Payment("card", "banco-x"),
        coupon_codes=("CODE7", "CODE42", "UNKNOWN"),
    )
    index = index_promotions(promotions)
    result = price_cart(cart, context, index)
    applied = sum(1 for e in result.evaluations if e.applied)
    explanations = sum(len(line.discounts) for line in result.lines)
    print(
        f"cart: {len(cart.lines)} lines, {len(promotions)} promotions, "
        f"{len(result.evaluations)} evaluated, {applied} applied, "
        f"{explanations} line discounts; subtotal {result.subtotal}, total {result.total}"
    )
    indexed = _timings(lambda: price_cart(cart, context, index), args.runs)
    _report("price_cart, index built once", indexed)
    listed = _timings(lambda: price_cart(cart, context, promotions), args.runs // 5)
    _report("price_cart, list indexed per call", listed)


if __name__ == "__main__":
    main()
