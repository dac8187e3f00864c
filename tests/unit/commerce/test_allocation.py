from __future__ import annotations

import random
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mostrador.commerce.allocation import (
    Allocation,
    AllocationRequest,
    Availability,
    Coordinates,
    Location,
    LocationAllocation,
    LocationKind,
    MissingStock,
    OrderLine,
    Shortfall,
    Strategy,
    allocate,
    candidate_locations,
    distance_km,
    network_availability,
)
from mostrador.core.errors import InvalidInput

STORE, WAREHOUSE = LocationKind.STORE, LocationKind.WAREHOUSE
BELGRANO = Coordinates(-34.5627, -58.4563)  # the customer; distances below are from here

PALERMO = Location("PALERMO", STORE, Coordinates(-34.5889, -58.4306), can_pickup=True)  # 3.7 km
CENTRO = Location("CENTRO", STORE, Coordinates(-34.6037, -58.3816), can_pickup=True)  # 8.2 km
DEPO_SUR = Location("DEPO-SUR", WAREHOUSE, Coordinates(-34.70, -58.40))  # 16.1 km
DEPO_OESTE = Location("DEPO-OESTE", WAREHOUSE, Coordinates(-34.65, -58.60))  # 16.3 km
NETWORK = (PALERMO, CENTRO, DEPO_SUR, DEPO_OESTE)


def order(
    strategy: Strategy, *lines: tuple[str, int], split: bool = False, pickup: str | None = None
) -> AllocationRequest:
    return AllocationRequest(
        lines=tuple(OrderLine(sku, qty) for sku, qty in lines),
        strategy=strategy,
        split_allowed=split,
        destination=None if pickup else BELGRANO,
        pickup_location=pickup,
    )


def stock(rows: dict[str, dict[str, int]]) -> dict[tuple[str, str], int]:
    """location → sku → units, written the way a stock table reads."""
    return {(sku, code): units for code, skus in rows.items() for sku, units in skus.items()}


def single(strategy: Strategy, code: str, *lines: tuple[str, int]) -> Allocation:
    parts = (LocationAllocation(code, tuple(OrderLine(s, q) for s, q in lines)),)
    return Allocation(strategy, parts)


# --- pickup_store -------------------------------------------------------------------------


def test_pickup_store_takes_everything_from_the_chosen_store_even_if_another_is_nearer() -> None:
    available = stock({"PALERMO": {"MATE": 5, "BOMBILLA": 5}, "CENTRO": {"MATE": 1, "BOMBILLA": 2}})
    request = order(Strategy.PICKUP_STORE, ("MATE", 1), ("BOMBILLA", 2), pickup="CENTRO")

    result = allocate(request, NETWORK, available)

    assert result == single(Strategy.PICKUP_STORE, "CENTRO", ("BOMBILLA", 2), ("MATE", 1))
    assert result.is_split is False


def test_pickup_store_never_splits_and_reports_what_the_store_lacks() -> None:
    available = stock({"CENTRO": {"MATE": 1, "BOMBILLA": 2}, "PALERMO": {"MATE": 10}})
    request = AllocationRequest(
        lines=(OrderLine("MATE", 3), OrderLine("BOMBILLA", 2), OrderLine("YERBA", 1)),
        strategy=Strategy.PICKUP_STORE,
        split_allowed=True,  # ignored: a pickup is collected in one place
        pickup_location="CENTRO",
    )

    result = allocate(request, NETWORK, available)

    assert result == Shortfall(
        strategy=Strategy.PICKUP_STORE,
        split_allowed=False,
        lines=(MissingStock("MATE", 3, 1, 2), MissingStock("YERBA", 1, 0, 1)),
        closest_location="CENTRO",
    )
    assert Shortfall.code == "insufficient_stock"


@pytest.mark.parametrize("code", ["DEPO-SUR", "NOWHERE"])
def test_pickup_store_must_be_a_location_that_offers_pickup(code: str) -> None:
    request = order(Strategy.PICKUP_STORE, ("MATE", 1), pickup=code)
    with pytest.raises(InvalidInput) as error:
        allocate(request, NETWORK, {})
    assert error.value.code == "invalid_pickup_location"


# --- nearest_full -------------------------------------------------------------------------


def test_nearest_full_skips_a_nearer_location_that_has_only_part_of_the_order() -> None:
    available = stock(
        {
            "PALERMO": {"MATE": 5},
            "CENTRO": {"MATE": 5, "YERBA": 1},
            "DEPO-SUR": {"MATE": 50, "YERBA": 50},
        }
    )
    request = order(Strategy.NEAREST_FULL, ("MATE", 2), ("YERBA", 1))

    result = allocate(request, NETWORK, available)

    assert result == single(Strategy.NEAREST_FULL, "CENTRO", ("MATE", 2), ("YERBA", 1))


