"""Reads of commerce, scoped to a workspace by signature."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from mostrador.commerce.models import Order, OrderLine, Payment, Price, StockLevel, Variant
from mostrador.commerce.stock import Place
from mostrador.core.errors import NotFound
from mostrador.core.ids import WorkspaceId
from mostrador.core.money import round_amount
from mostrador.core.workspaces import Location


def variant(session: Session, workspace_id: WorkspaceId, sku: str) -> Variant:
    found = session.execute(
        select(Variant).where(Variant.workspace_id == workspace_id, Variant.sku == sku)
    ).scalar_one_or_none()
    if found is None:
        raise NotFound(f"no SKU {sku}", code="sku_not_found")
    return found


def inventory(session: Session, workspace_id: WorkspaceId, sku: str) -> dict[str, Any]:
    """On hand, reserved and available of ``sku`` at every location (zero where none)."""
    found = variant(session, workspace_id, sku)
    levels = {
        row.location_id: row
        for row in session.execute(
            select(StockLevel).where(
                StockLevel.workspace_id == workspace_id, StockLevel.variant_id == found.id
            )
        ).scalars()
    }
    places = session.execute(
        select(Location).where(Location.workspace_id == workspace_id).order_by(Location.code)
    ).scalars()
    rows = []
    for location in places:
        level = levels.get(location.id)
        on_hand = level.on_hand if level else 0
        reserved = level.reserved if level else 0
        rows.append(
            {
                "location": location.code,
                "type": location.kind,
                "on_hand": on_hand,
                "reserved": reserved,
                "available": on_hand - reserved,
            }
        )
    return {"sku": found.sku, "locations": rows}


def order(session: Session, workspace_id: WorkspaceId, order_id: uuid.UUID) -> Order:
    found = session.execute(
        select(Order).where(Order.workspace_id == workspace_id, Order.id == order_id)
    ).scalar_one_or_none()
    if found is None:
        raise NotFound("no such order", code="order_not_found")
    return found


def order_lines(session: Session, order_id: uuid.UUID) -> Sequence[OrderLine]:
    return (
        session.execute(
            select(OrderLine).where(OrderLine.order_id == order_id).order_by(OrderLine.position)
        )
        .scalars()
        .all()
    )


def payments(session: Session, order_id: uuid.UUID) -> Sequence[Payment]:
    return (
        session.execute(
            select(Payment).where(Payment.order_id == order_id).order_by(Payment.received_at)
        )
        .scalars()
        .all()
    )


def order_places(
    session: Session, workspace_id: WorkspaceId, order_id: uuid.UUID
) -> dict[tuple[uuid.UUID, uuid.UUID], Place]:
    """The (variant, location) places an order's lines were allocated to, for stock events."""
    rows = session.execute(
        select(OrderLine.variant_id, OrderLine.sku, Location.id, Location.code, Variant)
        .join(Location, Location.id == OrderLine.location_id)
        .join(Variant, Variant.id == OrderLine.variant_id)
        .where(OrderLine.workspace_id == workspace_id, OrderLine.order_id == order_id)
    ).all()
    return {
        (variant_id, location_id): Place(
            variant_id, sku, location_id, code, found.low_stock_threshold
        )
        for variant_id, sku, location_id, code, found in rows
    }


def customer_orders(
    session: Session, workspace_id: WorkspaceId, customer_ids: Sequence[uuid.UUID], limit: int = 50
) -> Sequence[Order]:
    """A person's orders (every profile of a merge group), newest first."""
    return (
        session.execute(
            select(Order)
            .where(Order.workspace_id == workspace_id, Order.customer_id.in_(list(customer_ids)))
            .order_by(Order.placed_at.desc())
            .limit(limit)
        )
        .scalars()
        .all()
    )


