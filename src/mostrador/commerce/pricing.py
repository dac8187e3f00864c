"""The one pricing engine: a cart, its sale context and the promotions in, a priced cart out.

Every channel (POS, web, chat, the bot's quotes) calls ``price_cart`` so a cart costs the
same everywhere unless a promotion or a price says otherwise. Pure: time, prices and
coupon usage are inputs; nothing is read or written.

Rules, in the order they act:

- promotions apply by ``priority`` (highest first), ties by ``id``, each on what is still
  to pay after the ones before it (10 % then 20 % off 100 leaves 72);
- ``exclusive``: no later promotion touches the lines it discounted; if it is order-level
  (no target), no later promotion touches any line or the shipping. It still lands on top
  of higher-priority discounts: give it the highest priority to make it the only one;
- ``stackable=False``: skips lines that already carry a discount, and no later promotion
  discounts the lines it discounted;
- thresholds and order-level amounts are measured on the lines the promotion may still
  discount; order-level discounts are spread over those lines exactly, in proportion to
  what each still costs, so a return refunds what that line really paid;
- every amount is in the currency's minor unit and a line never goes below zero.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mostrador.commerce.promotion_application import CartSheet, LineState, apply_offer
from mostrador.commerce.promotion_discounts import to_money, to_units
from mostrador.commerce.promotion_eligibility import (
    Occasion,
    audience_refusal,
    coupon_refusal,
    payment_refusal,
    window_refusal,
)
from mostrador.commerce.promotion_index import PromotionIndex, index_promotions
from mostrador.commerce.promotion_outcomes import OutcomeLog, PromotionEvaluation, RejectedCoupon
from mostrador.commerce.promotion_wording import describe
from mostrador.commerce.promotions import (
    CHANNELS,
    Instalments,
    Promotion,
    Scope,
    normalize_code,
)
from mostrador.core.errors import InvalidInput
from mostrador.core.money import Money, minor_unit

__all__ = [
    "AppliedDiscount",
    "Cart",
    "CartLine",
    "CouponUses",
    "InstalmentOffer",
    "Payment",
    "PricedCart",
    "PricedLine",
    "PricingContext",
    "PromotionEvaluation",
    "PromotionIndex",
    "RejectedCoupon",
    "index_promotions",
    "price_cart",
]


@dataclass(frozen=True, slots=True)
class CartLine:
    """A line as the caller priced it from the price list; ``channel_price`` overrides it."""

    sku: str
    quantity: int
    unit_price: Money
    product_id: str | None = None
    categories: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()
    channel_price: Money | None = None

    @property
    def price(self) -> Money:
        """The unit price charged before promotions."""
        return self.unit_price if self.channel_price is None else self.channel_price


@dataclass(frozen=True, slots=True)
class Cart:
    """What is being bought, in one currency; ``shipping`` is the fee quoted (None: no delivery)."""

    currency: str
    lines: tuple[CartLine, ...]
    shipping: Money | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "currency", self.currency.upper())
        minor_unit(self.currency)
        for line in self.lines:
            if line.quantity < 1:
                raise InvalidInput(
                    f"{line.sku}: quantity must be at least 1", code="invalid_quantity"
                )
            prices = [line.unit_price, line.channel_price, self.shipping]
            if any(p is not None and p.currency != self.currency for p in prices):
                raise InvalidInput(
                    f"{line.sku}: prices must be in {self.currency}", code="currency_mismatch"
                )
            if line.price.amount < 0:
                raise InvalidInput(f"{line.sku}: a price is never negative", code="negative_price")
        if self.shipping is not None and self.shipping.amount < 0:
            raise InvalidInput("shipping is never negative", code="negative_price")


@dataclass(frozen=True, slots=True)
class Payment:
    """How the customer pays: a method ("card", "cash", "transfer"...) and the issuing bank's id."""

    method: str
    bank: str | None = None


@dataclass(frozen=True, slots=True)
class CouponUses:
    """How many times a code was already redeemed, in total and by this customer."""

    total: int = 0
    by_customer: int = 0