def test_nearest_full_without_destination_ranks_by_priority_then_code() -> None:
    locations = (
        Location("B-NOPRIO", STORE),
        Location("A-NOPRIO", STORE),
        Location("Z-FIRST", WAREHOUSE, priority=1),
        Location("C-SECOND", STORE, priority=2),
    )
    everywhere = stock({loc.code: {"MATE": 1} for loc in locations})
    request = AllocationRequest((OrderLine("MATE", 1),), Strategy.NEAREST_FULL)

    assert [loc.code for loc in candidate_locations(Strategy.NEAREST_FULL, locations)] == [
        "Z-FIRST",
        "C-SECOND",
        "A-NOPRIO",
        "B-NOPRIO",
    ]
    assert allocate(request, locations, everywhere) == single(
        Strategy.NEAREST_FULL, "Z-FIRST", ("MATE", 1)
    )
    only_unprioritised = stock({"A-NOPRIO": {"MATE": 1}, "B-NOPRIO": {"MATE": 1}})
    assert allocate(request, locations, only_unprioritised) == single(
        Strategy.NEAREST_FULL, "A-NOPRIO", ("MATE", 1)
    )


def test_two_locations_at_the_same_distance_tie_break_by_code() -> None:
    here = Coordinates(-34.6, -58.4)
    locations = (Location("LOC-B", STORE, here), Location("LOC-A", WAREHOUSE, here))
    available = stock({"LOC-A": {"MATE": 1}, "LOC-B": {"MATE": 1}})
    request = AllocationRequest((OrderLine("MATE", 1),), Strategy.NEAREST_FULL, destination=here)

    assert allocate(request, locations, available) == single(
        Strategy.NEAREST_FULL, "LOC-A", ("MATE", 1)
    )


def test_locations_without_coordinates_come_after_located_ones() -> None:
    unplaced = Location("AAA-UNPLACED", WAREHOUSE, priority=1)
    ranked = candidate_locations(
        Strategy.NEAREST_FULL, (unplaced, DEPO_OESTE, PALERMO), destination=BELGRANO
    )
    assert [loc.code for loc in ranked] == ["PALERMO", "DEPO-OESTE", "AAA-UNPLACED"]


def test_nearest_full_splits_greedily_by_distance_when_nobody_has_everything() -> None:
    available = stock(
        {
            "PALERMO": {"MATE": 2},
            "CENTRO": {"MATE": 5, "YERBA": 1},
            "DEPO-SUR": {"YERBA": 9, "TERMO": 1},
            "DEPO-OESTE": {"TERMO": 9},
        }
    )
    request = order(Strategy.NEAREST_FULL, ("MATE", 4), ("YERBA", 3), ("TERMO", 1), split=True)

    result = allocate(request, NETWORK, available)

    assert isinstance(result, Allocation)
    assert result.parts == (
        LocationAllocation("PALERMO", (OrderLine("MATE", 2),)),
        LocationAllocation("CENTRO", (OrderLine("MATE", 2), OrderLine("YERBA", 1))),
        LocationAllocation("DEPO-SUR", (OrderLine("TERMO", 1), OrderLine("YERBA", 2))),
    )
    assert result.is_split is True
    assert result.quantities() == {
        "PALERMO": {"MATE": 2},
        "CENTRO": {"MATE": 2, "YERBA": 1},
        "DEPO-SUR": {"TERMO": 1, "YERBA": 2},
    }


def test_without_split_the_shortfall_names_the_location_that_came_closest() -> None:
    available = stock(
        {
            "PALERMO": {"MATE": 4},  # 3 of the 6 units, like the two others: the nearest wins
            "CENTRO": {"MATE": 1, "YERBA": 2},
            "DEPO-SUR": {"YERBA": 3},
        }
    )
    request = order(Strategy.NEAREST_FULL, ("MATE", 3), ("YERBA", 3))

    result = allocate(request, NETWORK, available)

    assert result == Shortfall(
        strategy=Strategy.NEAREST_FULL,
        split_allowed=False,
        lines=(MissingStock("YERBA", 3, 0, 3),),
        closest_location="PALERMO",
    )


