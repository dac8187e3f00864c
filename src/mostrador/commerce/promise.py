"""The delivery promise: when a shipment arrives or a pickup is ready, with the reasons why.

Pure: the order time is an input and every calendar comes from ``core.workspaces.hours``
(weekly hours, one-off closures, national holidays). Dates are in each location's time zone.
Dispatch days are the days the location is open that are not national holidays; carriers
deliver Monday to Friday except the location's national holidays.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from mostrador.commerce.allocation import (
    Availability,
    Coordinates,
    Location,
    OrderLine,
    rank_locations,
    requested_units,
)
from mostrador.core.errors import InvalidInput
from mostrador.core.workspaces.hours import Schedule, holiday_name, hours_on

HORIZON_DAYS = 366  # a calendar with no working day in a year is a configuration error
ONE_DAY = timedelta(days=1)


class PromiseReason(StrEnum):
    """Machine-readable causes that moved a promise, in the order they applied."""

    AFTER_CUTOFF = "after_cutoff"
    CLOSED_DAY_SKIPPED = "closed_day_skipped"
    CLOSURE_SKIPPED = "closure_skipped"
    HOLIDAY_SKIPPED = "holiday_skipped"
    WEEKEND_SKIPPED = "weekend_skipped"
    OUTSIDE_OPENING_HOURS = "outside_opening_hours"
    PREPARATION_CONTINUES = "preparation_continues_next_opening"
    READY_AT_NEXT_OPENING = "ready_at_next_opening"
    SPLIT_SHIPMENT = "split_shipment"


class FulfilmentMode(StrEnum):
    SHIP = "ship"
    PICKUP = "pickup"


@dataclass(frozen=True)
class TransitRange:
    """Carrier time in business days from dispatch, e.g. (1, 3); given per location or zone."""

    min_days: int
    max_days: int

    def __post_init__(self) -> None:
        if not 0 <= self.min_days <= self.max_days:
            raise InvalidInput(
                f"transit range ({self.min_days}, {self.max_days}) needs 0 <= min <= max",
                code="invalid_transit_time",
            )


@dataclass(frozen=True)
class FulfilmentSite:
    """How one location works for promises.

    ``cutoff`` is local time: orders at or after it are handled from the next working day
    (None: no cut-off). ``handling_days`` 0 dispatches the day handling starts.
    ``preparation`` for a pickup counts only while the store is open.
    """

    location_code: str
    schedule: Schedule
    cutoff: time | None = None
    handling_days: int = 0
    transit: TransitRange | None = None
    preparation: timedelta = timedelta(0)
    ready_on_holidays: bool = False

    def __post_init__(self) -> None:
        if self.handling_days < 0:
            raise InvalidInput("handling days cannot be negative", code="invalid_handling_time")
        if self.preparation < timedelta(0):
            raise InvalidInput("preparation time cannot be negative", code="invalid_preparation")


@dataclass(frozen=True)
class ShipmentPromise:
    """One location's part: the day it leaves and the delivery window (inclusive dates)."""

    location_code: str
    dispatch_on: date
    earliest: date
    latest: date
    reasons: tuple[PromiseReason, ...]


@dataclass(frozen=True)
class DeliveryPromise:
    """The whole order: a split order arrives when its slowest part does."""

    earliest: date
    latest: date
    parts: tuple[ShipmentPromise, ...]
    reasons: tuple[PromiseReason, ...]


@dataclass(frozen=True)
class PickupPromise:
    """When the order can be collected: an instant within opening hours, in the store's zone."""

    location_code: str
    ready_at: datetime
    reasons: tuple[PromiseReason, ...]


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidInput("the order time must carry its time zone", code="naive_datetime")
    return moment


def _unique(reasons: Sequence[PromiseReason]) -> tuple[PromiseReason, ...]:
    return tuple(dict.fromkeys(reasons))


SkipRule = Callable[[Schedule, date], PromiseReason | None]


def _dispatch_skip(schedule: Schedule, day: date) -> PromiseReason | None:
    """None when the location dispatches on ``day``; otherwise why it does not."""
    # Carriers do not collect on national holidays, even where the shop opens for sales.
    if holiday_name(schedule.country, schedule.subdivision, day) is not None:
        return PromiseReason.HOLIDAY_SKIPPED
    if not hours_on(schedule, day).closed:
        return None
    if day in schedule.exceptions:
        return PromiseReason.CLOSURE_SKIPPED
    return PromiseReason.CLOSED_DAY_SKIPPED


