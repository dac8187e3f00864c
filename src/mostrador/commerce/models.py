"""The commerce tables: catalog, the one price list, the stock pool and its ledger,
reservations, orders with their lines and payments.

Stock lives in ``stock_levels`` (one row per variant and location: on hand and reserved);
every change of on hand is also a row of ``stock_movements``, so the ledger's sum per
variant and location is the stock. Reservations hold units for carts, chat quotes, pickups
and placed orders until they are consumed, released or expire.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from mostrador.core.db import Base


class Product(Base):
    """What the shop sells, as customers name it; sold as one or more variants."""

    __tablename__ = "products"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    workspace_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(String(4000), default="")
    category: Mapped[str] = mapped_column(String(120), default="")
    tags: Mapped[list[Any]] = mapped_column(default=list)
    status: Mapped[str] = mapped_column(String(10), default="active")  # active | archived
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Variant(Base):
    """A sellable unit with its own SKU (and barcode): size, colour..."""

    __tablename__ = "product_variants"
    __table_args__ = (
        UniqueConstraint("workspace_id", "sku"),
        Index("ix_product_variants_barcode", "workspace_id", "barcode"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    product_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), index=True
    )
    sku: Mapped[str] = mapped_column(String(64))
    barcode: Mapped[str | None] = mapped_column(String(64))
    attributes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    final_sale: Mapped[bool] = mapped_column(default=False)
    low_stock_threshold: Mapped[int] = mapped_column(Integer, default=2)
    created_at: Mapped[datetime]


class Price(Base):
    """One price of a variant in the workspace's price list for a currency.

    ``channel`` is ``""`` for the price every channel uses; a channel name marks an explicit,
    visible override. A price is current while ``valid_until`` is empty; a change closes it
    and opens a new row, so the history stays."""

    __tablename__ = "prices"
    __table_args__ = (
        Index(
            "ux_prices_current",
            "workspace_id",
            "variant_id",
            "currency",
            "channel",
            unique=True,
            sqlite_where=text("valid_until IS NULL"),
            postgresql_where=text("valid_until IS NULL"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    variant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("product_variants.id", ondelete="CASCADE"), index=True
    )
    currency: Mapped[str] = mapped_column(String(3))
    channel: Mapped[str] = mapped_column(String(20), default="")
    amount: Mapped[Decimal]
    valid_from: Mapped[datetime]
    valid_until: Mapped[datetime | None]
    set_by: Mapped[str] = mapped_column(String(200), default="")


class StockLevel(Base):
    """Units of a variant at a location: on hand, reserved; available is the difference."""

    __tablename__ = "stock_levels"

    variant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("product_variants.id", ondelete="CASCADE"), primary_key=True
    )
    location_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("locations.id", ondelete="CASCADE"), primary_key=True
    )
    workspace_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    on_hand: Mapped[int] = mapped_column(Integer, default=0)
    reserved: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime]


class StockMovement(Base):
    """One change of on-hand stock; the sum per variant and location is ``on_hand``."""

    __tablename__ = "stock_movements"
    __table_args__ = (
        Index("ix_stock_movements_level", "workspace_id", "variant_id", "location_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    variant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("product_variants.id", ondelete="CASCADE")
    )
    location_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("locations.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))  # receipt|sale|return|adjustment|transfer
    quantity: Mapped[int] = mapped_column(Integer)  # signed
    reference: Mapped[str] = mapped_column(String(80), default="")
    reason: Mapped[str] = mapped_column(String(200), default="")
    actor: Mapped[str] = mapped_column(String(200), default="")
    occurred_at: Mapped[datetime]


class Reservation(Base):
    """Units held for a cart, a chat quote, a pickup or a placed order until ``expires_at``."""

    __tablename__ = "stock_reservations"
    __table_args__ = (
        Index("ix_stock_reservations_live", "workspace_id", "status", "expires_at"),
        Index("ix_stock_reservations_holder", "workspace_id", "holder_kind", "holder_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    variant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("product_variants.id", ondelete="CASCADE")
    )
    location_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("locations.id", ondelete="CASCADE"))
    quantity: Mapped[int] = mapped_column(Integer)
    holder_kind: Mapped[str] = mapped_column(String(10))  # cart | quote | pickup | order
    holder_id: Mapped[uuid.UUID]
    status: Mapped[str] = mapped_column(String(10), default="active")
    # active | consumed | released | expired
    expires_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]


# Orders whose money was taken (what counts as spend and as having bought before).
SOLD_STATUSES = (
    "paid",
    "ready_for_pickup",
    "shipped",
    "collected",
    "delivered",
    "partially_returned",
    "returned",
)


class Order(Base):
    """An order from any channel, attached to its customer through the identity engine."""

    __tablename__ = "orders"
    __table_args__ = (
        UniqueConstraint("workspace_id", "number"),
        # A sale made at the till (or offline) carries the till's id: a retry is the same sale.
        Index(
            "ux_orders_external",
            "workspace_id",
            "channel",
            "external_id",
            unique=True,
            sqlite_where=text("external_id IS NOT NULL"),
            postgresql_where=text("external_id IS NOT NULL"),
        ),
        Index("ix_orders_customer", "workspace_id", "customer_id", "placed_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    channel: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str | None] = mapped_column(String(80))
    customer_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("customers.id", ondelete="SET NULL")
    )
    status: Mapped[str] = mapped_column(String(20))
    currency: Mapped[str] = mapped_column(String(3))
    subtotal: Mapped[Decimal]
    discount_total: Mapped[Decimal]
    shipping: Mapped[Decimal]
    total: Mapped[Decimal]
    fulfillment: Mapped[str] = mapped_column(String(10))  # pickup | ship | counter
    location_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("locations.id", ondelete="SET NULL")
    )
    pickup_code: Mapped[str | None] = mapped_column(String(12))
    pickup_expires_at: Mapped[datetime | None]
    promised_from: Mapped[date | None]
    promised_until: Mapped[date | None]
    promised_ready_at: Mapped[datetime | None]
    pricing: Mapped[dict[str, Any]] = mapped_column(default=dict)  # the engine's explanation
    placed_at: Mapped[datetime]
    paid_at: Mapped[datetime | None]
    ready_at: Mapped[datetime | None]
    shipped_at: Mapped[datetime | None]
    collected_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]


class OrderLine(Base):
    """A variant, quantity and the price actually paid (after promotions) in an order."""

    __tablename__ = "order_lines"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    order_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("orders.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    variant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("product_variants.id"))
    sku: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[Decimal]
    discount: Mapped[Decimal]
    net: Mapped[Decimal]
    location_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("locations.id", ondelete="SET NULL")
    )
    returned_quantity: Mapped[int] = mapped_column(Integer, default=0)
    final_sale: Mapped[bool] = mapped_column(default=False)


class Payment(Base):
    """Money received for an order (cash, card, transfer, Mercado Pago, Pix, OXXO...)."""

    __tablename__ = "payments"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    order_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("orders.id", ondelete="CASCADE"), index=True
    )
    method: Mapped[str] = mapped_column(String(20))
    amount: Mapped[Decimal]
    currency: Mapped[str] = mapped_column(String(3))
    reference: Mapped[str] = mapped_column(String(120), default="")
    refunded: Mapped[Decimal] = mapped_column(default=Decimal(0))
    received_at: Mapped[datetime]


class OrderCounter(Base):
    """The last order number given in a workspace (numbers are consecutive per workspace)."""

    __tablename__ = "order_counters"

    workspace_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class BackInStockRequest(Base):
    """'Notify me when it is back': a customer waiting for a variant (at a store, or anywhere)."""

    __tablename__ = "back_in_stock_requests"
    __table_args__ = (
        Index("ix_back_in_stock_waiting", "workspace_id", "variant_id", "notified_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    variant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("product_variants.id", ondelete="CASCADE")
    )
    location_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("locations.id", ondelete="CASCADE")
    )
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime]
    notified_at: Mapped[datetime | None]


class Return(Base):
    """Items brought back to any location, whatever channel sold them."""

    __tablename__ = "returns"
    __table_args__ = (Index("ix_returns_order", "workspace_id", "order_id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    location_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("locations.id"))
    customer_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("customers.id", ondelete="SET NULL")
    )
    refund_to: Mapped[str] = mapped_column(String(20))  # original_method | store_credit
    accepted_value: Mapped[Decimal]
    store_credit: Mapped[Decimal]
    currency: Mapped[str] = mapped_column(String(3))
    received_at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(200), default="")


class ReturnLine(Base):
    """One returned line: accepted (and restocked, refunded) or refused with the reason."""

    __tablename__ = "return_lines"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    return_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("returns.id", ondelete="CASCADE"), index=True
    )
    order_line_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("order_lines.id"))
    sku: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[int] = mapped_column(Integer)
    condition: Mapped[str] = mapped_column(String(30))
    accepted: Mapped[bool]
    reason: Mapped[str | None] = mapped_column(String(40))
    refund: Mapped[Decimal]


class Refund(Base):
    """Money given back to one of the order's payments."""

    __tablename__ = "refunds"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    return_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("returns.id", ondelete="CASCADE"), index=True
    )
    payment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("payments.id"))
    method: Mapped[str] = mapped_column(String(20))
    amount: Mapped[Decimal]