def test_with_split_the_shortfall_counts_the_whole_network() -> None:
    available = stock({"PALERMO": {"MATE": 1}, "DEPO-SUR": {"MATE": 1, "YERBA": 5}})
    request = order(Strategy.NEAREST_FULL, ("MATE", 3), ("YERBA", 5), ("TERMO", 2), split=True)

    result = allocate(request, NETWORK, available)

    assert result == Shortfall(
        strategy=Strategy.NEAREST_FULL,
        split_allowed=True,
        lines=(MissingStock("MATE", 3, 2, 1), MissingStock("TERMO", 2, 0, 2)),
        closest_location=None,
    )


def test_nothing_anywhere_has_no_closest_location() -> None:
    result = allocate(order(Strategy.NEAREST_FULL, ("MATE", 1)), NETWORK, {})
    assert result == Shortfall(
        Strategy.NEAREST_FULL, False, (MissingStock("MATE", 1, 0, 1),), closest_location=None
    )


def test_a_location_that_does_not_ship_is_never_used_for_shipping() -> None:
    counter_only = Location("MOSTRADOR", STORE, BELGRANO, can_ship=False, can_pickup=True)
    available = stock({"MOSTRADOR": {"MATE": 9}, "DEPO-SUR": {"MATE": 9}})

    result = allocate(
        order(Strategy.NEAREST_FULL, ("MATE", 1)), (counter_only, DEPO_SUR), available
    )

    assert result == single(Strategy.NEAREST_FULL, "DEPO-SUR", ("MATE", 1))


# --- store_first / warehouse_first -----------------------------------------------------------

SPREAD = stock(
    {
        "PALERMO": {"MATE": 1},
        "CENTRO": {"MATE": 2, "YERBA": 1},
        "DEPO-SUR": {"MATE": 9, "YERBA": 9},
        "DEPO-OESTE": {"MATE": 9, "YERBA": 9},
    }
)


def test_store_first_uses_a_full_store_before_a_full_warehouse() -> None:
    request = order(Strategy.STORE_FIRST, ("MATE", 2), ("YERBA", 1), split=True)
    assert allocate(request, NETWORK, SPREAD) == single(
        Strategy.STORE_FIRST, "CENTRO", ("MATE", 2), ("YERBA", 1)
    )


def test_store_first_prefers_one_warehouse_with_everything_to_splitting_across_stores() -> None:
    request = order(Strategy.STORE_FIRST, ("MATE", 3), ("YERBA", 1), split=True)
    assert allocate(request, NETWORK, SPREAD) == single(
        Strategy.STORE_FIRST, "DEPO-SUR", ("MATE", 3), ("YERBA", 1)
    )


def test_store_first_split_drains_stores_before_warehouses() -> None:
    request = order(Strategy.STORE_FIRST, ("MATE", 20), ("YERBA", 2), split=True)

    result = allocate(request, NETWORK, SPREAD)

    assert isinstance(result, Allocation)
    assert result.quantities() == {
        "PALERMO": {"MATE": 1},
        "CENTRO": {"MATE": 2, "YERBA": 1},
        "DEPO-SUR": {"MATE": 9, "YERBA": 1},
        "DEPO-OESTE": {"MATE": 8},
    }
    assert [part.location_code for part in result.parts] == [
        "PALERMO",
        "CENTRO",
        "DEPO-SUR",
        "DEPO-OESTE",
    ]


def test_warehouse_first_uses_the_nearest_full_warehouse_before_a_nearer_store() -> None:
    request = order(Strategy.WAREHOUSE_FIRST, ("MATE", 1))
    assert allocate(request, NETWORK, SPREAD) == single(
        Strategy.WAREHOUSE_FIRST, "DEPO-SUR", ("MATE", 1)
    )


def test_warehouse_first_falls_back_to_a_store_and_splits_warehouses_first() -> None:
    available = stock({"PALERMO": {"MATE": 5}, "DEPO-OESTE": {"MATE": 2}, "DEPO-SUR": {"MATE": 1}})

    fallback = allocate(order(Strategy.WAREHOUSE_FIRST, ("MATE", 4)), NETWORK, available)
    split = allocate(order(Strategy.WAREHOUSE_FIRST, ("MATE", 7), split=True), NETWORK, available)

    assert fallback == single(Strategy.WAREHOUSE_FIRST, "PALERMO", ("MATE", 4))
    assert isinstance(split, Allocation)
    assert split.quantities() == {
        "DEPO-SUR": {"MATE": 1},
        "DEPO-OESTE": {"MATE": 2},
        "PALERMO": {"MATE": 4},
    }


def test_store_first_without_split_reports_a_shortfall() -> None:
    request = order(Strategy.STORE_FIRST, ("MATE", 20))
    assert allocate(request, NETWORK, SPREAD) == Shortfall(
        Strategy.STORE_FIRST, False, (MissingStock("MATE", 20, 9, 11),), closest_location="DEPO-SUR"
    )


