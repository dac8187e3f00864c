"""Applying one promotion's offer to the cart being priced, under the stacking rules.

Promotions apply one after another on what is still to pay. A line stops taking
discounts once an ``exclusive`` or non-``stackable`` promotion discounted it; a
non-stackable promotion also skips lines that already carry a discount; an exclusive
order-level promotion closes every line and the shipping.
"""

from __future__ import annotations

from collections.abc import Sequence

from mostrador.commerce.promotion_discounts import (
    bundle_discounts,
    bundles_in,
    cheapest_units_free,
    percent_of,
    share_of_units,
    spread,
    to_units,
)
from mostrador.commerce.promotions import (
    AmountOff,
    Bundle,
    BuyXPayY,
    FreeShipping,
    Instalments,
    PercentOff,
    Promotion,
    SpendThreshold,
)


class LineState:
    """One cart line while it is being priced, in minor units: what remains and what applied."""

    __slots__ = ("applied", "closed_by", "gross", "quantity", "remaining", "sku")

    def __init__(self, sku: str, quantity: int, gross: int) -> None:
        self.sku = sku
        self.quantity = quantity
        self.gross = gross
        self.remaining = gross
        self.applied: list[tuple[Promotion, int]] = []
        self.closed_by: str | None = None

    def accepts(self, stackable: bool) -> bool:
        """Whether a promotion (stackable or not) may still discount this line."""
        return self.closed_by is None and (stackable or not self.applied)


class CartSheet:
    """The whole cart while it is being priced: lines and the shipping still to pay."""

    __slots__ = ("lines", "shipping", "shipping_closed")

    def __init__(self, lines: list[LineState], shipping: int) -> None:
        self.lines = lines
        self.shipping = shipping
        self.shipping_closed = False

    def merchandise(self) -> int:
        """What the lines still cost after the discounts applied so far."""
        return sum(line.remaining for line in self.lines)


def apply_offer(
    promotion: Promotion, positions: Sequence[int], sheet: CartSheet
) -> tuple[int, str | None]:
    """Apply ``promotion`` to the lines at ``positions``: (amount taken off, reason if none)."""
    offer = promotion.offer
    if isinstance(offer, FreeShipping):
        return _waive_shipping(promotion, offer, sheet)
    if isinstance(offer, Instalments):
        return 0, "not_a_discount"
    if not positions:
        return 0, "no_matching_lines"
    targeted = [sheet.lines[position] for position in positions]
    lines = [line for line in targeted if line.accepts(promotion.stackable)]
    if not lines:
        exclusive = any(line.closed_by == "exclusive" for line in targeted)
        return 0, "blocked_by_exclusive" if exclusive else "not_stackable"
    shares = _shares(offer, lines)
    if isinstance(shares, str):
        return 0, shares
    amount = _record(promotion, lines, shares)
    if amount == 0:
        return 0, "nothing_to_discount"
    if promotion.exclusive and promotion.scope == "order":
        for line in sheet.lines:
            line.closed_by = "exclusive"
        sheet.shipping_closed = True
    return amount, None


def _record(promotion: Promotion, lines: list[LineState], shares: list[int]) -> int:
    closing = "exclusive" if promotion.exclusive else None
    if closing is None and not promotion.stackable:
        closing = "not_stackable"
    amount = 0
    for line, share in zip(lines, shares, strict=True):
        if share > 0:
            line.remaining -= share
            line.applied.append((promotion, share))
            amount += share
            if closing is not None:
                line.closed_by = closing
    return amount


def _spread_over(amount: int, remaining: list[int]) -> list[int]:
    return spread(amount, remaining) if amount > 0 else [0] * len(remaining)


def _shares(
    offer: PercentOff | AmountOff | BuyXPayY | Bundle | SpendThreshold, lines: list[LineState]
) -> list[int] | str:
    """Each line's share of the offer, or the reason it gives nothing."""
    remaining = [line.remaining for line in lines]
    base = sum(remaining)
    if base == 0:
        return "nothing_to_discount"
    if isinstance(offer, PercentOff):
        if offer.target is not None:
            return [percent_of(amount, offer.percent) for amount in remaining]
        return _spread_over(percent_of(base, offer.percent), remaining)
    if isinstance(offer, AmountOff):
        if offer.per_unit:
            unit_off = to_units(offer.amount)
            return [min(unit_off * line.quantity, line.remaining) for line in lines]
        return _spread_over(min(to_units(offer.amount), base), remaining)
    if isinstance(offer, SpendThreshold):
        if base < to_units(offer.minimum):
            return "below_threshold"
        if offer.percent is not None:
            return _spread_over(percent_of(base, offer.percent), remaining)
        amount = to_units(offer.amount) if offer.amount is not None else 0
        return _spread_over(min(amount, base), remaining)
    quantities = [line.quantity for line in lines]
    if isinstance(offer, BuyXPayY):
        if sum(quantities) < offer.buy:
            return "not_enough_units"
        return cheapest_units_free(remaining, quantities, offer.buy, offer.pay)
    return _bundle_shares(offer, lines)


def _bundle_shares(offer: Bundle, lines: list[LineState]) -> list[int] | str:
    quantities = [line.quantity for line in lines]
    count, used = bundles_in([line.sku for line in lines], quantities, offer.items)
    if count == 0:
        return "incomplete_bundle"
    value_used = [
        share_of_units(line.remaining, units, line.quantity)
        for line, units in zip(lines, used, strict=True)
    ]
    price = to_units(offer.price) if offer.price is not None else None
    shares = bundle_discounts(value_used, count, price, offer.percent)
    return shares if any(shares) else "not_beneficial"


def _waive_shipping(
    promotion: Promotion, offer: FreeShipping, sheet: CartSheet
) -> tuple[int, str | None]:
    """Waive the whole fee if the merchandise still to pay reaches the minimum."""
    if sheet.shipping_closed:
        return 0, "blocked_by_exclusive"
    if sheet.shipping == 0:
        return 0, "nothing_to_discount"
    if offer.minimum is not None and sheet.merchandise() < to_units(offer.minimum):
        return 0, "below_threshold"
    amount = sheet.shipping
    sheet.shipping = 0
    if promotion.exclusive:
        sheet.shipping_closed = True
    return amount, None
