"""What happens in commerce: catalog and prices, stock, reservations and orders.

Events with a ``customer_id`` appear on that customer's timeline.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from mostrador.core.events import Event, domain_event


@domain_event("commerce.ProductCreated")
@dataclass(frozen=True, kw_only=True)
class ProductCreated(Event):
    product_id: uuid.UUID
    name: str
    skus: tuple[str, ...]


@domain_event("commerce.PriceChanged")
@dataclass(frozen=True, kw_only=True)
class PriceChanged(Event):
    """A variant's price for a currency (and channel override, when ``channel`` is set)."""

    sku: str
    currency: str
    channel: str
    previous: Decimal | None
    amount: Decimal


@domain_event("commerce.StockChanged")
@dataclass(frozen=True, kw_only=True)
class StockChanged(Event):
    """On-hand stock moved (receipt, sale, return, adjustment, transfer)."""

    sku: str
    location: str
    kind: str
    quantity: int
    on_hand: int
    reference: str


@domain_event("commerce.StockLow")
@dataclass(frozen=True, kw_only=True)
class StockLow(Event):
    """Available units fell to the variant's low-stock threshold or below at a location."""

    sku: str
    location: str
    available: int
    threshold: int


@domain_event("commerce.BackInStock")
@dataclass(frozen=True, kw_only=True)
class BackInStock(Event):
    """A variant someone asked about is available again (subscribers are notified)."""

    sku: str
    location: str
    available: int
    subscriber_ids: tuple[uuid.UUID, ...]


@dataclass(frozen=True, kw_only=True)
class OrderedLine:
    sku: str
    quantity: int
    net: Decimal
    location: str | None


@domain_event("commerce.OrderPlaced")
@dataclass(frozen=True, kw_only=True)
class OrderPlaced(Event):
    order_id: uuid.UUID
    number: int
    customer_id: uuid.UUID | None
    channel: str
    currency: str
    total: Decimal
    fulfillment: str
    lines: tuple[OrderedLine, ...]


@domain_event("commerce.OrderPaid")
@dataclass(frozen=True, kw_only=True)
class OrderPaid(Event):
    order_id: uuid.UUID
    customer_id: uuid.UUID | None
    method: str
    amount: Decimal


@domain_event("commerce.OrderStatusChanged")
@dataclass(frozen=True, kw_only=True)
class OrderStatusChanged(Event):
    """ready_for_pickup, shipped, collected, delivered, expired..."""

    order_id: uuid.UUID
    customer_id: uuid.UUID | None
    status: str
    previous: str


@domain_event("commerce.OrderCancelled")
@dataclass(frozen=True, kw_only=True)
class OrderCancelled(Event):
    order_id: uuid.UUID
    customer_id: uuid.UUID | None
    reason: str
    released_units: int


@domain_event("commerce.LoyaltyPointsChanged")
@dataclass(frozen=True, kw_only=True)
class LoyaltyPointsChanged(Event):
    """Points earned, redeemed, expired, adjusted or taken back (``points`` is signed)."""

    customer_id: uuid.UUID
    kind: str
    points: int
    order_id: uuid.UUID | None
    reason: str


@domain_event("commerce.ReturnReceived")
@dataclass(frozen=True, kw_only=True)
class ReturnReceived(Event):
    return_id: uuid.UUID
    order_id: uuid.UUID
    customer_id: uuid.UUID | None
    location: str
    accepted_units: int
    refused_units: int
    refund: Decimal
    refund_to: str
