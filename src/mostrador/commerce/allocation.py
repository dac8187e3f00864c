"""Which locations serve an order: pure allocation over the units available, never overselling.

The caller reads the available units (on hand − reserved) under a lock, calls ``allocate`` and
reserves exactly what it returns in the same transaction. A ``Shortfall`` is a result, not an
exception: the caller answers it with HTTP 409 ``insufficient_stock`` and its lines as details.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from mostrador.core.errors import InvalidInput

EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG); plenty for ranking locations by distance

# (sku, location code) → units that may still be promised; a missing key means none.
Availability = Mapping[tuple[str, str], int]


class LocationKind(StrEnum):
    STORE = "store"
    WAREHOUSE = "warehouse"


class Strategy(StrEnum):
    """How the locations that serve an order are chosen."""

    PICKUP_STORE = "pickup_store"
    NEAREST_FULL = "nearest_full"
    STORE_FIRST = "store_first"
    WAREHOUSE_FIRST = "warehouse_first"


@dataclass(frozen=True)
class Coordinates:
    latitude: float
    longitude: float

    def __post_init__(self) -> None:
        lat, lon = self.latitude, self.longitude
        if not (
            math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180
        ):
            raise InvalidInput(
                f"({lat}, {lon}) is not a latitude/longitude pair", code="invalid_coordinates"
            )


@dataclass(frozen=True)
class OrderLine:
    sku: str
    quantity: int

    def __post_init__(self) -> None:
        if not isinstance(self.sku, str) or not self.sku:
            raise InvalidInput("every order line needs a SKU", code="invalid_sku")
        if isinstance(self.quantity, bool) or not isinstance(self.quantity, int):
            raise InvalidInput(
                f"quantity of {self.sku} must be a whole number", code="invalid_quantity"
            )
        if self.quantity <= 0:
            raise InvalidInput(f"quantity of {self.sku} must be positive", code="invalid_quantity")


@dataclass(frozen=True)
class Location:
    """A place that holds stock. ``priority``: lower is preferred; none ranks after any number."""

    code: str
    kind: LocationKind
    coordinates: Coordinates | None = None
    can_ship: bool = True
    can_pickup: bool = False
    priority: int | None = None


@dataclass(frozen=True)
class AllocationRequest:
    """What to allocate and how; ``split_allowed`` is ignored by ``pickup_store`` (never split)."""

    lines: tuple[OrderLine, ...]
    strategy: Strategy
    split_allowed: bool = False
    destination: Coordinates | None = None
    pickup_location: str | None = None

    def __post_init__(self) -> None:
        if not self.lines:
            raise InvalidInput("an order needs at least one line", code="empty_order")
        if self.strategy is Strategy.PICKUP_STORE and not self.pickup_location:
            raise InvalidInput(
                "pickup_store needs the pickup location", code="missing_pickup_location"
            )
        if self.strategy is not Strategy.PICKUP_STORE and self.pickup_location is not None:
            raise InvalidInput(
                f"a pickup location only applies to {Strategy.PICKUP_STORE}",
                code="unexpected_pickup_location",
            )


@dataclass(frozen=True)
class LocationAllocation:
    """The lines one location serves, by SKU."""

    location_code: str
    lines: tuple[OrderLine, ...]


@dataclass(frozen=True)
class Allocation:
    """Where every unit comes from; parts are in the order of preference they were chosen in."""

    strategy: Strategy
    parts: tuple[LocationAllocation, ...]

    @property
    def is_split(self) -> bool:
        return len(self.parts) > 1

    def quantities(self) -> dict[str, dict[str, int]]:
        """location code → sku → units, the shape reservations are written from."""
        return {p.location_code: {line.sku: line.quantity for line in p.lines} for p in self.parts}


@dataclass(frozen=True)
class MissingStock:
    sku: str
    requested: int
    allocatable: int
    missing: int


@dataclass(frozen=True)
class Shortfall:
    """Why the order cannot be allocated; ``lines`` are the SKUs with units missing.

    Without split, ``allocatable`` is what ``closest_location`` (the candidate that could serve
    the most units) holds; with split it is what the whole usable network holds.
    """

    code: ClassVar[str] = "insufficient_stock"

    strategy: Strategy
    split_allowed: bool
    lines: tuple[MissingStock, ...]
    closest_location: str | None = None


AllocationResult = Allocation | Shortfall


def distance_km(a: Coordinates, b: Coordinates) -> float:
    """Great-circle (haversine) distance in kilometres."""
    lat1, lat2 = math.radians(a.latitude), math.radians(b.latitude)
    half_dlat = (lat2 - lat1) / 2
    half_dlon = math.radians(b.longitude - a.longitude) / 2
    h = math.sin(half_dlat) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(half_dlon) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def _preference_key(
    location: Location, destination: Coordinates | None
) -> tuple[bool, float, bool, int, str]:
    # Rounded to the metre so float noise never beats the code as the final tie-break.
    distance = None
    if destination is not None and location.coordinates is not None:
        distance = round(distance_km(destination, location.coordinates), 3)
    return (
        distance is None,
        distance or 0.0,
        location.priority is None,
        location.priority or 0,
        location.code,
    )


def _check_codes(locations: Sequence[Location]) -> None:
    codes = [location.code for location in locations]
    if len(set(codes)) != len(codes):
        duplicated = sorted({code for code in codes if codes.count(code) > 1})
        raise InvalidInput(f"locations listed twice: {duplicated}", code="duplicate_location")


def rank_locations(
    locations: Sequence[Location], destination: Coordinates | None = None
) -> tuple[Location, ...]:
    """Locations nearest first (those without coordinates last), then by priority and code."""
    _check_codes(locations)
    return tuple(sorted(locations, key=lambda loc: _preference_key(loc, destination)))


def candidate_locations(
    strategy: Strategy,
    locations: Sequence[Location],
    *,
    destination: Coordinates | None = None,
    pickup_location: str | None = None,
) -> tuple[Location, ...]:
    """The locations ``strategy`` may use, most preferred first (distance, priority, code)."""
    if strategy is Strategy.PICKUP_STORE:
        _check_codes(locations)
        chosen = [loc for loc in locations if loc.code == pickup_location]
        if not chosen or not chosen[0].can_pickup:
            raise InvalidInput(
                f"{pickup_location!r} is not a location that offers pickup",
                code="invalid_pickup_location",
            )
        return (chosen[0],)
    shipping = [loc for loc in rank_locations(locations, destination) if loc.can_ship]
    if strategy is Strategy.STORE_FIRST:
        shipping.sort(key=lambda loc: loc.kind is not LocationKind.STORE)  # stable: keeps rank
    elif strategy is Strategy.WAREHOUSE_FIRST:
        shipping.sort(key=lambda loc: loc.kind is not LocationKind.WAREHOUSE)
    return tuple(shipping)


def requested_units(lines: Iterable[OrderLine]) -> dict[str, int]:
    """Units per SKU in SKU order; two lines of one SKU are allocated as one."""
    totals: dict[str, int] = {}
    for line in lines:
        totals[line.sku] = totals.get(line.sku, 0) + line.quantity
    return dict(sorted(totals.items()))


def _units(available: Availability, sku: str, code: str) -> int:
    # A negative figure (more reserved than on hand) means nothing can be promised there.
    return max(0, available.get((sku, code), 0))


def network_availability(
    skus: Iterable[str],
    locations: Sequence[Location],
    available: Availability,
    *,
    strategy: Strategy,
    pickup_location: str | None = None,
) -> dict[str, int]:
    """Available-to-promise per SKU: the units across every location ``strategy`` may use."""
    usable = candidate_locations(strategy, locations, pickup_location=pickup_location)
    return {
        sku: sum(_units(available, sku, loc.code) for loc in usable) for sku in sorted(set(skus))
    }


def _serves_all(requested: Mapping[str, int], code: str, available: Availability) -> bool:
    return all(_units(available, sku, code) >= qty for sku, qty in requested.items())


def _single(code: str, requested: Mapping[str, int]) -> LocationAllocation:
    return LocationAllocation(code, tuple(OrderLine(sku, qty) for sku, qty in requested.items()))


def _split_greedily(
    requested: Mapping[str, int], ranked: Sequence[Location], available: Availability
) -> tuple[list[LocationAllocation], dict[str, int]]:
    """Take what each location has, in order of preference; returns the parts and what is left."""
    remaining = dict(requested)
    parts: list[LocationAllocation] = []
    for location in ranked:
        taken = [
            OrderLine(sku, take)
            for sku, left in remaining.items()
            if left and (take := min(left, _units(available, sku, location.code)))
        ]
        if taken:
            parts.append(LocationAllocation(location.code, tuple(taken)))
            for line in taken:
                remaining[line.sku] -= line.quantity
        if not any(remaining.values()):
            break
    return parts, remaining


def _unsplit_shortfall(
    request: AllocationRequest,
    requested: Mapping[str, int],
    ranked: Sequence[Location],
    available: Availability,
) -> Shortfall:
    def covered(location: Location) -> int:
        return sum(min(q, _units(available, s, location.code)) for s, q in requested.items())

    # max() keeps the first of equals, so ties go to the more preferred location.
    closest = max(ranked, key=covered, default=None)
    if closest is not None and covered(closest) == 0:
        closest = None
    held = {
        sku: min(qty, _units(available, sku, closest.code)) if closest else 0
        for sku, qty in requested.items()
    }
    return _shortfall(request, requested, held, closest.code if closest else None)


def _shortfall(
    request: AllocationRequest,
    requested: Mapping[str, int],
    allocatable: Mapping[str, int],
    closest: str | None,
) -> Shortfall:
    lines = tuple(
        MissingStock(sku, qty, allocatable[sku], qty - allocatable[sku])
        for sku, qty in requested.items()
        if allocatable[sku] < qty
    )
    split = request.split_allowed and request.strategy is not Strategy.PICKUP_STORE
    return Shortfall(request.strategy, split, lines, closest)


def allocate(
    request: AllocationRequest, locations: Sequence[Location], available: Availability
) -> AllocationResult:
    """Choose the locations that serve ``request`` without taking a unit that is not available."""
    ranked = candidate_locations(
        request.strategy,
        locations,
        destination=request.destination,
        pickup_location=request.pickup_location,
    )
    requested = requested_units(request.lines)
    for location in ranked:
        if _serves_all(requested, location.code, available):
            return Allocation(request.strategy, (_single(location.code, requested),))
    if request.strategy is Strategy.PICKUP_STORE or not request.split_allowed:
        return _unsplit_shortfall(request, requested, ranked, available)
    parts, remaining = _split_greedily(requested, ranked, available)
    if any(remaining.values()):
        allocatable = {sku: qty - remaining[sku] for sku, qty in requested.items()}
        return _shortfall(request, requested, allocatable, None)
    return Allocation(request.strategy, tuple(parts))
