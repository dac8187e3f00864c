"""Promotions sorted in the order they apply and indexed by what they target.

Built once per promotion set (not per cart), so pricing a cart looks only at promotions
that can touch one of its lines, plus the order-level ones; this keeps a 20-line cart
with hundreds of active promotions well under a millisecond.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from mostrador.commerce.promotions import (
    AmountOff,
    Bundle,
    BuyXPayY,
    PercentOff,
    Promotion,
    SpendThreshold,
    Target,
)
from mostrador.core.errors import InvalidInput


class Targetable(Protocol):
    """What the index reads from a cart line."""

    @property
    def sku(self) -> str: ...
    @property
    def product_id(self) -> str | None: ...
    @property
    def categories(self) -> frozenset[str]: ...
    @property
    def tags(self) -> frozenset[str]: ...


def application_order(promotion: Promotion) -> tuple[int, str]:
    """Higher priority first, then by id: the same set always applies in the same order."""
    return (-promotion.priority, promotion.id)


@dataclass(frozen=True, slots=True)
class PromotionIndex:
    """Promotions in application order (a promotion's rank is its position) plus lookups."""

    ordered: tuple[Promotion, ...]
    by_sku: dict[str, tuple[int, ...]]
    by_product: dict[str, tuple[int, ...]]
    by_category: dict[str, tuple[int, ...]]
    by_tag: dict[str, tuple[int, ...]]
    untargeted: tuple[int, ...]
    coupon_codes: frozenset[str]

    def hits(self, lines: Sequence[Targetable]) -> dict[int, list[int]]:
        """For each targeted promotion touching the cart: the positions of the lines it targets."""
        found: dict[int, list[int]] = {}
        for position, line in enumerate(lines):
            ranks = set(self.by_sku.get(line.sku, ()))
            if line.product_id is not None:
                ranks.update(self.by_product.get(line.product_id, ()))
            for category in line.categories:
                ranks.update(self.by_category.get(category, ()))
            for tag in line.tags:
                ranks.update(self.by_tag.get(tag, ()))
            for rank in ranks:
                found.setdefault(rank, []).append(position)
        return found


def _target_of(promotion: Promotion) -> Target | None:
    offer = promotion.offer
    if isinstance(offer, Bundle):
        return Target(skus=frozenset(item.sku for item in offer.items))
    if isinstance(offer, PercentOff | AmountOff | BuyXPayY | SpendThreshold):
        return offer.target
    return None


def index_promotions(promotions: Iterable[Promotion]) -> PromotionIndex:
    """Sort and index ``promotions``; ids must be unique (``duplicate_promotion_id``)."""
    ordered = tuple(sorted(promotions, key=application_order))
    ids = [promotion.id for promotion in ordered]
    if len(set(ids)) != len(ids):
        raise InvalidInput("promotion ids must be unique", code="duplicate_promotion_id")
    keyed: tuple[dict[str, list[int]], ...] = ({}, {}, {}, {})
    untargeted: list[int] = []
    codes: set[str] = set()
    for rank, promotion in enumerate(ordered):
        if promotion.conditions.coupon is not None:
            codes.add(promotion.conditions.coupon.code)
        target = _target_of(promotion)
        if target is None:
            untargeted.append(rank)
            continue
        criteria = (target.skus, target.products, target.categories, target.tags)
        for lookup, values in zip(keyed, criteria, strict=True):
            for value in values:
                lookup.setdefault(value, []).append(rank)
    frozen = [{key: tuple(ranks) for key, ranks in lookup.items()} for lookup in keyed]
    return PromotionIndex(
        ordered=ordered,
        by_sku=frozen[0],
        by_product=frozen[1],
        by_category=frozen[2],
        by_tag=frozen[3],
        untargeted=tuple(untargeted),
        coupon_codes=frozenset(codes),
    )
