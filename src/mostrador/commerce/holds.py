"""Carts and chat quotes hold stock for a while: the units are reserved (so the counter and
the web cannot sell them meanwhile) until the hold expires, is released, or becomes an order.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from mostrador.commerce import allocation, catalog, stock
from mostrador.commerce.models import Reservation, Variant
from mostrador.commerce.schemas import HoldInput
from mostrador.core.errors import Conflict, InvalidInput, NotFound
from mostrador.core.ids import WorkspaceId, new_id
from mostrador.core.unit_of_work import Tx
from mostrador.core.workspaces import Location
from mostrador.core.workspaces import queries as workspace_queries


@dataclass(frozen=True)
class Hold:
    id: uuid.UUID
    kind: str
    expires_at: datetime
    lines: tuple[tuple[str, str, int], ...]  # sku, location, quantity


def hold_stock(tx: Tx, workspace_id: WorkspaceId, data: HoldInput) -> Hold:
    """Reserve the lines at one location (the named store, else the first that has all)."""
    locations = {loc.code: loc for loc in workspace_queries.locations(tx.session, workspace_id)}
    found = catalog.variants_by_sku(tx, workspace_id, [line.sku for line in data.lines])
    variants = {sku: variant for sku, (variant, _p) in found.items()}
    if data.location is not None and data.location not in locations:
        raise InvalidInput(f"unknown location {data.location}", code="unknown_location")
    request = allocation.AllocationRequest(
        lines=tuple(allocation.OrderLine(line.sku, line.quantity) for line in data.lines),
        strategy=allocation.Strategy.PICKUP_STORE
        if data.location
        else allocation.Strategy.WAREHOUSE_FIRST,
        pickup_location=data.location,
    )
    engine_locations = [
        allocation.Location(
            code=loc.code,
            kind=allocation.LocationKind(loc.kind),
            can_pickup=loc.kind == "store",
        )
        for loc in locations.values()
        if loc.kind in ("store", "warehouse")
    ]
    result = allocation.allocate(
        request, engine_locations, stock.availability(tx, workspace_id, variants, locations)
    )
    if isinstance(result, allocation.Shortfall):
        raise Conflict(
            "not enough stock to hold",
            code="insufficient_stock",
            details={
                "lines": [
                    {"sku": m.sku, "requested": m.requested, "available": m.allocatable}
                    for m in result.lines
                ]
            },
        )
    hold_id = new_id()
    expires_at = tx.now + timedelta(minutes=data.minutes)
    wanted = [
        (stock.place_of(variants[line.sku], locations[part.location_code]), line.quantity)
        for part in result.parts
        for line in part.lines
    ]
    short = stock.reserve(
        tx, workspace_id, wanted, holder_kind=data.kind, holder_id=hold_id, expires_at=expires_at
    )
    if short:
        raise Conflict("stock changed meanwhile; try again", code="stock_contention")
    return Hold(
        hold_id,
        data.kind,
        expires_at,
        tuple((place.sku, place.location, quantity) for place, quantity in wanted),
    )


def release_hold(tx: Tx, workspace_id: WorkspaceId, hold_id: uuid.UUID) -> int:
    """Give a cart's or quote's units back now; returns the units released."""
    kind = tx.session.execute(
        select(Reservation.holder_kind)
        .where(
            Reservation.workspace_id == workspace_id,
            Reservation.holder_id == hold_id,
            Reservation.holder_kind.in_(("cart", "quote")),
        )
        .limit(1)
    ).scalar_one_or_none()
    if kind is None:
        raise NotFound("no such hold", code="hold_not_found")
    return _release(tx, workspace_id, kind, hold_id)


def expire_holds(tx: Tx, workspace_id: WorkspaceId) -> int:
    """Release every hold past its expiry (the worker's sweep); returns the units released."""
    due = tx.session.execute(
        select(Reservation.holder_kind, Reservation.holder_id)
        .where(
            Reservation.workspace_id == workspace_id,
            Reservation.holder_kind.in_(("cart", "quote")),
            Reservation.status == "active",
            Reservation.expires_at <= tx.now,
        )
        .distinct()
    ).all()
    return sum(_release(tx, workspace_id, kind, holder_id) for kind, holder_id in due)


def _release(tx: Tx, workspace_id: WorkspaceId, kind: str, hold_id: uuid.UUID) -> int:
    """End a hold's live reservations (each place named for the stock events)."""
    places = {}
    for variant, location in tx.session.execute(
        select(Variant, Location)
        .join(Reservation, Reservation.variant_id == Variant.id)
        .join(Location, Location.id == Reservation.location_id)
        .where(Reservation.holder_id == hold_id, Reservation.status == "active")
    ).all():
        places[(variant.id, location.id)] = stock.place_of(variant, location)
    return stock.end_reservations(tx, workspace_id, kind, hold_id, places, consume=False)
