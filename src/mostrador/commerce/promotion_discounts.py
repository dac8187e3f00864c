"""How much each kind of offer takes off each line, in whole minor units of the currency.

The engine counts in integers (cents, or pesos for CLP/COP) so every amount is exact and
fast; ``to_units``/``to_money`` convert at the edges. Inputs are the lines' *remaining*
amounts (what is still to pay after earlier promotions), so no share exceeds what is left.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from math import lcm

from mostrador.commerce.promotions import BundleItem
from mostrador.core.money import MINOR_UNITS, Money, minor_unit

_EXPONENTS = {currency: -places for currency, places in MINOR_UNITS.items()}


def to_units(money: Money) -> int:
    """``money`` in minor units (``Money`` is always rounded, so this is exact)."""
    return int(money.amount.scaleb(minor_unit(money.currency)))


def to_money(units: int, currency: str) -> Money:
    """Minor units back to ``Money`` (``currency`` already upper-case and known)."""
    return Money.from_minor_units(units, currency)


def _divide_half_up(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded half up, for non-negative integers."""
    return (2 * numerator + denominator) // (2 * denominator)


def percent_of(base: int, percent: Decimal) -> int:
    """``percent`` of ``base``, rounded half up to the minor unit (as ``Money.percent`` does)."""
    numerator, denominator = percent.as_integer_ratio()
    return _divide_half_up(base * numerator, 100 * denominator)


def spread(amount: int, weights: Sequence[int]) -> list[int]:
    """Split ``amount`` in proportion to ``weights`` so the parts add up exactly.

    The same rule as ``Money.allocate`` (leftover units to the largest remainders, ties to
    the earliest part), in integers because the engine spreads many times per cart. With
    ``amount <= sum(weights)`` no part exceeds its weight.
    """
    whole = sum(weights)
    floors = [amount * weight // whole for weight in weights]
    leftover = amount - sum(floors)
    if leftover:
        remainders = [amount * weight % whole for weight in weights]
        order = sorted(range(len(weights)), key=lambda i: (-remainders[i], i))
        for i in order[:leftover]:
            floors[i] += 1
    return floors


def share_of_units(remaining: int, units: int, quantity: int) -> int:
    """What ``units`` of a line's ``quantity`` units are worth of its ``remaining`` amount."""
    if units == quantity:
        return remaining
    return _divide_half_up(remaining * units, quantity)


def cheapest_units_free(
    remaining: Sequence[int], quantities: Sequence[int], buy: int, pay: int
) -> list[int]:
    """N×M over the pooled units: ``buy - pay`` free per ``buy`` units, the cheapest first.

    Ties in unit price go to the earlier line, so the result never depends on luck.
    """
    free = sum(quantities) // buy * (buy - pay)
    common = lcm(*quantities)  # compares unit prices exactly, without fractions
    order = sorted(range(len(remaining)), key=lambda i: (remaining[i] * common // quantities[i], i))
    discounts = [0] * len(remaining)
    for i in order:
        if free == 0:
            break
        units = min(free, quantities[i])
        free -= units
        discounts[i] = share_of_units(remaining[i], units, quantities[i])
    return discounts


def bundles_in(
    skus: Sequence[str], quantities: Sequence[int], items: Sequence[BundleItem]
) -> tuple[int, list[int]]:
    """How many whole bundles the lines make, and how many units each line gives to them.

    Units of a SKU spread over several lines are taken in line order.
    """
    available: dict[str, int] = {}
    for sku, quantity in zip(skus, quantities, strict=True):
        available[sku] = available.get(sku, 0) + quantity
    count = min(available.get(item.sku, 0) // item.quantity for item in items)
    needed = {item.sku: item.quantity * count for item in items}
    used: list[int] = []
    for sku, quantity in zip(skus, quantities, strict=True):
        take = min(quantity, needed.get(sku, 0))
        if take:
            needed[sku] -= take
        used.append(take)
    return count, used


def bundle_discounts(
    value_used: Sequence[int], count: int, price: int | None, percent: Decimal | None
) -> list[int]:
    """Discount per line for ``count`` bundles worth ``value_used`` (per line) at normal price.

    A fixed bundle price that is not below the normal value gives nothing (all zeros).
    """
    value = sum(value_used)
    discount = 0
    if percent is not None:
        discount = percent_of(value, percent)
    elif price is not None:
        discount = max(value - price * count, 0)
    if discount == 0:
        return [0] * len(value_used)
    return spread(discount, value_used)
