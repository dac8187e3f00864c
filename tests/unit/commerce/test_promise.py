"""Promises against the real Argentine calendar of 2026.

November 2026: Fri 20, Sat 21, Sun 22, Mon 23 (Día de la Soberanía Nacional, holiday),
Tue 24 ... Fri 27, Mon 30. December: Mon 7 (feriado turístico) and Tue 8 are holidays.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from mostrador.commerce.allocation import Coordinates, Location, LocationKind, OrderLine
from mostrador.commerce.promise import (
    DeliveryPromise,
    FulfilmentMode,
    FulfilmentSite,
    LocationOffer,
    PickupPromise,
    PromiseReason,
    ShipmentPromise,
    TransitRange,
    promise_by_location,
    promise_delivery,
    promise_pickup,
    promise_shipment,
)
from mostrador.core.errors import InvalidInput
from mostrador.core.workspaces.hours import Schedule, build_schedule

AR = "America/Argentina/Buenos_Aires"
BA = ZoneInfo(AR)
R = PromiseReason
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")

WAREHOUSE_HOURS = build_schedule(
    time_zone=AR, opening_hours={day: ["09:00-18:00"] for day in WEEKDAYS}, country="AR"
)
STORE_HOURS = build_schedule(
    time_zone=AR,
    opening_hours={**{day: ["10:00-20:00"] for day in WEEKDAYS}, "sat": ["10:00-14:00"]},
    country="AR",
)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def local(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BA)


def warehouse(**changes: object) -> FulfilmentSite:
    settings: dict[str, object] = {
        "location_code": "DEPO-SUR",
        "schedule": WAREHOUSE_HOURS,
        "cutoff": time(14, 0),
        "handling_days": 1,
        "transit": TransitRange(1, 3),
    } | changes
    return FulfilmentSite(**settings)  # type: ignore[arg-type]


def store(schedule: Schedule = STORE_HOURS, **changes: object) -> FulfilmentSite:
    settings: dict[str, object] = {
        "location_code": "PALERMO",
        "schedule": schedule,
        "preparation": timedelta(hours=1),
    } | changes
    return FulfilmentSite(**settings)  # type: ignore[arg-type]


# --- shipping ------------------------------------------------------------------------------


def test_friday_after_cutoff_before_a_holiday_monday_dispatches_on_wednesday() -> None:
    promise = promise_shipment(at("2026-11-20T15:30:00-03:00"), warehouse())

    assert promise == ShipmentPromise(
        location_code="DEPO-SUR",
        dispatch_on=date(2026, 11, 25),  # handling starts Tue 24, one business day
        earliest=date(2026, 11, 26),
        latest=date(2026, 11, 30),  # Thu 26 + 2 carrier days: Fri 27, (weekend), Mon 30
        reasons=(R.AFTER_CUTOFF, R.CLOSED_DAY_SKIPPED, R.HOLIDAY_SKIPPED, R.WEEKEND_SKIPPED),
    )


def test_friday_before_cutoff_starts_handling_that_day() -> None:
    promise = promise_shipment(at("2026-11-20T13:59:00-03:00"), warehouse())

    assert promise == ShipmentPromise(
        "DEPO-SUR",
        dispatch_on=date(2026, 11, 24),
        earliest=date(2026, 11, 25),
        latest=date(2026, 11, 27),
        reasons=(R.CLOSED_DAY_SKIPPED, R.HOLIDAY_SKIPPED),
    )


@pytest.mark.parametrize(
    ("ordered_at", "dispatch_on"),
    [
        ("2026-11-20T16:59:00Z", date(2026, 11, 24)),  # 13:59 in Buenos Aires
        ("2026-11-20T17:00:00Z", date(2026, 11, 25)),  # 14:00 sharp is already after cut-off
        ("2026-11-20T14:00:00+01:00", date(2026, 11, 24)),  # from Madrid: 14:00 is 10:00 here
    ],
)
def test_the_cutoff_is_read_in_the_location_time_zone(ordered_at: str, dispatch_on: date) -> None:
    assert promise_shipment(at(ordered_at), warehouse()).dispatch_on == dispatch_on


def test_two_holidays_in_a_row_after_a_weekend() -> None:
    promise = promise_shipment(at("2026-12-04T14:00:00-03:00"), warehouse())

    assert (promise.dispatch_on, promise.earliest, promise.latest) == (
        date(2026, 12, 10),  # Sat 5, Sun 6 closed; Mon 7, Tue 8 holidays; handling Wed 9
        date(2026, 12, 11),
        date(2026, 12, 15),
    )


def test_an_order_on_sunday_is_handled_from_the_next_business_day() -> None:
    promise = promise_shipment(at("2026-11-29T11:00:00-03:00"), warehouse(handling_days=0))

    assert promise == ShipmentPromise(
        "DEPO-SUR",
        dispatch_on=date(2026, 11, 30),
        earliest=date(2026, 12, 1),
        latest=date(2026, 12, 3),
        reasons=(R.CLOSED_DAY_SKIPPED,),
    )


def test_a_one_off_closure_moves_dispatch() -> None:
    closed_for_stocktake = build_schedule(
        time_zone=AR,
        opening_hours={day: ["09:00-18:00"] for day in WEEKDAYS},
        country="AR",
        closures=[{"date": "2026-11-25", "hours": [], "reason": "inventario"}],
    )
    promise = promise_shipment(
        at("2026-11-24T09:00:00-03:00"), warehouse(schedule=closed_for_stocktake)
    )

    assert promise == ShipmentPromise(
        "DEPO-SUR",
        dispatch_on=date(2026, 11, 26),  # handling started Tue 24; Wed 25 is the stocktake
        earliest=date(2026, 11, 27),
        latest=date(2026, 12, 1),
        reasons=(R.CLOSURE_SKIPPED, R.WEEKEND_SKIPPED),
    )


def test_a_warehouse_open_on_saturday_dispatches_then_and_carriers_wait_for_monday() -> None:
    six_days = build_schedule(
        time_zone=AR,
        opening_hours={**{day: ["09:00-18:00"] for day in WEEKDAYS}, "sat": ["09:00-13:00"]},
        country="AR",
    )
    promise = promise_shipment(
        at("2026-11-27T15:00:00-03:00"),
        warehouse(schedule=six_days, transit=TransitRange(1, 1)),
    )

    assert (promise.dispatch_on, promise.earliest, promise.latest) == (
        date(2026, 11, 30),  # after cut-off Fri 27: handling Sat 28, +1 day skips Sun 29
        date(2026, 12, 1),
        date(2026, 12, 1),
    )


def test_same_day_delivery_and_no_cutoff() -> None:
    site = warehouse(cutoff=None, handling_days=0, transit=TransitRange(0, 1))

    promise = promise_shipment(at("2026-11-24T17:59:00-03:00"), site)

    assert (promise.dispatch_on, promise.earliest, promise.latest, promise.reasons) == (
        date(2026, 11, 24),
        date(2026, 11, 24),
        date(2026, 11, 25),
        (),
    )


def test_a_split_order_is_promised_by_its_slowest_part_and_zone_transit_overrides() -> None:
    store_site = store(cutoff=time(18, 0), handling_days=0, transit=TransitRange(1, 2))
    ordered_at = at("2026-11-24T12:00:00-03:00")  # Tuesday, before both cut-offs

    promise = promise_delivery(
        ordered_at,
        [store_site, warehouse()],
        transit={"DEPO-SUR": TransitRange(2, 4)},  # the customer's zone is far from DEPO-SUR
    )

    assert promise == DeliveryPromise(
        earliest=date(2026, 11, 27),
        latest=date(2026, 12, 1),
        parts=(
            ShipmentPromise(
                "PALERMO", date(2026, 11, 24), date(2026, 11, 25), date(2026, 11, 26), ()
            ),
            ShipmentPromise(
                "DEPO-SUR",
                date(2026, 11, 25),
                date(2026, 11, 27),
                date(2026, 12, 1),
                (R.WEEKEND_SKIPPED,),
            ),
        ),
        reasons=(R.WEEKEND_SKIPPED, R.SPLIT_SHIPMENT),
    )


@pytest.mark.parametrize(
    ("call", "code"),
    [
        (lambda: promise_shipment(datetime(2026, 11, 24, 10), warehouse()), "naive_datetime"),  # noqa: DTZ001
        (
            lambda: promise_shipment(at("2026-11-24T10:00:00Z"), warehouse(transit=None)),
            "missing_transit_time",
        ),
        (lambda: promise_delivery(at("2026-11-24T10:00:00Z"), []), "no_locations"),
        (lambda: TransitRange(3, 1), "invalid_transit_time"),
        (lambda: TransitRange(-1, 1), "invalid_transit_time"),
        (lambda: warehouse(handling_days=-1), "invalid_handling_time"),
        (lambda: store(preparation=timedelta(minutes=-5)), "invalid_preparation"),
        (
            lambda: promise_shipment(
                at("2026-11-24T10:00:00Z"),
                warehouse(schedule=build_schedule(time_zone=AR, opening_hours={}, country="AR")),
            ),
            "no_business_days",
        ),
        (
            lambda: promise_pickup(
                at("2026-11-24T10:00:00Z"),
                store(build_schedule(time_zone=AR, opening_hours={}, country="AR")),
            ),
            "no_opening_hours",
        ),
    ],
)
def test_bad_input_is_refused_with_a_code(call: object, code: str) -> None:
    with pytest.raises(InvalidInput) as error:
        call()  # type: ignore[operator]
    assert error.value.code == code


# --- pickup --------------------------------------------------------------------------------


def test_pickup_ordered_at_19_50_when_the_store_closes_at_20_is_ready_next_morning() -> None:
    promise = promise_pickup(at("2026-11-24T19:50:00-03:00"), store())

    # Ten minutes of work on Tuesday, the remaining fifty from Wednesday's opening.
    assert promise == PickupPromise(
        "PALERMO", local(2026, 11, 25, 10, 50), (R.PREPARATION_CONTINUES,)
    )
    assert promise.ready_at.tzinfo == BA


def test_pickup_that_would_be_ready_at_closing_time_is_promised_for_the_next_opening() -> None:
    promise = promise_pickup(
        at("2026-11-24T19:50:00-03:00"), store(preparation=timedelta(minutes=10))
    )
    assert promise == PickupPromise(
        "PALERMO", local(2026, 11, 25, 10, 0), (R.READY_AT_NEXT_OPENING,)
    )


def test_pickup_that_fits_before_closing_is_ready_the_same_evening() -> None:
    promise = promise_pickup(
        at("2026-11-24T19:50:00-03:00"), store(preparation=timedelta(minutes=5))
    )
    assert promise == PickupPromise("PALERMO", local(2026, 11, 24, 19, 55), ())


def test_pickup_after_the_store_cutoff_starts_the_next_opening_day() -> None:
    promise = promise_pickup(at("2026-11-24T19:50:00-03:00"), store(cutoff=time(19, 30)))
    assert promise == PickupPromise("PALERMO", local(2026, 11, 25, 11, 0), (R.AFTER_CUTOFF,))


def test_pickup_skips_sunday_and_the_holiday_monday() -> None:
    promise = promise_pickup(at("2026-11-21T13:30:00-03:00"), store())

    # Saturday closes at 14:00 with 30 minutes done; Sunday closed, Monday 23 a holiday.
    assert promise == PickupPromise(
        "PALERMO",
        local(2026, 11, 24, 10, 30),
        (R.CLOSED_DAY_SKIPPED, R.HOLIDAY_SKIPPED, R.PREPARATION_CONTINUES),
    )


def test_a_store_open_on_holidays_has_pickups_ready_then_only_if_it_says_so() -> None:
    open_on_holidays = build_schedule(
        time_zone=AR,
        opening_hours={
            **{day: ["10:00-20:00"] for day in WEEKDAYS},
            "holidays": ["11:00-15:00"],
        },
        country="AR",
    )
    sunday_noon = at("2026-11-22T12:00:00-03:00")

    default = promise_pickup(sunday_noon, store(open_on_holidays))
    opted_in = promise_pickup(sunday_noon, store(open_on_holidays, ready_on_holidays=True))

    assert default == PickupPromise(
        "PALERMO", local(2026, 11, 24, 11, 0), (R.CLOSED_DAY_SKIPPED, R.HOLIDAY_SKIPPED)
    )
    assert opted_in == PickupPromise("PALERMO", local(2026, 11, 23, 12, 0), (R.CLOSED_DAY_SKIPPED,))


def test_pickup_ordered_during_the_siesta_is_prepared_from_the_afternoon_opening() -> None:
    siesta = build_schedule(
        time_zone=AR,
        opening_hours={day: ["10:00-13:00", "16:00-20:00"] for day in WEEKDAYS},
        country="AR",
    )
    promise = promise_pickup(
        at("2026-11-24T14:00:00-03:00"), store(siesta, preparation=timedelta(minutes=30))
    )
    assert promise == PickupPromise(
        "PALERMO", local(2026, 11, 24, 16, 30), (R.OUTSIDE_OPENING_HOURS,)
    )


def test_pickup_preparation_spans_a_lunch_break() -> None:
    siesta = build_schedule(
        time_zone=AR,
        opening_hours={day: ["10:00-13:00", "16:00-20:00"] for day in WEEKDAYS},
        country="AR",
    )
    promise = promise_pickup(
        at("2026-11-24T12:30:00-03:00"), store(siesta, preparation=timedelta(hours=2))
    )
    assert promise == PickupPromise(
        "PALERMO", local(2026, 11, 24, 17, 30), (R.PREPARATION_CONTINUES,)
    )


def test_pickup_preparation_counts_real_time_across_a_daylight_saving_change() -> None:
    always_open = build_schedule(
        time_zone="Europe/Madrid",
        opening_hours={day: ["00:00-24:00"] for day in (*WEEKDAYS, "sat", "sun")},
        country="ES",
    )
    # Saturday 28 March 2026, 23:00 CET; clocks jump from 02:00 to 03:00 that night.
    promise = promise_pickup(
        at("2026-03-28T23:00:00+01:00"), store(always_open, preparation=timedelta(hours=4))
    )

    assert promise.ready_at == at("2026-03-29T04:00:00+02:00")
    assert promise.ready_at.astimezone(UTC) == datetime(2026, 3, 29, 2, 0, tzinfo=UTC)
    assert promise.reasons == ()


# --- available-to-promise per location -----------------------------------------------------

BELGRANO = Coordinates(-34.5627, -58.4563)
PALERMO = Location("PALERMO", LocationKind.STORE, Coordinates(-34.5889, -58.4306), can_pickup=True)
CENTRO = Location("CENTRO", LocationKind.STORE, Coordinates(-34.6037, -58.3816), can_pickup=True)
DEPO_SUR = Location("DEPO-SUR", LocationKind.WAREHOUSE, Coordinates(-34.70, -58.40))
COUNTER = Location("MOSTRADOR", LocationKind.STORE, can_ship=False, can_pickup=True)
LOCATIONS = (DEPO_SUR, CENTRO, PALERMO, COUNTER)
SITES = {
    "PALERMO": store(cutoff=time(18, 0), handling_days=1, transit=TransitRange(1, 2)),
    "CENTRO": store(
        location_code="CENTRO", cutoff=time(18, 0), handling_days=1, transit=TransitRange(1, 2)
    ),
    "DEPO-SUR": warehouse(handling_days=0, transit=TransitRange(1, 2)),
    "MOSTRADOR": store(location_code="MOSTRADOR", preparation=timedelta(minutes=15)),
}
STOCK = {
    ("MATE", "PALERMO"): 1,
    ("YERBA", "PALERMO"): 5,
    ("MATE", "CENTRO"): 3,
    ("YERBA", "CENTRO"): 5,
    ("MATE", "DEPO-SUR"): 9,
    ("YERBA", "DEPO-SUR"): 9,
    ("MATE", "MOSTRADOR"): 9,
}
LINES = (OrderLine("MATE", 2), OrderLine("YERBA", 1))


def test_ship_offers_per_location_nearest_first_and_the_best_is_the_earliest() -> None:
    network = promise_by_location(
        LINES,
        LOCATIONS,
        STOCK,
        SITES,
        ordered_at=at("2026-11-24T12:00:00-03:00"),
        mode=FulfilmentMode.SHIP,
        destination=BELGRANO,
    )

    centro_offer = LocationOffer(
        "CENTRO",
        True,
        (),
        shipment=ShipmentPromise(
            "CENTRO", date(2026, 11, 25), date(2026, 11, 26), date(2026, 11, 27), ()
        ),
    )
    depo_offer = LocationOffer(
        "DEPO-SUR",
        True,
        (),
        shipment=ShipmentPromise(
            "DEPO-SUR", date(2026, 11, 24), date(2026, 11, 25), date(2026, 11, 26), ()
        ),
    )
    assert network.offers == (LocationOffer("PALERMO", False, ("MATE",)), centro_offer, depo_offer)
    assert network.best == depo_offer


def test_equal_promises_go_to_the_nearer_location() -> None:
    network = promise_by_location(
        LINES,
        LOCATIONS,
        STOCK,
        SITES,
        ordered_at=at("2026-11-24T12:00:00-03:00"),
        mode=FulfilmentMode.SHIP,
        destination=BELGRANO,
        transit={"DEPO-SUR": TransitRange(2, 3)},  # now DEPO-SUR matches CENTRO: 26-27
    )
    assert network.best is not None
    assert network.best.location_code == "CENTRO"


def test_pickup_offers_include_counters_that_do_not_ship() -> None:
    network = promise_by_location(
        [OrderLine("MATE", 2)],
        LOCATIONS,
        STOCK,
        SITES,
        ordered_at=at("2026-11-24T19:30:00-03:00"),  # after CENTRO's 18:00 cut-off
        mode=FulfilmentMode.PICKUP,
    )

    assert [(o.location_code, o.serves_all) for o in network.offers] == [
        ("CENTRO", True),
        ("MOSTRADOR", True),
        ("PALERMO", False),
    ]
    assert network.best == LocationOffer(
        "MOSTRADOR",
        True,
        (),
        pickup=PickupPromise("MOSTRADOR", local(2026, 11, 24, 19, 45), ()),
    )


def test_no_full_location_means_no_best_offer_and_a_full_one_needs_a_calendar() -> None:
    nobody = promise_by_location(
        [OrderLine("TERMO", 1)],
        LOCATIONS,
        STOCK,
        SITES,
        ordered_at=at("2026-11-24T12:00:00-03:00"),
        mode=FulfilmentMode.SHIP,
    )
    assert nobody.best is None
    assert all(offer.missing_skus == ("TERMO",) for offer in nobody.offers)

    with pytest.raises(InvalidInput) as error:
        promise_by_location(
            LINES,
            LOCATIONS,
            STOCK,
            {},
            ordered_at=at("2026-11-24T12:00:00-03:00"),
            mode=FulfilmentMode.SHIP,
        )
    assert error.value.code == "missing_fulfilment_site"
