"""After an order is placed: payments, ready for pickup, collected with its code, shipped,
delivered, and pickups that were never collected expiring back into the stock pool.

placed → paid → ready_for_pickup → collected        (click & collect)
placed → paid → shipped → delivered                  (shipping, also ship-from-store)
Units leave on-hand stock when they leave the building (collected or shipped).
"""

from __future__ import annotations

import hmac
import uuid
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from mostrador.commerce import loyalty, stock, store_credit
from mostrador.commerce.events import OrderPaid, OrderStatusChanged
from mostrador.commerce.models import Order, OrderLine, Payment
from mostrador.commerce.queries import order_places
from mostrador.commerce.schemas import PaymentInput
from mostrador.core.errors import Conflict, InvalidInput, NotFound
from mostrador.core.ids import WorkspaceId, new_id
from mostrador.core.money import Money
from mostrador.core.unit_of_work import Tx

PICKUP_HOLD = timedelta(days=7)  # how long a ready pickup waits before its units go back


def locked_order(tx: Tx, workspace_id: WorkspaceId, order_id: uuid.UUID) -> Order:
    found = tx.session.execute(
        select(Order)
        .where(Order.workspace_id == workspace_id, Order.id == order_id)
        .with_for_update()
    ).scalar_one_or_none()
    if found is None:
        raise NotFound("no such order", code="order_not_found")
    return found


def _change(tx: Tx, order: Order, status: str) -> None:
    previous, order.status, order.updated_at = order.status, status, tx.now
    tx.record(
        OrderStatusChanged(
            order_id=order.id, customer_id=order.customer_id, status=status, previous=previous
        )
    )


def _require(order: Order, *allowed: str) -> None:
    if order.status not in allowed:
        raise Conflict(
            f"the order is {order.status}; this needs it {' or '.join(allowed)}",
            code="order_status_conflict",
        )


def record_payment(
    tx: Tx, workspace_id: WorkspaceId, order_id: uuid.UUID, data: PaymentInput
) -> Order:
    """Money received for an order; when it covers the total the order is paid (and earns)."""
    order = locked_order(tx, workspace_id, order_id)
    _require(order, "placed", "ready_for_pickup")
    paid = sum(
        tx.session.execute(select(Payment.amount).where(Payment.order_id == order.id)).scalars(),
        Decimal(0),
    )
    amount = Money(data.amount, order.currency).amount
    if paid + amount > order.total:
        raise InvalidInput(
            f"payments ({paid + amount}) would exceed the order total ({order.total})",
            code="overpaid",
        )
    tx.session.add(
        Payment(
            id=new_id(),
            workspace_id=workspace_id,
            order_id=order.id,
            method=data.method,
            amount=amount,
            currency=order.currency,
            reference=data.reference,
            refunded=Decimal(0),
            received_at=tx.now,
        )
    )
    if data.method == "loyalty_points":
        loyalty.redeem_for_order(tx, workspace_id, order, Money(amount, order.currency))
    elif data.method == "store_credit":
        store_credit.spend(tx, workspace_id, order, Money(amount, order.currency))
    tx.record(
        OrderPaid(
            order_id=order.id, customer_id=order.customer_id, method=data.method, amount=amount
        )
    )
    if paid + amount == order.total and order.paid_at is None:
        order.paid_at = tx.now
        if order.status == "placed":
            _change(tx, order, "paid")
        lines = tx.session.execute(
            select(OrderLine).where(OrderLine.order_id == order.id).order_by(OrderLine.position)
        ).scalars()
        loyalty.earn_for_order(tx, workspace_id, order, list(lines))
    return order


def mark_ready(tx: Tx, workspace_id: WorkspaceId, order_id: uuid.UUID) -> Order:
    """The pickup is packed at the store: the customer is told (event) and it waits a week."""
    order = locked_order(tx, workspace_id, order_id)
    if order.fulfillment != "pickup":
        raise Conflict("only pickup orders wait at a store", code="not_a_pickup")
    _require(order, "placed", "paid")
    order.ready_at = tx.now
    order.pickup_expires_at = tx.now + PICKUP_HOLD
    _change(tx, order, "ready_for_pickup")
    return order


def collect(tx: Tx, workspace_id: WorkspaceId, order_id: uuid.UUID, pickup_code: str) -> Order:
    """Hand over a pickup at the counter after checking its code; it must be paid."""
    order = locked_order(tx, workspace_id, order_id)
    _require(order, "ready_for_pickup")
    if not hmac.compare_digest((order.pickup_code or "").encode(), pickup_code.strip().encode()):
        raise InvalidInput("the pickup code does not match", code="wrong_pickup_code")
    if order.paid_at is None:
        raise Conflict("the order is not paid yet", code="order_unpaid")
    _leave_stock(tx, workspace_id, order)
    order.collected_at = tx.now
    _change(tx, order, "collected")
    return order


def ship(tx: Tx, workspace_id: WorkspaceId, order_id: uuid.UUID) -> Order:
    order = locked_order(tx, workspace_id, order_id)
    if order.fulfillment != "ship":
        raise Conflict("only shipping orders are shipped", code="not_a_shipment")
    _require(order, "paid")
    _leave_stock(tx, workspace_id, order)
    order.shipped_at = tx.now
    _change(tx, order, "shipped")
    return order


def deliver(tx: Tx, workspace_id: WorkspaceId, order_id: uuid.UUID) -> Order:
    order = locked_order(tx, workspace_id, order_id)
    _require(order, "shipped")
    order.delivered_at = tx.now
    _change(tx, order, "delivered")
    return order


def _leave_stock(tx: Tx, workspace_id: WorkspaceId, order: Order) -> None:
    stock.end_reservations(
        tx,
        workspace_id,
        "order",
        order.id,
        order_places(tx.session, workspace_id, order.id),
        consume=True,
        reference=f"order:{order.number}",
    )


def expire_pickups(tx: Tx, workspace_id: WorkspaceId) -> int:
    """Pickups nobody collected in time: their units go back to the pool. Returns how many."""
    due = tx.session.execute(
        select(Order)
        .where(
            Order.workspace_id == workspace_id,
            Order.status == "ready_for_pickup",
            Order.pickup_expires_at <= tx.now,
        )
        .order_by(Order.id)
        .with_for_update()
    ).scalars()
    count = 0
    for order in due:
        stock.end_reservations(
            tx,
            workspace_id,
            "order",
            order.id,
            order_places(tx.session, workspace_id, order.id),
            consume=False,
        )
        _change(tx, order, "expired")
        count += 1
    return count
