"""ONE stock pool: on hand and reserved per variant and location, changed only here.

Every change of on hand writes a movement (receipt, sale, return, adjustment, transfer), so
the ledger's sum is the stock. Reserving is one conditional UPDATE (``available >= n``)
taken in a fixed order (variant, location): the database re-checks the condition on the
row it locks, so two sales racing for the last unit cannot both get it, and locks are
always taken in the same order, so they cannot deadlock. When the check fails, reservations
past their expiry are released under that same lock and the check runs once more.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, Uuid, and_, bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite

from mostrador.commerce.events import BackInStock, StockChanged, StockLow
from mostrador.commerce.models import (
    BackInStockRequest,
    Reservation,
    StockLevel,
    StockMovement,
    Variant,
)
from mostrador.core.errors import Conflict, InvalidInput
from mostrador.core.ids import WorkspaceId, new_id
from mostrador.core.unit_of_work import Tx
from mostrador.core.workspaces import Location

MOVEMENT_KINDS = ("receipt", "sale", "return", "adjustment", "transfer")
_LEVELS = cast(Table, StockLevel.__table__)
_RESERVATIONS = cast(Table, Reservation.__table__)


@dataclass(frozen=True)
class Level:
    on_hand: int
    reserved: int

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


@dataclass(frozen=True)
class Place:
    """What a stock event names: the SKU and the location code (ids are for the tables)."""

    variant_id: uuid.UUID
    sku: str
    location_id: uuid.UUID
    location: str
    low_stock_threshold: int = 2


def place_of(variant: Variant, location: Location) -> Place:
    """The place of a variant at a location, as stock functions and events name it."""
    return Place(variant.id, variant.sku, location.id, location.code, variant.low_stock_threshold)


def availability(
    tx: Tx,
    workspace_id: WorkspaceId,
    variants: Mapping[str, Variant],
    locations: Mapping[str, Location],
) -> dict[tuple[str, str], int]:
    """Available units (on hand - reserved) per (sku, location code), read fresh: what the
    allocator decides on before the conditional updates hold the units."""
    by_variant = {v.id: sku for sku, v in variants.items()}
    by_location = {loc.id: code for code, loc in locations.items()}
    rows = tx.session.execute(
        select(
            _LEVELS.c.variant_id, _LEVELS.c.location_id, _LEVELS.c.on_hand - _LEVELS.c.reserved
        ).where(
            _LEVELS.c.workspace_id == workspace_id,
            _LEVELS.c.variant_id.in_(list(by_variant)),
        )
    ).all()
    return {
        (by_variant[variant_id], by_location[location_id]): int(available)
        for variant_id, location_id, available in rows
        if location_id in by_location
    }


def ensure_levels(tx: Tx, workspace_id: WorkspaceId, places: Iterable[Place]) -> None:
    """A stock row for every place (zero when new); concurrent creators do not collide."""
    rows = [
        {
            "variant_id": p.variant_id,
            "location_id": p.location_id,
            "workspace_id": workspace_id,
            "on_hand": 0,
            "reserved": 0,
            "updated_at": tx.now,
        }
        for p in places
    ]
    if not rows:
        return
    dialect = tx.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    tx.session.execute(insert(_LEVELS).values(rows).on_conflict_do_nothing())


def level(tx: Tx, place: Place) -> Level:
    row = tx.session.execute(
        select(_LEVELS.c.on_hand, _LEVELS.c.reserved).where(
            _LEVELS.c.variant_id == place.variant_id, _LEVELS.c.location_id == place.location_id
        )
    ).one_or_none()
    return Level(row.on_hand, row.reserved) if row is not None else Level(0, 0)


def move(
    tx: Tx,
    workspace_id: WorkspaceId,
    place: Place,
    kind: str,
    quantity: int,
    *,
    reference: str = "",
    reason: str = "",
) -> Level:
    """Change on hand by ``quantity`` (signed) and write the movement; never below zero."""
    if kind not in MOVEMENT_KINDS:
        raise InvalidInput(f"unknown movement {kind!r}", code="invalid_movement")
    if quantity == 0:
        return level(tx, place)
    ensure_levels(tx, workspace_id, [place])
    before = level(tx, place)
    changed = tx.session.execute(
        update(_LEVELS)
        .where(
            _LEVELS.c.variant_id == place.variant_id,
            _LEVELS.c.location_id == place.location_id,
            _LEVELS.c.on_hand + quantity >= 0,
        )
        .values(on_hand=_LEVELS.c.on_hand + quantity, updated_at=tx.now)
    )
    if _rowcount(changed) != 1:
        # E.g. a stock count found fewer units than orders had reserved: they are not there.
        raise Conflict(
            f"{place.sku} at {place.location} has fewer than {-quantity} units on hand",
            code="insufficient_on_hand",
        )
    tx.session.add(
        StockMovement(
            id=new_id(),
            workspace_id=workspace_id,
            variant_id=place.variant_id,
            location_id=place.location_id,
            kind=kind,
            quantity=quantity,
            reference=reference,
            reason=reason,
            actor=tx.actor or "",
            occurred_at=tx.now,
        )
    )
    after = level(tx, place)
    tx.record(
        StockChanged(
            sku=place.sku,
            location=place.location,
            kind=kind,
            quantity=quantity,
            on_hand=after.on_hand,
            reference=reference,
        )
    )
    _announce(tx, workspace_id, place, before, after)
    return after


def set_on_hand(
    tx: Tx, workspace_id: WorkspaceId, place: Place, on_hand: int, *, reason: str
) -> Level:
    """A stock count: on hand becomes ``on_hand`` through an adjustment movement."""
    ensure_levels(tx, workspace_id, [place])
    current = level(tx, place)
    return move(tx, workspace_id, place, "adjustment", on_hand - current.on_hand, reason=reason)


def reserve(
    tx: Tx,
    workspace_id: WorkspaceId,
    wanted: Sequence[tuple[Place, int]],
    *,
    holder_kind: str,
    holder_id: uuid.UUID,
    expires_at: datetime | None,
) -> list[Place]:
    """Hold every (place, quantity) or nothing: the places that were short (empty = done).

    The places come from an allocation over rows just read, so their stock rows exist. The
    caller's transaction must be rolled back when something is short (the units held before
    the short one stay held otherwise)."""
    ordered = sorted(wanted, key=lambda item: (item[0].variant_id, item[0].location_id))
    short: list[Place] = []
    for place, quantity in ordered:
        after = _take(tx, place, quantity)
        if after is None and _release_expired(tx, workspace_id, place):
            after = _take(tx, place, quantity)  # expired holds gave units back: try again
        if after is None:
            short.append(place)
            continue
        tx.session.add(
            Reservation(
                id=new_id(),
                workspace_id=workspace_id,
                variant_id=place.variant_id,
                location_id=place.location_id,
                quantity=quantity,
                holder_kind=holder_kind,
                holder_id=holder_id,
                status="active",
                expires_at=expires_at,
                created_at=tx.now,
                ended_at=None,
            )
        )
        _announce(tx, workspace_id, place, Level(after.on_hand, after.reserved - quantity), after)
    return short


_TAKE = (
    update(_LEVELS)
    .where(
        _LEVELS.c.variant_id == bindparam("variant", type_=Uuid()),
        _LEVELS.c.location_id == bindparam("place", type_=Uuid()),
        _LEVELS.c.on_hand - _LEVELS.c.reserved >= bindparam("quantity"),
    )
    .values(reserved=_LEVELS.c.reserved + bindparam("quantity"), updated_at=bindparam("now"))
    .returning(_LEVELS.c.on_hand, _LEVELS.c.reserved)
)  # built once: the hottest statement of an order


def _take(tx: Tx, place: Place, quantity: int) -> Level | None:
    """Reserve ``quantity`` if that many are available (one statement, re-checked by the
    database on the row it locks); the level after, or None when short."""
    row = (
        tx.session.connection()
        .execute(
            _TAKE,
            {
                "variant": place.variant_id,
                "place": place.location_id,
                "quantity": quantity,
                "now": tx.now,
            },
        )
        .one_or_none()
    )
    return Level(row.on_hand, row.reserved) if row is not None else None


def _release_expired(tx: Tx, workspace_id: WorkspaceId, place: Place) -> bool:
    """Give back what expired reservations of ``place`` hold (each exactly once); True if
    anything came back."""
    expired = tx.session.execute(
        update(_RESERVATIONS)
        .where(
            _RESERVATIONS.c.workspace_id == workspace_id,
            _RESERVATIONS.c.variant_id == place.variant_id,
            _RESERVATIONS.c.location_id == place.location_id,
            _RESERVATIONS.c.status == "active",
            _RESERVATIONS.c.expires_at <= tx.now,
        )
        .values(status="expired", ended_at=tx.now)
        .returning(_RESERVATIONS.c.quantity)
    ).scalars()
    total = sum(expired)
    if total:
        _change_reserved(tx, place, -total)
    return bool(total)


def _change_reserved(tx: Tx, place: Place, delta: int) -> None:
    tx.session.execute(
        update(_LEVELS)
        .where(
            _LEVELS.c.variant_id == place.variant_id,
            _LEVELS.c.location_id == place.location_id,
        )
        .values(reserved=_LEVELS.c.reserved + delta, updated_at=tx.now)
    )


def end_reservations(
    tx: Tx,
    workspace_id: WorkspaceId,
    holder_kind: str,
    holder_id: uuid.UUID,
    places: dict[tuple[uuid.UUID, uuid.UUID], Place],
    *,
    consume: bool,
    reference: str = "",
) -> int:
    """End a holder's live reservations: ``consume`` turns them into sales (on hand goes
    down), otherwise they are released. Returns the units ended; each ends once."""
    ended = tx.session.execute(
        update(_RESERVATIONS)
        .where(
            _RESERVATIONS.c.workspace_id == workspace_id,
            _RESERVATIONS.c.holder_kind == holder_kind,
            _RESERVATIONS.c.holder_id == holder_id,
            _RESERVATIONS.c.status == "active",
        )
        .values(status="consumed" if consume else "released", ended_at=tx.now)
        .returning(
            _RESERVATIONS.c.variant_id, _RESERVATIONS.c.location_id, _RESERVATIONS.c.quantity
        )
    ).all()
    units = 0
    for variant_id, location_id, quantity in sorted(ended, key=lambda r: (r[0], r[1])):
        place = places[(variant_id, location_id)]
        before = level(tx, place)
        _change_reserved(tx, place, -quantity)
        if consume:
            move(tx, workspace_id, place, "sale", -quantity, reference=reference)
        else:
            _announce(tx, workspace_id, place, before, level(tx, place))
        units += quantity
    return units


def _announce(tx: Tx, workspace_id: WorkspaceId, place: Place, before: Level, after: Level) -> None:
    """Low-stock and back-in-stock events, when ``available`` crosses their thresholds."""
    threshold = place.low_stock_threshold
    if after.available <= threshold < before.available:
        tx.record(
            StockLow(
                sku=place.sku,
                location=place.location,
                available=after.available,
                threshold=threshold,
            )
        )
    if before.available <= 0 < after.available:
        waiting = tx.session.execute(
            update(BackInStockRequest)
            .where(
                BackInStockRequest.workspace_id == workspace_id,
                BackInStockRequest.variant_id == place.variant_id,
                BackInStockRequest.notified_at.is_(None),
                and_(
                    (BackInStockRequest.location_id.is_(None))
                    | (BackInStockRequest.location_id == place.location_id)
                ),
            )
            .values(notified_at=tx.now)
            .returning(BackInStockRequest.customer_id)
            .execution_options(synchronize_session=False)
        ).scalars()
        subscribers = tuple(sorted(set(waiting)))
        tx.record(
            BackInStock(
                sku=place.sku,
                location=place.location,
                available=after.available,
                subscriber_ids=subscribers,
            )
        )


def _rowcount(result: Any) -> int:
    return int(result.rowcount)