def _transit_skip(schedule: Schedule, day: date) -> PromiseReason | None:
    if day.weekday() >= 5:
        return PromiseReason.WEEKEND_SKIPPED
    if holiday_name(schedule.country, schedule.subdivision, day) is not None:
        return PromiseReason.HOLIDAY_SKIPPED
    return None


def _first_working_day(
    schedule: Schedule, day: date, skip: SkipRule, reasons: list[PromiseReason]
) -> date:
    """``day`` or the first working day after it, noting why days were passed over."""
    for _ in range(HORIZON_DAYS):
        why = skip(schedule, day)
        if why is None:
            return day
        reasons.append(why)
        day += ONE_DAY
    raise InvalidInput(
        f"no working day within {HORIZON_DAYS} days of {day}", code="no_business_days"
    )


def _add_working_days(
    schedule: Schedule, day: date, count: int, skip: SkipRule, reasons: list[PromiseReason]
) -> date:
    for _ in range(count):
        day = _first_working_day(schedule, day + ONE_DAY, skip, reasons)
    return day


def promise_shipment(
    ordered_at: datetime, site: FulfilmentSite, *, transit: TransitRange | None = None
) -> ShipmentPromise:
    """Dispatch day and delivery window of what one location ships (``transit`` overrides)."""
    transit = transit or site.transit
    if transit is None:
        raise InvalidInput(f"no transit time for {site.location_code}", code="missing_transit_time")
    schedule = site.schedule
    local = _aware(ordered_at).astimezone(schedule.zone)
    reasons: list[PromiseReason] = []
    today = local.date()
    closed_today = _dispatch_skip(schedule, today)
    if closed_today is None and site.cutoff is not None and local.time() >= site.cutoff:
        reasons.append(PromiseReason.AFTER_CUTOFF)
        today += ONE_DAY
    start = _first_working_day(schedule, today, _dispatch_skip, reasons)
    dispatch = _add_working_days(schedule, start, site.handling_days, _dispatch_skip, reasons)
    earliest = _add_working_days(schedule, dispatch, transit.min_days, _transit_skip, reasons)
    span = transit.max_days - transit.min_days
    latest = _add_working_days(schedule, earliest, span, _transit_skip, reasons)
    return ShipmentPromise(site.location_code, dispatch, earliest, latest, _unique(reasons))


def promise_delivery(
    ordered_at: datetime,
    sites: Sequence[FulfilmentSite],
    *,
    transit: Mapping[str, TransitRange] | None = None,
) -> DeliveryPromise:
    """The delivery window of an order shipped from ``sites`` (one per allocated location)."""
    if not sites:
        raise InvalidInput("a delivery promise needs at least one location", code="no_locations")
    overrides = transit or {}
    parts = tuple(
        promise_shipment(ordered_at, site, transit=overrides.get(site.location_code))
        for site in sites
    )
    reasons = [reason for part in parts for reason in part.reasons]
    if len(parts) > 1:
        reasons.append(PromiseReason.SPLIT_SHIPMENT)
    return DeliveryPromise(
        earliest=max(part.earliest for part in parts),
        latest=max(part.latest for part in parts),
        parts=parts,
        reasons=_unique(reasons),
    )


def _pickup_skip(site: FulfilmentSite, day: date) -> PromiseReason | None:
    schedule = site.schedule
    hours = hours_on(schedule, day)
    if hours.closed:
        if day in schedule.exceptions:
            return PromiseReason.CLOSURE_SKIPPED
        if hours.reason.startswith("holiday"):
            return PromiseReason.HOLIDAY_SKIPPED
        return PromiseReason.CLOSED_DAY_SKIPPED
    if not site.ready_on_holidays and holiday_name(schedule.country, schedule.subdivision, day):
        return PromiseReason.HOLIDAY_SKIPPED
    return None


def _open_periods(site: FulfilmentSite, day: date) -> list[tuple[datetime, datetime]]:
    """The day's opening spans as UTC instants (so arithmetic is right across DST changes)."""
    tz = site.schedule.zone
    periods = []
    for start, end in hours_on(site.schedule, day).spans:
        opens = datetime.combine(day, start, tzinfo=tz)
        # "24:00" is stored as time.max; the day really ends at the next midnight.
        closes = (
            datetime.combine(day + ONE_DAY, time(0), tzinfo=tz)
            if end == time.max
            else datetime.combine(day, end, tzinfo=tz)
        )
        periods.append((opens.astimezone(UTC), closes.astimezone(UTC)))
    return periods


