"""The demo purchase histories: deterministic, inside the window, consistent with the catalog,
the people and the stores, and shaped like real buying (few loyal buyers, many one-off)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from itertools import islice
from zoneinfo import ZoneInfo

import pytest

from mostrador.core.workspaces.hours import Schedule, build_schedule, is_open
from mostrador.demo.business import DEMO_BUSINESS, year_end_closures
from mostrador.demo.calendar import sales_moments, window
from mostrador.demo.catalog_plan import DEMO_CATALOG
from mostrador.demo.population import Person, generate_people
from mostrador.demo.purchases import (
    RETURN_WINDOW,
    PlannedLine,
    PlannedOrder,
    PlannedPayment,
    PurchaseHistory,
    StatusChange,
    plan_purchases,
)

END = date(2025, 12, 31)
START, _ = window(24, END)
ZONE = ZoneInfo(DEMO_BUSINESS.time_zone)
END_UTC = datetime.combine(END, time(23, 59, 59), tzinfo=ZONE).astimezone(UTC)
STORES = {store.code for store in DEMO_BUSINESS.stores}
ONLINE = ("web", "whatsapp", "instagram", "phone", "marketplace")
NEXT_STATUS = {
    "counter": ("placed", "paid", "collected"),
    "pickup": ("placed", "paid", "ready_for_pickup", "collected"),
    "ship": ("placed", "paid", "shipped", "delivered"),
}


@pytest.fixture(scope="module")
def people() -> list[Person]:
    return list(generate_people(2000, 24, 42, end=END))


@pytest.fixture(scope="module")
def histories(people: list[Person]) -> list[PurchaseHistory]:
    return list(plan_purchases(people, DEMO_CATALOG, start=START, end=END, seed=42))


@pytest.fixture(scope="module")
def orders(histories: list[PurchaseHistory]) -> list[PlannedOrder]:
    return [order for history in histories for order in history.orders]


@pytest.fixture(scope="module")
def schedules() -> dict[str, Schedule]:
    return {
        store.code: build_schedule(
            time_zone=DEMO_BUSINESS.time_zone,
            opening_hours=store.opening_hours,
            country=DEMO_BUSINESS.country,
            subdivision=store.holiday_subdivision,
            closures=[c for y in (2023, 2024, 2025) for c in year_end_closures(store, y)],
        )
        for store in DEMO_BUSINESS.stores
    }


def at(year: int, month: int, day: int, hour: int, minute: int, second: int) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


# --- determinism --------------------------------------------------------------------------


def test_the_first_buyers_first_order_is_exactly_this(histories: list[PurchaseHistory]) -> None:
    placed = at(2024, 1, 29, 16, 43, 14)
    assert histories[0].orders[0] == PlannedOrder(
        person_number=0,
        placed_at=placed,
        channel="pos",
        fulfillment="counter",
        location_code="PAL",
        lines=(PlannedLine("PAN-JRE-NEG-42", 1), PlannedLine("CAM-FRA-CUR-L", 1)),
        payments=(PlannedPayment("debit_card", Decimal(1)),),
        status_path=(
            StatusChange("placed", placed),
            StatusChange("paid", placed),
            StatusChange("collected", placed),
        ),
    )


def test_a_counter_buyer_comes_back_to_the_same_store(
    histories: list[PurchaseHistory], people: list[Person]
) -> None:
    history = histories[3]
    assert people[3].channels == ("store",)
    assert [(o.placed_at, o.channel, o.location_code) for o in history.orders] == [
        (at(2025, 11, 7, 19, 48, 23), "pos", "PAL"),
        (at(2025, 12, 13, 19, 37, 26), "pos", "PAL"),
    ]
    assert [o.lines for o in history.orders] == [
        (PlannedLine("CAM-LIN-OLI-L", 1),),
        (PlannedLine("REM-MLA-GRM-L", 1),),
    ]
    assert [o.payments[0].method for o in history.orders] == ["debit_card", "cash"]


def test_the_same_seed_gives_the_same_histories(
    people: list[Person], histories: list[PurchaseHistory]
) -> None:
    again = list(plan_purchases(people[:300], DEMO_CATALOG, start=START, end=END, seed=42))
    assert again == histories[:300]


def test_a_persons_history_does_not_depend_on_who_else_is_planned(
    people: list[Person], histories: list[PurchaseHistory]
) -> None:
    alone = list(plan_purchases(people[500:600], DEMO_CATALOG, start=START, end=END, seed=42))
    assert alone == histories[500:600]


def test_another_seed_gives_other_histories(
    people: list[Person], histories: list[PurchaseHistory]
) -> None:
    other = list(plan_purchases(people[:300], DEMO_CATALOG, start=START, end=END, seed=43))
    assert [h.person_number for h in other] == list(range(300))
    assert other != histories[:300]


def test_people_are_read_one_at_a_time(people: list[Person]) -> None:
    def three_then_fail() -> Iterator[Person]:
        yield from people[:3]
        raise AssertionError("read past what was asked for")

    planned = plan_purchases(three_then_fail(), DEMO_CATALOG, start=START, end=END, seed=42)
    assert [h.person_number for h in islice(planned, 3)] == [0, 1, 2]


def test_an_end_before_the_start_is_refused() -> None:
    with pytest.raises(ValueError, match="end before it starts"):
        next(plan_purchases([], DEMO_CATALOG, start=END, end=START, seed=1))


# --- the window ---------------------------------------------------------------------------


def test_no_order_before_first_seen_or_after_the_end(
    people: list[Person], histories: list[PurchaseHistory]
) -> None:
    for person, history in zip(people, histories, strict=True):
        assert history.person_number == person.number
        times = [o.placed_at for o in history.orders]
        assert times == sorted(times)
        assert len({t.astimezone(ZONE).date() for t in times}) == len(times)  # one a day at most
        for order in history.orders:
            assert order.placed_at.tzinfo is not None
            assert person.first_seen <= order.placed_at <= END_UTC
            assert order.person_number == person.number


def test_a_later_start_keeps_every_order_inside_the_window(people: list[Person]) -> None:
    start = date(2025, 7, 1)
    late = list(plan_purchases(people[:400], DEMO_CATALOG, start=start, end=END, seed=42))
    opening = datetime.combine(start, time(0), tzinfo=ZONE)
    placed = [o.placed_at for h in late for o in h.orders]
    assert len(placed) == 245
    assert min(placed) >= opening


def test_nobody_buys_in_a_window_that_ends_before_they_are_seen(people: list[Person]) -> None:
    early = list(plan_purchases(people[:200], DEMO_CATALOG, start=START, end=START, seed=42))
    seen_later = [p.number for p in people[:200] if p.first_seen.astimezone(ZONE).date() > START]
    assert all(early[n].orders == () for n in seen_later)


# --- what was bought ---------------------------------------------------------------------


def test_lines_name_catalog_skus_once_each_with_positive_quantities(
    orders: list[PlannedOrder],
) -> None:
    for order in orders:
        skus = [line.sku for line in order.lines]
        assert 1 <= len(skus) <= 4
        assert len(set(skus)) == len(skus)
        assert all(DEMO_CATALOG.has(sku) for sku in skus)
        assert all(1 <= line.quantity <= 6 for line in order.lines)


def test_a_person_buys_clothes_mostly_in_one_size(histories: list[PurchaseHistory]) -> None:
    """Gifts aside, everything sized a person buys is in their own size."""
    own_size_share = []
    for history in histories:
        sizes = Counter(
            (product.size_system, DEMO_CATALOG.variant(line.sku).size)
            for order in history.orders
            for line in order.lines
            if (product := DEMO_CATALOG.product_of(line.sku)).size_system
            in ("tops", "bottoms", "shoes")
        )
        by_system = Counter(system for system, _ in sizes.elements())
        if sum(by_system.values()) >= 3:
            usual = sum(max(n for (s, _), n in sizes.items() if s == sys) for sys in by_system)
            own_size_share.append(usual / sum(by_system.values()))
    assert len(own_size_share) == 344
    assert round(sum(own_size_share) / len(own_size_share), 3) == 0.915


def test_payments_share_the_whole_order(orders: list[PlannedOrder]) -> None:
    for order in orders:
        assert sum(p.share for p in order.payments) == Decimal(1)
        assert all(Decimal(0) < p.share <= Decimal(1) for p in order.payments)
        for payment in order.payments:
            assert payment.instalments in ((1, 3, 6) if payment.method == "card" else (1,))
        if order.fulfillment == "ship":
            assert all(p.method != "cash" for p in order.payments)
        if order.channel == "marketplace":
            assert [p.method for p in order.payments] == ["mercado_pago"]
    assert sum(len(o.payments) == 2 for o in orders) == 106


# --- where and how --------------------------------------------------------------------------


def test_orders_come_through_the_persons_own_channels(
    people: list[Person], histories: list[PurchaseHistory]
) -> None:
    for person, history in zip(people, histories, strict=True):
        kinds = {i.kind for i in person.identifiers}
        allowed = {{"store": "pos", "email": "web"}.get(str(c), str(c)) for c in person.channels}
        if kinds & {"phone", "whatsapp_id"}:
            allowed.add("phone")
        if "email" in kinds:
            allowed.add("marketplace")
        for order in history.orders:
            assert order.channel in allowed, (person.channels, order.channel)


def test_counter_sales_and_pickups_happen_at_the_home_store_while_open(
    people: list[Person], orders: list[PlannedOrder], schedules: dict[str, Schedule]
) -> None:
    warehouse = next(loc.code for loc in DEMO_BUSINESS.locations if loc.kind == "warehouse")
    for order in orders:
        home = people[order.person_number].home_store
        if order.channel == "pos":
            assert (order.fulfillment, order.location_code) == ("counter", home)
            assert is_open(schedules[home], order.placed_at)
        elif order.fulfillment == "pickup":
            assert order.location_code == home
            assert order.cancelled or all(
                is_open(schedules[home], s.at) for s in order.status_path[2:]
            )
        else:
            assert order.fulfillment == "ship"
            assert order.location_code in (warehouse, home)


def test_every_order_moves_along_its_fulfilment_path(orders: list[PlannedOrder]) -> None:
    for order in orders:
        path = order.status_path
        assert path[0] == StatusChange("placed", order.placed_at)
        assert [s.at for s in path] == sorted(s.at for s in path)
        assert all(s.at <= END_UTC for s in path)
        statuses = tuple(s.status for s in path)
        if order.cancelled:
            assert order.channel in ONLINE
            assert statuses[:-1] == ("placed", "paid")
        else:
            assert statuses == NEXT_STATUS[order.fulfillment][: len(statuses)]


def test_only_the_last_days_orders_are_still_on_their_way(orders: list[PlannedOrder]) -> None:
    in_flight = [o for o in orders if o.status not in ("collected", "delivered", "cancelled")]
    assert Counter(o.status for o in in_flight) == {
        "shipped": 5,
        "ready_for_pickup": 4,
        "paid": 3,
    }
    assert all(o.placed_at > END_UTC - timedelta(days=12) for o in in_flight)


# --- returns ------------------------------------------------------------------------------


def test_returns_come_within_30_days_to_any_store_and_only_what_was_bought(
    orders: list[PlannedOrder], schedules: dict[str, Schedule]
) -> None:
    for order in orders:
        for returned in order.returns:
            assert order.status in ("collected", "delivered")
            assert order.status_path[-1].at < returned.at <= order.placed_at + RETURN_WINDOW
            assert returned.at <= END_UTC
            assert returned.location_code in STORES
            assert is_open(schedules[returned.location_code], returned.at)
            bought = {line.sku: line.quantity for line in order.lines}
            for line in returned.lines:
                assert 1 <= line.quantity <= bought[line.sku]
                assert not DEMO_CATALOG.variant(line.sku).final_sale


def test_some_returns_are_brought_to_the_other_store(
    people: list[Person], orders: list[PlannedOrder]
) -> None:
    returns = [(o, r) for o in orders for r in o.returns]
    elsewhere = [r for o, r in returns if r.location_code != people[o.person_number].home_store]
    assert (len(returns), len(elsewhere)) == (250, 45)


# --- the shape of the whole ---------------------------------------------------------------


def test_most_buyers_buy_once_and_a_few_often(histories: list[PurchaseHistory]) -> None:
    counts = Counter(len(h.orders) for h in histories)
    assert {
        "none": counts[0],
        "once": counts[1],
        "twice": counts[2],
        "3 to 5": counts[3] + counts[4] + counts[5],
        "6 or more": sum(n for k, n in counts.items() if k >= 6),
    } == {"none": 338, "once": 907, "twice": 395, "3 to 5": 284, "6 or more": 76}
    assert max(counts) == 22


def test_channels_fulfilment_returns_and_cancellations(orders: list[PlannedOrder]) -> None:
    assert len(orders) == 3350
    assert Counter(o.channel for o in orders) == {
        "pos": 1517,
        "web": 895,
        "whatsapp": 562,
        "instagram": 287,
        "phone": 55,
        "marketplace": 34,
    }
    assert Counter(o.fulfillment for o in orders) == {"counter": 1517, "ship": 1297, "pickup": 536}
    assert sum(o.cancelled for o in orders) == 45  # 2.5 % of the 1,833 online orders
    assert sum(bool(o.returns) for o in orders) == 250  # 7.5 %


def test_december_and_the_online_sales_days_are_busiest(orders: list[PlannedOrder]) -> None:
    by_month = Counter(o.placed_at.astimezone(ZONE).month for o in orders)
    assert by_month.most_common(1) == [(12, 539)]
    assert by_month[12] > 2.5 * by_month[1]
    sale_days = {
        m.start + timedelta(days=i)
        for year in (2024, 2025)
        for m in sales_moments(year)
        if m.name in ("Hot Sale", "CyberMonday")
        for i in range((m.end - m.start).days + 1)
    }
    online_days = Counter(
        o.placed_at.astimezone(ZONE).date() for o in orders if o.channel in ONLINE
    )
    on_sale = sum(online_days[d] for d in sale_days) / len(sale_days)
    ordinary = sum(n for d, n in online_days.items() if d not in sale_days) / (730 - 12)
    assert round(on_sale, 2) == 8.33
    assert round(ordinary, 2) == 2.41
    assert on_sale > 2 * ordinary