@dataclass(frozen=True, slots=True)
class PricingContext:
    """The sale's circumstances: channel, aware instant, workspace time zone, customer, payment."""

    channel: str
    at: datetime
    time_zone: str = "UTC"
    customer_id: str | None = None
    first_purchase: bool = False
    loyalty_tier: str | None = None
    customer_segments: frozenset[str] = frozenset()
    payment: Payment | None = None
    coupon_codes: tuple[str, ...] = ()
    coupon_uses: Mapping[str, CouponUses] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.channel not in CHANNELS:
            raise InvalidInput(f"unknown channel {self.channel!r}", code="unknown_channel")
        if self.at.utcoffset() is None:
            raise InvalidInput("the sale's instant must carry a time zone", code="naive_datetime")
        _zone(self.time_zone)


@dataclass(frozen=True, slots=True)
class AppliedDiscount:
    """Why an amount came off: enough for the UI to word it in any language."""

    promotion_id: str
    kind: str
    scope: Scope
    amount: Money
    params: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class PricedLine:
    """A line after promotions: ``gross - discount_total == net``, never below zero."""

    sku: str
    quantity: int
    unit_price: Money
    price_source: Literal["list", "channel"]
    gross: Money
    discounts: tuple[AppliedDiscount, ...]
    discount_total: Money
    net: Money


@dataclass(frozen=True, slots=True)
class InstalmentOffer:
    """``count`` interest-free instalments of at most ``instalment`` each, adding up to the total.

    ``instalment`` is the total divided by ``count`` rounded up to the minor unit; the
    payment provider settles the exact split.
    """

    promotion_id: str
    count: int
    instalment: Money
    payment_methods: frozenset[str]
    banks: frozenset[str]


@dataclass(frozen=True, slots=True)
class PricedCart:
    """The priced cart: ``sum(line nets) + shipping - shipping_discount == total``.

    ``applied`` has one entry per promotion with its whole amount; ``evaluations`` covers
    every promotion that could touch this cart (those targeting none of its lines are left out).
    """

    currency: str
    lines: tuple[PricedLine, ...]
    subtotal: Money
    discount_total: Money
    shipping: Money
    shipping_discount: Money
    total: Money
    applied: tuple[AppliedDiscount, ...]
    coupons_applied: tuple[str, ...]
    rejected_coupons: tuple[RejectedCoupon, ...]
    instalment_offers: tuple[InstalmentOffer, ...]
    evaluations: tuple[PromotionEvaluation, ...]


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(f"unknown time zone {name!r}", code="unknown_time_zone") from None


def _occasion(context: PricingContext) -> Occasion:
    local = context.at.astimezone(_zone(context.time_zone))
    payment = context.payment
    return Occasion(
        at=context.at,
        weekday=local.weekday(),
        local_time=local.time(),
        channel=context.channel,
        first_purchase=context.first_purchase,
        loyalty_tier=context.loyalty_tier,
        customer_segments=context.customer_segments,
        payment_method=payment.method if payment else None,
        bank=payment.bank if payment else None,
        customer_known=context.customer_id is not None,
    )


def _refusal(
    promotion: Promotion,
    occasion: Occasion,
    currency: str,
    codes: tuple[str, ...],
    uses: Mapping[str, CouponUses],
) -> str | None:
    """Why the promotion's conditions do not hold for this sale (None when they do)."""
    conditions = promotion.conditions
    coupon = conditions.coupon
    if coupon is not None and coupon.code not in codes:
        return "coupon_required"
    if promotion.currency is not None and promotion.currency != currency:
        return "currency_mismatch"
    reason = window_refusal(conditions, occasion) or audience_refusal(conditions, occasion)
    if reason is not None:
        return reason
    reason = payment_refusal(conditions, occasion)
    # Instalments are shown before the customer picks how to pay.
    if reason is not None and not (reason == "payment_unknown" and promotion.scope == "offer"):
        return reason
    if coupon is not None:
        used = uses.get(coupon.code, CouponUses())
        return coupon_refusal(coupon, used.total, used.by_customer, occasion.customer_known)
    return None


