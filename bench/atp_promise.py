"""Available-to-promise and the delivery promise for a 10-line order across 20 locations.

    .venv/bin/python bench/atp_promise.py [--repetitions 5000] [--seed 1]

Builds 20 locations around Buenos Aires (stores with split shifts and Saturdays, warehouses
Monday to Friday, all on the Argentine holiday calendar), then times, for order instants
spread over 2026: per-location ATP + promise for shipping and for pickup, and allocation of
a bulk order that has to be split (nearest_full) + the promise of its parts. Prints p50/p99
in µs; the target is < 5 ms (5,000 µs).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from datetime import time as clock

from mostrador.commerce.allocation import (
    Allocation,
    AllocationRequest,
    Coordinates,
    Location,
    LocationKind,
    OrderLine,
    Strategy,
    allocate,
)
from mostrador.commerce.promise import (
    FulfilmentMode,
    FulfilmentSite,
    TransitRange,
    promise_by_location,
    promise_delivery,
)
from mostrador.core.workspaces.hours import build_schedule

AR = "America/Argentina/Buenos_Aires"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
STORE_HOURS = {
    **{day: ["10:00-13:00", "16:00-20:00"] for day in WEEKDAYS},
    "sat": ["10:00-14:00"],
}
WAREHOUSE_HOURS = {day: ["08:00-18:00"] for day in WEEKDAYS}


def build_network(
    rng: random.Random,
) -> tuple[list[Location], dict[str, FulfilmentSite], dict[tuple[str, str], int], list[str]]:
    skus = [f"SKU-{i:03d}" for i in range(10)]
    locations, sites, stock = [], {}, {}
    for i in range(20):
        is_store = i < 14
        code = f"{'TIENDA' if is_store else 'DEPO'}-{i:02d}"
        where = Coordinates(-34.6 + rng.uniform(-0.3, 0.3), -58.45 + rng.uniform(-0.3, 0.3))
        kind = LocationKind.STORE if is_store else LocationKind.WAREHOUSE
        locations.append(Location(code, kind, where, can_ship=True, can_pickup=is_store))
        stocktake = {"date": "2026-07-20", "hours": [], "reason": "inventario"}
        closures = [stocktake] if i % 5 == 0 else []
        schedule = build_schedule(
            time_zone=AR,
            opening_hours=STORE_HOURS if is_store else WAREHOUSE_HOURS,
            country="AR",
            closures=closures,
        )
        sites[code] = FulfilmentSite(
            code,
            schedule,
            cutoff=clock(18 if is_store else 14),
            handling_days=1 if is_store else 0,
            transit=TransitRange(1, 3 + i % 3),
            preparation=timedelta(minutes=30 + 15 * (i % 4)),
        )
        for sku in skus:
            # Most locations hold the whole order, so most offers need a promise (the worst
            # case); every fourth one lacks a SKU.
            stock[(sku, code)] = rng.choice([4, 6, 9, 12])
        if i % 4 == 3:
            stock[(rng.choice(skus), code)] = 0
    return locations, sites, stock, skus


def percentiles(samples_ns: list[int]) -> tuple[float, float]:
    cuts = statistics.quantiles(samples_ns, n=100, method="inclusive")
    return cuts[49] / 1000, cuts[98] / 1000


def timed(run: Callable[[datetime], object], instants: list[datetime]) -> list[int]:
    samples = []
    for moment in instants:
        start = time.perf_counter_ns()
        run(moment)
        samples.append(time.perf_counter_ns() - start)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repetitions", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    locations, sites, stock, skus = build_network(rng)
    lines = [OrderLine(sku, rng.randint(1, 4)) for sku in skus]
    customer = Coordinates(-34.5627, -58.4563)
    year_start = datetime(2026, 1, 1, 3, 0, tzinfo=UTC)
    minutes_in_year = 365 * 24 * 60
    instants = [
        year_start + timedelta(minutes=rng.randrange(minutes_in_year))
        for _ in range(args.repetitions)
    ]
    # 25 units a line: no location holds that many, so the allocation splits.
    bulk = tuple(OrderLine(sku, 25) for sku in skus)
    request = AllocationRequest(bulk, Strategy.NEAREST_FULL, True, customer)

    def ship_offers(moment: datetime) -> object:
        return promise_by_location(
            lines,
            locations,
            stock,
            sites,
            ordered_at=moment,
            mode=FulfilmentMode.SHIP,
            destination=customer,
        )

    def pickup_offers(moment: datetime) -> object:
        return promise_by_location(
            lines,
            locations,
            stock,
            sites,
            ordered_at=moment,
            mode=FulfilmentMode.PICKUP,
            destination=customer,
        )

    def allocate_and_promise(moment: datetime) -> object:
        result = allocate(request, locations, stock)
        if not isinstance(result, Allocation) or not result.is_split:
            raise SystemExit("the benchmark's bulk order should be allocated split")
        return promise_delivery(moment, [sites[p.location_code] for p in result.parts])

    full = sum(all(stock[(ln.sku, loc.code)] >= ln.quantity for ln in lines) for loc in locations)
    print(f"10 lines, 20 locations ({full} can serve the whole order), {args.repetitions} orders")
    for name, run in [
        ("ATP + promise per location, ship", ship_offers),
        ("ATP + promise per location, pickup", pickup_offers),
        ("allocate (split) + delivery promise", allocate_and_promise),
    ]:
        timed(run, instants[:200])  # warm-up: holiday tables and zone caches
        p50, p99 = percentiles(timed(run, instants))
        print(f"{name:<38} p50 {p50:8.1f} µs   p99 {p99:8.1f} µs")


if __name__ == "__main__":
    main()
