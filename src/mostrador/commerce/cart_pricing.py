"""Price a cart the same way on every channel: list prices (and explicit channel overrides)
from the price list, the workspace's active promotions, and what is known of the buyer
(first purchase, loyalty tier, segments, coupon uses), through the one engine (``pricing``).
Used by orders, by the counter and by the bot's quotes alike.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mostrador.commerce import loyalty, pricing, promotion_store
from mostrador.commerce.models import SOLD_STATUSES, Order, Price, Product, Variant
from mostrador.commerce.schemas import ORDER_CHANNELS, PAYMENT_METHODS, OrderLineInput
from mostrador.core.errors import Conflict, InvalidInput
from mostrador.core.ids import WorkspaceId
from mostrador.core.money import Money
from mostrador.customers import Customer


class PaymentChoice(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    method: Literal[PAYMENT_METHODS]  # type: ignore[valid-type]
    bank: str | None = Field(default=None, max_length=60)


class CartInput(BaseModel):
    """A cart to price (nothing is reserved or written)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    channel: Literal[ORDER_CHANNELS]  # type: ignore[valid-type]
    lines: list[OrderLineInput] = Field(min_length=1, max_length=200)
    customer_id: str | None = None
    coupon_codes: list[str] = Field(default_factory=list, max_length=5)
    payment: PaymentChoice | None = None

    @model_validator(mode="after")
    def _one_line_per_sku(self) -> CartInput:
        skus = [line.sku for line in self.lines]
        if len(set(skus)) != len(skus):
            raise ValueError("each SKU once per cart; add up the quantities")
        return self


@dataclass(frozen=True)
class Buyer:
    """What pricing may know about who buys (every merged profile of one person)."""

    customer_ids: tuple[uuid.UUID, ...] = ()
    tags: frozenset[str] = frozenset()


def buyer(session: Session, workspace_id: WorkspaceId, customer_ids: Sequence[uuid.UUID]) -> Buyer:
    if not customer_ids:
        return Buyer()
    tags: set[str] = set()
    for row in session.execute(
        select(Customer.tags).where(
            Customer.workspace_id == workspace_id, Customer.id.in_(list(customer_ids))
        )
    ).scalars():
        tags.update(str(t) for t in row or [])
    return Buyer(tuple(customer_ids), frozenset(tags))


def price(
    session: Session,
    workspace_id: WorkspaceId,
    *,
    currency: str,
    time_zone: str,
    channel: str,
    lines: Sequence[OrderLineInput],
    at: datetime,
    who: Buyer = Buyer(),
    coupon_codes: Sequence[str] = (),
    payment: PaymentChoice | None = None,
    known: Mapping[str, tuple[Variant, Product]] | None = None,
) -> pricing.PricedCart:
    """The priced cart; unknown SKUs are a 422 and a variant without a price a 409.
    ``known`` are the variants the caller already read (an order has)."""
    skus = [line.sku for line in lines]
    if known is not None and all(s in known for s in skus):
        found = dict(known)
    else:
        rows = session.execute(
            select(Variant, Product)
            .join(Product, Product.id == Variant.product_id)
            .where(Variant.workspace_id == workspace_id, Variant.sku.in_(skus))
        ).all()
        found = {variant.sku: (variant, product) for variant, product in rows}
    missing = [s for s in skus if s not in found]
    if missing:
        raise InvalidInput(
            f"unknown SKU {missing[0]}", code="unknown_sku", details={"skus": missing}
        )
    prices = _prices(session, workspace_id, [found[s][0].id for s in skus], currency, channel)
    cart = pricing.Cart(
        currency=currency,
        lines=tuple(
            pricing.CartLine(
                sku=line.sku,
                quantity=line.quantity,
                unit_price=Money(prices[found[line.sku][0].id][0], currency),
                product_id=str(found[line.sku][1].id),
                categories=frozenset({found[line.sku][1].category} - {""}),
                tags=frozenset(str(t) for t in found[line.sku][1].tags),
                channel_price=_maybe_money(prices[found[line.sku][0].id][1], currency),
            )
            for line in lines
        ),
    )
    customer_ids = list(who.customer_ids)
    context = pricing.PricingContext(
        channel=channel,
        at=at,
        time_zone=time_zone,
        customer_id=str(customer_ids[0]) if customer_ids else None,
        first_purchase=bool(customer_ids)
        and not _bought_before(session, workspace_id, customer_ids),
        loyalty_tier=_tier(session, workspace_id, customer_ids, currency, at),
        customer_segments=who.tags,
        payment=pricing.Payment(payment.method, payment.bank) if payment else None,
        coupon_codes=tuple(coupon_codes),
        coupon_uses=promotion_store.coupon_uses(session, workspace_id, coupon_codes, customer_ids),
    )
    return pricing.price_cart(
        cart, context, promotion_store.active_index(session, workspace_id, currency)
    )