def _instalment_offers(
    promotions: list[Promotion], total: Money, run: OutcomeLog
) -> tuple[InstalmentOffer, ...]:
    """Each count of each instalment promotion the total qualifies for."""
    units = to_units(total)
    offers: list[InstalmentOffer] = []
    for promotion in promotions:
        offer = promotion.offer
        if not isinstance(offer, Instalments):
            continue
        if total.is_zero:
            run.note(promotion, 0, "nothing_to_discount")
            continue
        if offer.minimum is not None and total < offer.minimum:
            run.note(promotion, 0, "below_threshold")
            continue
        run.note(promotion, 0, None)
        conditions = promotion.conditions
        for count in offer.counts:
            instalment = to_money(-(-units // count), total.currency)
            offers.append(
                InstalmentOffer(
                    promotion.id, count, instalment, conditions.payment_methods, conditions.banks
                )
            )
    return tuple(offers)


def price_cart(
    cart: Cart, context: PricingContext, promotions: PromotionIndex | Iterable[Promotion]
) -> PricedCart:
    """Price ``cart`` for ``context`` under ``promotions`` (pass an index built once to go fast)."""
    index = promotions if isinstance(promotions, PromotionIndex) else index_promotions(promotions)
    currency = cart.currency
    occasion = _occasion(context)
    codes = tuple(dict.fromkeys(normalize_code(c) for c in context.coupon_codes if c.strip()))
    uses = {normalize_code(code): used for code, used in context.coupon_uses.items()}
    run = OutcomeLog(codes)
    states = [
        LineState(line.sku, line.quantity, to_units(line.price) * line.quantity)
        for line in cart.lines
    ]
    sheet = CartSheet(states, to_units(cart.shipping) if cart.shipping is not None else 0)
    hits = index.hits(cart.lines)
    every_line = list(range(len(states)))
    instalments: list[Promotion] = []
    for rank in sorted(hits.keys() | set(index.untargeted)):
        promotion = index.ordered[rank]
        reason = _refusal(promotion, occasion, currency, codes, uses)
        if reason is None and promotion.scope == "offer":
            instalments.append(promotion)
            continue
        amount = 0
        if reason is None:
            amount, reason = apply_offer(promotion, hits.get(rank, every_line), sheet)
        run.note(promotion, amount, reason)
    return _priced(cart, sheet, run, instalments, index)


def _priced(
    cart: Cart,
    sheet: CartSheet,
    run: OutcomeLog,
    instalments: list[Promotion],
    index: PromotionIndex,
) -> PricedCart:
    """Turn the worked cart back into Money, with an explanation for every discount."""
    currency = cart.currency
    params: dict[str, Mapping[str, str]] = {}

    def explained(promotion: Promotion, amount: int) -> AppliedDiscount:
        if promotion.id not in params:
            # Shared by every line the promotion touched, so read-only.
            params[promotion.id] = MappingProxyType(describe(promotion))
        return AppliedDiscount(
            promotion.id,
            promotion.kind,
            promotion.scope,
            to_money(amount, currency),
            params[promotion.id],
        )

    lines: list[PricedLine] = []
    subtotal = 0
    for line, state in zip(cart.lines, sheet.lines, strict=True):
        gross = state.gross
        subtotal += gross
        lines.append(
            PricedLine(
                sku=line.sku,
                quantity=line.quantity,
                unit_price=line.price,
                price_source="list" if line.channel_price is None else "channel",
                gross=to_money(gross, currency),
                discounts=tuple(explained(p, amount) for p, amount in state.applied),
                discount_total=to_money(gross - state.remaining, currency),
                net=to_money(state.remaining, currency),
            )
        )
    net = sheet.merchandise()
    shipping = to_units(cart.shipping) if cart.shipping is not None else 0
    total = to_money(net + sheet.shipping, currency)
    offers = _instalment_offers(instalments, total, run)
    return PricedCart(
        currency=currency,
        lines=tuple(lines),
        subtotal=to_money(subtotal, currency),
        discount_total=to_money(subtotal - net, currency),
        shipping=to_money(shipping, currency),
        shipping_discount=to_money(shipping - sheet.shipping, currency),
        total=total,
        applied=tuple(explained(p, amount) for p, amount in run.applied),
        coupons_applied=run.coupons_applied(),
        rejected_coupons=run.rejected_coupons(index.coupon_codes),
        instalment_offers=offers,
        evaluations=tuple(run.evaluations),
    )