def promise_pickup(ordered_at: datetime, site: FulfilmentSite) -> PickupPromise:
    """When the order is ready: preparation runs only while the store is open."""
    tz = site.schedule.zone
    ordered = _aware(ordered_at).astimezone(UTC)
    local = ordered.astimezone(tz)
    reasons: list[PromiseReason] = []
    day, cursor = local.date(), ordered
    if _pickup_skip(site, day) is None and site.cutoff is not None and local.time() >= site.cutoff:
        reasons.append(PromiseReason.AFTER_CUTOFF)
        day += ONE_DAY
        cursor = datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)
    remaining, started = site.preparation, False
    for _ in range(HORIZON_DAYS):
        skipped = _pickup_skip(site, day)
        if skipped is not None:
            reasons.append(skipped)
            day += ONE_DAY
            continue
        for opens, closes in _open_periods(site, day):
            if closes <= cursor:
                continue
            if opens > cursor:
                if started:
                    reasons.append(
                        PromiseReason.PREPARATION_CONTINUES
                        if remaining
                        else PromiseReason.READY_AT_NEXT_OPENING
                    )
                elif cursor == ordered and day == local.date():
                    reasons.append(PromiseReason.OUTSIDE_OPENING_HOURS)
                cursor = opens
            started = True
            # Ready exactly at closing is not collectable: it rolls to the next opening.
            if remaining < closes - cursor:
                ready = (cursor + remaining).astimezone(tz)
                return PickupPromise(site.location_code, ready, _unique(reasons))
            remaining -= closes - cursor
            cursor = closes
        day += ONE_DAY
    raise InvalidInput(
        f"{site.location_code} does not open within {HORIZON_DAYS} days", code="no_opening_hours"
    )


@dataclass(frozen=True)
class LocationOffer:
    """One location's answer: can it serve every line alone, and its promise if so."""

    location_code: str
    serves_all: bool
    missing_skus: tuple[str, ...]
    shipment: ShipmentPromise | None = None
    pickup: PickupPromise | None = None


@dataclass(frozen=True)
class NetworkPromise:
    """Available-to-promise per location (in order of preference) and the best full offer."""

    mode: FulfilmentMode
    offers: tuple[LocationOffer, ...]
    best: LocationOffer | None


def promise_by_location(
    lines: Sequence[OrderLine],
    locations: Sequence[Location],
    available: Availability,
    sites: Mapping[str, FulfilmentSite],
    *,
    ordered_at: datetime,
    mode: FulfilmentMode,
    destination: Coordinates | None = None,
    transit: Mapping[str, TransitRange] | None = None,
) -> NetworkPromise:
    """For each location of the mode: whether it alone serves the order, and when.

    The best offer is the earliest promise among full ones; ties go to the nearer location.
    """
    requested = requested_units(lines)
    overrides = transit or {}
    pickup = mode is FulfilmentMode.PICKUP
    eligible = [loc for loc in locations if (loc.can_pickup if pickup else loc.can_ship)]
    offers: list[LocationOffer] = []
    ranked_full: list[tuple[tuple[datetime | date, ...], int, LocationOffer]] = []
    for location in rank_locations(eligible, destination):
        missing = tuple(
            sku for sku, qty in requested.items() if available.get((sku, location.code), 0) < qty
        )
        if missing:
            offers.append(LocationOffer(location.code, False, missing))
            continue
        site = sites.get(location.code)
        if site is None:
            raise InvalidInput(
                f"no calendar for location {location.code}", code="missing_fulfilment_site"
            )
        offer: LocationOffer
        key: tuple[datetime | date, ...]
        if pickup:
            ready = promise_pickup(ordered_at, site)
            offer, key = LocationOffer(location.code, True, (), pickup=ready), (ready.ready_at,)
        else:
            shipment = promise_shipment(ordered_at, site, transit=overrides.get(location.code))
            offer = LocationOffer(location.code, True, (), shipment=shipment)
            key = (shipment.latest, shipment.earliest)
        # The offer's position breaks ties, so equal promises go to the nearer location.
        ranked_full.append((key, len(offers), offer))
        offers.append(offer)
    best = min(ranked_full, key=lambda item: item[:2], default=None)
    return NetworkPromise(mode, tuple(offers), best[2] if best else None)