class StoreCreditEntry(Base):
    """The store-credit ledger of a customer (credit from returns, spent on orders)."""

    __tablename__ = "store_credit_entries"
    __table_args__ = (Index("ix_store_credit_customer", "workspace_id", "customer_id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    amount: Mapped[Decimal]  # signed
    currency: Mapped[str] = mapped_column(String(3))
    return_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("returns.id"))
    order_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("orders.id"))
    reason: Mapped[str] = mapped_column(String(200), default="")
    occurred_at: Mapped[datetime]


class LoyaltyEntry(Base):
    """One line of the loyalty ledger. Entries with positive points are lots (they expire at
    ``expires_at``); negative ones take points from the lot named by ``lot_id``."""

    __tablename__ = "loyalty_entries"
    __table_args__ = (Index("ix_loyalty_customer", "workspace_id", "customer_id", "occurred_at"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))  # earn|redeem|expire|adjust|reverse|restore
    points: Mapped[int] = mapped_column(Integer)
    lot_id: Mapped[uuid.UUID | None]
    expires_at: Mapped[datetime | None]
    order_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("orders.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(200), default="")
    actor: Mapped[str] = mapped_column(String(200), default="")
    occurred_at: Mapped[datetime]


class PromotionRecord(Base):
    """A promotion as the shop defined it (``definition`` is the validated document)."""

    __tablename__ = "promotions"
    __table_args__ = (Index("ix_promotions_active", "workspace_id", "active"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    definition: Mapped[dict[str, Any]]
    active: Mapped[bool]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class CouponRedemption(Base):
    """A coupon code used on an order (counted against its total and per-customer limits)."""

    __tablename__ = "coupon_redemptions"
    __table_args__ = (Index("ix_coupon_redemptions_code", "workspace_id", "code"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(40))
    customer_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("customers.id", ondelete="SET NULL")
    )
    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    used_at: Mapped[datetime]


class LoyaltyProgramRecord(Base):
    """A workspace's loyalty programme as configured (the defaults apply until it exists)."""

    __tablename__ = "loyalty_programs"

    workspace_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    definition: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime]