# --- lines, stock figures and bad input ----------------------------------------------------


def test_two_lines_of_one_sku_are_allocated_as_one() -> None:
    available = stock({"PALERMO": {"MATE": 3}})
    request = order(Strategy.NEAREST_FULL, ("MATE", 1), ("MATE", 2))
    assert allocate(request, NETWORK, available) == single(
        Strategy.NEAREST_FULL, "PALERMO", ("MATE", 3)
    )


def test_negative_availability_counts_as_nothing() -> None:
    available = stock({"PALERMO": {"MATE": -2}, "CENTRO": {"MATE": 1}})
    request = order(Strategy.NEAREST_FULL, ("MATE", 2), split=True)
    assert allocate(request, NETWORK, available) == Shortfall(
        Strategy.NEAREST_FULL, True, (MissingStock("MATE", 2, 1, 1),)
    )


@pytest.mark.parametrize(
    ("build", "code"),
    [
        (lambda: OrderLine("MATE", 0), "invalid_quantity"),
        (lambda: OrderLine("MATE", True), "invalid_quantity"),
        (lambda: OrderLine("", 1), "invalid_sku"),
        (lambda: AllocationRequest((), Strategy.NEAREST_FULL), "empty_order"),
        (
            lambda: AllocationRequest((OrderLine("M", 1),), Strategy.PICKUP_STORE),
            "missing_pickup_location",
        ),
        (
            lambda: AllocationRequest(
                (OrderLine("M", 1),), Strategy.STORE_FIRST, pickup_location="X"
            ),
            "unexpected_pickup_location",
        ),
        (lambda: Coordinates(-91.0, 0.0), "invalid_coordinates"),
        (lambda: Coordinates(0.0, float("nan")), "invalid_coordinates"),
        (
            lambda: allocate(order(Strategy.NEAREST_FULL, ("M", 1)), (PALERMO, PALERMO), {}),
            "duplicate_location",
        ),
    ],
)
def test_bad_input_is_refused_with_a_code(build: object, code: str) -> None:
    with pytest.raises(InvalidInput) as error:
        build()  # type: ignore[operator]
    assert error.value.code == code


def test_haversine_distance_matches_the_sphere() -> None:
    equator = Coordinates(0.0, 0.0)
    # One degree of a meridian is 2πR/360; the antipode is half the circumference, πR.
    assert round(distance_km(equator, Coordinates(1.0, 0.0)), 3) == 111.195
    assert round(distance_km(equator, Coordinates(0.0, 180.0)), 1) == 20015.1
    # Obelisco to Córdoba's cathedral, checked with the spherical law of cosines.
    obelisco, cordoba = Coordinates(-34.6037, -58.3816), Coordinates(-31.4201, -64.1888)
    assert round(distance_km(obelisco, cordoba), 1) == 646.7


# --- available-to-promise across the network ------------------------------------------------


def test_network_availability_sums_what_the_strategy_may_use() -> None:
    counter_only = Location("MOSTRADOR", STORE, can_ship=False, can_pickup=True)
    locations = (*NETWORK, counter_only)
    available = stock({"PALERMO": {"MATE": 2}, "DEPO-SUR": {"MATE": 5}, "MOSTRADOR": {"MATE": 7}})

    shipping = network_availability(
        ["MATE", "YERBA", "MATE"], locations, available, strategy=Strategy.STORE_FIRST
    )
    pickup = network_availability(
        ["MATE"], locations, available, strategy=Strategy.PICKUP_STORE, pickup_location="MOSTRADOR"
    )

    assert shipping == {"MATE": 7, "YERBA": 0}
    assert pickup == {"MATE": 7}


# --- properties ---------------------------------------------------------------------------

SKUS = ("A", "B", "C", "D")


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[AllocationRequest, list[Location], Availability]:
    count = draw(st.integers(1, 6))
    locations = [
        Location(
            code=f"L{i}",
            kind=draw(st.sampled_from(LocationKind)),
            coordinates=draw(
                st.none() | st.builds(Coordinates, st.floats(-35.0, -34.0), st.floats(-59.0, -58.0))
            ),
            can_ship=draw(st.booleans()),
            can_pickup=draw(st.booleans()),
            priority=draw(st.none() | st.integers(0, 3)),
        )
        for i in range(count)
    ]
    available = {
        (sku, loc.code): units
        for sku in SKUS
        for loc in locations
        if (units := draw(st.integers(-1, 9)))
    }
    skus = draw(st.lists(st.sampled_from(SKUS), min_size=1, max_size=3, unique=True))
    lines = tuple(OrderLine(sku, draw(st.integers(1, 6))) for sku in skus)
    strategy = draw(st.sampled_from(Strategy))
    pickup = None
    if strategy is Strategy.PICKUP_STORE:
        pickers = [loc.code for loc in locations if loc.can_pickup]
        if not pickers:
            strategy = Strategy.NEAREST_FULL
        else:
            pickup = draw(st.sampled_from(pickers))
    destination = draw(st.none() | st.just(Coordinates(-34.6, -58.4)))
    request = AllocationRequest(lines, strategy, draw(st.booleans()), destination, pickup)
    return request, locations, available