def _maybe_money(amount: Any, currency: str) -> Money | None:
    return Money(amount, currency) if amount is not None else None


def _prices(
    session: Session,
    workspace_id: WorkspaceId,
    variant_ids: Sequence[uuid.UUID],
    currency: str,
    channel: str,
) -> dict[uuid.UUID, tuple[Any, Any]]:
    rows = session.execute(
        select(Price.variant_id, Price.channel, Price.amount).where(
            Price.workspace_id == workspace_id,
            Price.variant_id.in_(list(variant_ids)),
            Price.currency == currency,
            Price.channel.in_(["", channel]),
            Price.valid_until.is_(None),
        )
    ).all()
    base = {v: a for v, c, a in rows if c == ""}
    override = {v: a for v, c, a in rows if c}
    if any(v not in base for v in variant_ids):
        raise Conflict(f"a variant has no {currency} price", code="price_missing")
    return {v: (base[v], override.get(v)) for v in variant_ids}


def _bought_before(
    session: Session, workspace_id: WorkspaceId, customer_ids: Sequence[uuid.UUID]
) -> bool:
    count = session.execute(
        select(func.count())
        .select_from(Order)
        .where(
            Order.workspace_id == workspace_id,
            Order.customer_id.in_(list(customer_ids)),
            Order.status.in_(SOLD_STATUSES),
        )
    ).scalar_one()
    return bool(count)


def _tier(
    session: Session,
    workspace_id: WorkspaceId,
    customer_ids: Sequence[uuid.UUID],
    currency: str,
    at: datetime,
) -> str | None:
    if not customer_ids:
        return None
    ledger = loyalty.entries(session, workspace_id, customer_ids)
    return loyalty.tier(ledger, loyalty.program_for(session, workspace_id, currency), at).name


def priced_document(priced: pricing.PricedCart) -> dict[str, Any]:
    """The priced cart with the explanation of every promotion on every line."""

    def money(value: Money) -> str:
        return str(value.amount)

    def discount(d: pricing.AppliedDiscount) -> dict[str, Any]:
        return {
            "promotion_id": d.promotion_id,
            "kind": d.kind,
            "amount": money(d.amount),
            "params": dict(d.params),
        }

    return {
        "currency": priced.currency,
        "lines": [
            {
                "sku": line.sku,
                "quantity": line.quantity,
                "unit_price": money(line.unit_price),
                "price_source": line.price_source,
                "gross": money(line.gross),
                "discounts": [discount(d) for d in line.discounts],
                "discount_total": money(line.discount_total),
                "net": money(line.net),
            }
            for line in priced.lines
        ],
        "subtotal": money(priced.subtotal),
        "discount_total": money(priced.discount_total),
        "shipping": money(priced.shipping),
        "shipping_discount": money(priced.shipping_discount),
        "total": money(priced.total),
        "promotions": [discount(d) for d in priced.applied],
        "coupons_applied": list(priced.coupons_applied),
        "rejected_coupons": [
            {"code": r.code, "reason": r.reason, "detail": r.detail}
            for r in priced.rejected_coupons
        ],
        "instalment_offers": [
            {
                "promotion_id": o.promotion_id,
                "count": o.count,
                "instalment": money(o.instalment),
                "payment_methods": sorted(o.payment_methods),
                "banks": sorted(o.banks),
            }
            for o in priced.instalment_offers
        ],
    }