def order_document(session: Session, found: Order) -> dict[str, Any]:
    """An order as the API shows it (amounts as strings in the currency's minor unit)."""

    def _money(value: Decimal) -> str:
        return str(round_amount(value, found.currency))

    location = session.get(Location, found.location_id) if found.location_id else None
    return {
        "id": str(found.id),
        "number": found.number,
        "channel": found.channel,
        "status": found.status,
        "customer_id": str(found.customer_id) if found.customer_id else None,
        "currency": found.currency,
        "subtotal": _money(found.subtotal),
        "discount_total": _money(found.discount_total),
        "shipping": _money(found.shipping),
        "total": _money(found.total),
        "fulfillment": {
            "type": found.fulfillment,
            "location": location.code if location is not None else None,
            "pickup_code": found.pickup_code,
            "ready_at": _when(found.ready_at),
            "pickup_expires_at": _when(found.pickup_expires_at),
        },
        "paid_at": _when(found.paid_at),
        "promise": {
            "from": found.promised_from.isoformat() if found.promised_from else None,
            "until": found.promised_until.isoformat() if found.promised_until else None,
            "ready_at": _when(found.promised_ready_at),
        },
        "external_id": found.external_id,
        "placed_at": found.placed_at.isoformat(),
        "lines": [
            {
                "sku": line.sku,
                "name": line.name,
                "quantity": line.quantity,
                "unit_price": _money(line.unit_price),
                "discount": _money(line.discount),
                "net": _money(line.net),
                "returned_quantity": line.returned_quantity,
            }
            for line in order_lines(session, found.id)
        ],
        "payments": [
            {"method": p.method, "amount": _money(p.amount), "reference": p.reference}
            for p in payments(session, found.id)
        ],
    }


def workspace_currency(session: Session, workspace_id: WorkspaceId) -> str:
    from mostrador.core.workspaces import Workspace

    found = session.get(Workspace, workspace_id)
    if found is None:
        raise NotFound("no such workspace", code="workspace_not_found")
    return found.currency


def return_parts(session: Session, return_id: uuid.UUID) -> tuple[list[Any], list[Any]]:
    """The lines and refunds of a return."""
    from mostrador.commerce.models import Refund, ReturnLine

    lines = list(
        session.execute(
            select(ReturnLine).where(ReturnLine.return_id == return_id).order_by(ReturnLine.sku)
        ).scalars()
    )
    refunds = list(
        session.execute(
            select(Refund).where(Refund.return_id == return_id).order_by(Refund.method)
        ).scalars()
    )
    return lines, refunds


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def price_history(session: Session, workspace_id: WorkspaceId, sku: str) -> dict[str, Any]:
    """Every price a variant had, newest first: the list price and any channel overrides."""
    from mostrador.commerce.models import Price

    found = variant(session, workspace_id, sku)
    rows = session.execute(
        select(Price)
        .where(Price.workspace_id == workspace_id, Price.variant_id == found.id)
        .order_by(Price.valid_from.desc(), Price.channel)
    ).scalars()
    return {
        "sku": found.sku,
        "prices": [
            {
                "channel": p.channel or None,
                "currency": p.currency,
                "price": str(round_amount(p.amount, p.currency)),
                "valid_from": p.valid_from.isoformat(),
                "valid_until": _when(p.valid_until),
                "current": p.valid_until is None,
            }
            for p in rows
        ],
    }


def list_prices(
    session: Session, workspace_id: WorkspaceId, variant_ids: Sequence[uuid.UUID], currency: str
) -> dict[uuid.UUID, Decimal]:
    """The current list price (every channel's, not an override) of each variant that has one."""
    rows = session.execute(
        select(Price.variant_id, Price.amount).where(
            Price.workspace_id == workspace_id,
            Price.variant_id.in_(list(variant_ids)),
            Price.currency == currency,
            Price.channel == "",
            Price.valid_until.is_(None),
        )
    ).all()
    return dict(rows)


def order_by_reference(session: Session, workspace_id: WorkspaceId, reference: str) -> Order | None:
    """The order a customer's reference names: its number, or the web shop's own id."""
    conditions = [func.upper(Order.external_id) == reference.upper()]
    if reference.isdigit() and len(reference) < 10:
        conditions.append(Order.number == int(reference))
    return session.execute(
        select(Order).where(Order.workspace_id == workspace_id, or_(*conditions)).limit(1)
    ).scalar_one_or_none()