def usable(request: AllocationRequest, locations: list[Location]) -> list[str]:
    if request.strategy is Strategy.PICKUP_STORE:
        return [request.pickup_location or ""]
    return [loc.code for loc in locations if loc.can_ship]


def assert_exact_and_within_stock(
    result: Allocation,
    request: AllocationRequest,
    locations: list[Location],
    available: Availability,
) -> None:
    codes = [part.location_code for part in result.parts]
    assert len(codes) == len(set(codes))
    assert set(codes) <= set(usable(request, locations))
    totals: dict[str, int] = {}
    for part in result.parts:
        assert part.lines
        for line in part.lines:
            assert 0 < line.quantity <= available.get((line.sku, part.location_code), 0)
            totals[line.sku] = totals.get(line.sku, 0) + line.quantity
    assert totals == {line.sku: line.quantity for line in request.lines}


@settings(max_examples=200, deadline=None)
@given(scenarios())
def test_property_never_oversells_and_sums_exactly(
    scenario: tuple[AllocationRequest, list[Location], Availability],
) -> None:
    request, locations, available = scenario
    result = allocate(request, locations, available)
    if isinstance(result, Shortfall):
        assert result.lines
        for line in result.lines:
            assert line.missing == line.requested - line.allocatable > 0
        return
    assert_exact_and_within_stock(result, request, locations, available)
    if request.strategy is Strategy.PICKUP_STORE or not request.split_allowed:
        assert len(result.parts) == 1


@st.composite
def feasible_split_orders(
    draw: st.DrawFn,
) -> tuple[AllocationRequest, list[Location], Availability]:
    """Orders whose every unit is placed at some shipping location, often spread over several."""
    request, locations, _ = draw(scenarios())
    locations = [replace(locations[0], can_ship=True), *locations[1:]]
    shippers = [loc.code for loc in locations if loc.can_ship]
    placed: dict[tuple[str, str], int] = {}
    for line in request.lines:
        for _ in range(line.quantity):
            key = (line.sku, draw(st.sampled_from(shippers)))
            placed[key] = placed.get(key, 0) + 1
    strategy = draw(
        st.sampled_from([Strategy.NEAREST_FULL, Strategy.STORE_FIRST, Strategy.WAREHOUSE_FIRST])
    )
    split_request = AllocationRequest(request.lines, strategy, True, request.destination)
    return split_request, locations, placed


@settings(max_examples=200, deadline=None)
@given(feasible_split_orders())
def test_property_a_feasible_split_order_is_allocated_exactly(
    scenario: tuple[AllocationRequest, list[Location], Availability],
) -> None:
    request, locations, available = scenario
    result = allocate(request, locations, available)
    assert isinstance(result, Allocation)
    assert_exact_and_within_stock(result, request, locations, available)


@settings(max_examples=200, deadline=None)
@given(scenarios())
def test_property_a_feasible_order_is_never_a_shortfall(
    scenario: tuple[AllocationRequest, list[Location], Availability],
) -> None:
    request, locations, available = scenario
    codes = usable(request, locations)
    splits = request.split_allowed and request.strategy is not Strategy.PICKUP_STORE
    feasible = (
        all(
            sum(max(0, available.get((ln.sku, c), 0)) for c in codes) >= ln.quantity
            for ln in request.lines
        )
        if splits
        else any(
            all(available.get((ln.sku, c), 0) >= ln.quantity for ln in request.lines) for c in codes
        )
    )
    assert isinstance(allocate(request, locations, available), Allocation) is feasible


@settings(max_examples=100, deadline=None)
@given(scenarios(), st.randoms(use_true_random=False))
def test_property_the_order_locations_are_listed_in_does_not_matter(
    scenario: tuple[AllocationRequest, list[Location], Availability], rng: random.Random
) -> None:
    request, locations, available = scenario
    shuffled = list(locations)
    rng.shuffle(shuffled)
    assert allocate(request, shuffled, available) == allocate(request, locations, available)
