"""What the demo customers bought: each person's orders, payments, deliveries and returns.

Pure and deterministic: a person's history depends only on ``seed``, the person and the
window, drawn from ``random.Random`` seeded with both (never the global generator or the
clock), so it does not change when other people are added. Histories are made one person
at a time, so 100,000 customers take no more memory than one.

The buying follows the model the analytics fit (BG/NBD with Gamma-Gamma spend):

- each buyer purchases at a rate λ ~ Gamma(r, α) per day, modulated by the retail
  calendar (more in December and on Hot Sale, CyberMonday, Día de la Madre...);
- after every purchase the buyer stops for good with probability p ~ Beta(a, b);
- each buyer has a typical basket: order targets z ~ Gamma(shape, ν), ν ~ Gamma(q, γ),
  filled with 1 to 4 catalog SKUs in the buyer's sizes (so real totals track the target).

Time and channel shape the rest: the first order happens where the person was first seen
(at the counter of the home store, on the web shop, a little after a first chat), later
ones on any channel the person uses by then; pickups go to the home store, shipments
leave from the warehouse or the store; about 7 % of orders come back, at any store,
within 30 days, and about 2 % of online orders are cancelled. Nothing happens after
``end``: orders still in flight then keep the statuses they had reached.
"""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from itertools import accumulate
from math import ceil
from typing import Literal, TypeVar
from zoneinfo import ZoneInfo

from mostrador.core.workspaces.hours import build_schedule, hours_on
from mostrador.demo.business import DEMO_BUSINESS, LocationPlan, year_end_closures
from mostrador.demo.calendar import seasonal_weight
from mostrador.demo.catalog_plan import SIZE_CURVES, CatalogPlan, ProductPlan, VariantPlan
from mostrador.demo.population import Channel, Person

OrderChannel = Literal[
    "pos", "web", "whatsapp", "instagram", "messenger", "telegram", "phone", "marketplace"
]
Fulfillment = Literal["counter", "pickup", "ship"]
PaymentMethod = Literal["cash", "debit_card", "card", "transfer", "mercado_pago"]
OrderStatus = Literal[
    "placed", "paid", "ready_for_pickup", "collected", "shipped", "delivered", "cancelled"
]

__all__ = [
    "DEMO_BEHAVIOUR",
    "RETURN_WINDOW",
    "BuyingBehaviour",
    "Fulfillment",
    "OrderChannel",
    "OrderStatus",
    "PaymentMethod",
    "PlannedLine",
    "PlannedOrder",
    "PlannedPayment",
    "PlannedReturn",
    "PurchaseHistory",
    "StatusChange",
    "plan_purchases",
]

T = TypeVar("T")

RETURN_WINDOW = timedelta(days=30)


# --- what comes out ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlannedLine:
    sku: str
    quantity: int


@dataclass(frozen=True, slots=True)
class PlannedPayment:
    """One payment of an order: its share of the total (the shares add up to exactly 1)."""

    method: PaymentMethod
    share: Decimal
    instalments: int = 1  # cuotas, for ``card``


@dataclass(frozen=True, slots=True)
class StatusChange:
    status: OrderStatus
    at: datetime


@dataclass(frozen=True, slots=True)
class PlannedReturn:
    """Units brought back to a store (any store, not only where they were bought)."""

    at: datetime
    location_code: str
    lines: tuple[PlannedLine, ...]


@dataclass(frozen=True, slots=True)
class PlannedOrder:
    """One order as it happened (``returns`` holds at most one return).

    ``location_code`` is the store of a counter sale or pickup, or where a shipment
    leaves from. ``status_path`` starts with ``placed`` at ``placed_at``; its last entry
    is the order's status at the end of the window.
    """

    person_number: int
    placed_at: datetime  # aware, UTC
    channel: OrderChannel
    fulfillment: Fulfillment
    location_code: str
    lines: tuple[PlannedLine, ...]
    payments: tuple[PlannedPayment, ...]
    status_path: tuple[StatusChange, ...]
    returns: tuple[PlannedReturn, ...] = ()

    @property
    def status(self) -> OrderStatus:
        return self.status_path[-1].status

    @property
    def cancelled(self) -> bool:
        return self.status == "cancelled"


@dataclass(frozen=True, slots=True)
class PurchaseHistory:
    """A person's orders in time order (none for people who never bought)."""

    person_number: int
    orders: tuple[PlannedOrder, ...]


@dataclass(frozen=True, slots=True)
class BuyingBehaviour:
    """The true parameters of the buying model, in days and ARS (for checking a CLV fit).

    λ ~ Gamma(shape=rate_shape, rate=rate_scale_days); p ~ Beta(dropout_a, dropout_b);
    order target ~ Gamma(shape=spend_shape, rate=ν), ν ~ Gamma(shape=spend_scale_shape,
    rate=spend_scale_rate), so a buyer's mean target is spend_shape / ν.
    """

    rate_shape: float = 0.5
    rate_scale_days: float = 120.0
    dropout_a: float = 0.8
    dropout_b: float = 2.6
    spend_shape: float = 6.0
    spend_scale_shape: float = 3.5
    spend_scale_rate: float = 25_000.0


DEMO_BEHAVIOUR = BuyingBehaviour()


# --- tables -------------------------------------------------------------------------------

# Share of people who end up buying, by how they first reached the shop.
_BUYER_SHARE: dict[Channel, float] = {
    "store": 0.93,
    "web": 0.88,
    "whatsapp": 0.72,
    "instagram": 0.6,
    "email": 0.55,
}
_ORDER_CHANNEL: dict[Channel, OrderChannel] = {
    "store": "pos",
    "web": "web",
    "whatsapp": "whatsapp",
    "instagram": "instagram",
    "email": "web",  # people who write an e-mail buy on the web shop
}
_PHONE_ORDERS = 0.05  # weight of calling the store, for people who gave a phone
_MARKETPLACE_ORDERS = 0.04  # weight of buying through the marketplace, for people with e-mail
# Web shoppers fill bigger carts (free shipping over a threshold); at the till less.
_BASKET_FACTOR: dict[OrderChannel, float] = {
    "pos": 0.9,
    "web": 1.15,
    "whatsapp": 1.0,
    "instagram": 0.95,
    "phone": 1.1,
    "marketplace": 0.85,
}
_CANCELLED_SHARE = 0.025  # of online orders
_RETURN_SHARE: dict[Fulfillment, float] = {"counter": 0.05, "pickup": 0.08, "ship": 0.105}
# Share of shipments sent by the buyer's store instead of the warehouse: Pilar is next door
# to Buenos Aires, while Córdoba's own region is served faster from the Córdoba store.
_SHIP_FROM_STORE = {"PAL": 0.12, "CBA": 0.4}
_RETURN_ELSEWHERE = 0.2  # returns brought to a store other than the home store
_GIFT_SHARE = 0.12  # clothing bought for someone else, in another size

# Local hour → share of online orders: late evenings are busiest.
_NIGHT_HOURS = (3, 1.5, 0.8, 0.4, 0.3, 0.4, 0.9, 2)  # 00:00 to 07:59
_DAY_HOURS = (3.5, 4.5, 5, 5, 5, 5, 5, 5, 5, 5.5, 6, 6.5, 7.5, 8, 7, 5)  # 08:00 to 23:59
_ONLINE_HOURS = tuple((hour, float(w)) for hour, w in enumerate(_NIGHT_HOURS + _DAY_HOURS))

_PAYMENTS: dict[OrderChannel, tuple[tuple[PaymentMethod, float], ...]] = {
    "pos": (("cash", 20), ("debit_card", 27), ("card", 33), ("mercado_pago", 16), ("transfer", 4)),
    "web": (("card", 52), ("mercado_pago", 33), ("transfer", 11), ("debit_card", 4)),
    "whatsapp": (("transfer", 46), ("mercado_pago", 38), ("card", 12), ("cash", 4)),
    "instagram": (("transfer", 44), ("mercado_pago", 42), ("card", 10), ("cash", 4)),
    "phone": (("transfer", 40), ("card", 35), ("mercado_pago", 20), ("cash", 5)),
    "marketplace": (("mercado_pago", 1),),
}
_SPLIT_AT_THE_TILL = 0.07
_INSTALMENTS = (
    (Decimal(40_000), ((1, 70.0), (3, 30.0))),
    (Decimal(120_000), ((1, 40.0), (3, 40.0), (6, 20.0))),
    (Decimal("Infinity"), ((1, 20.0), (3, 35.0), (6, 45.0))),
)

_DEPARTMENT_LEAN = (3.0, 1.2)  # Beta: most buyers come for clothes, some mostly for the home
_CATEGORY_WEIGHT: dict[str, float] = {
    "remeras": 22,
    "pantalones": 18,
    "camisas": 10,
    "buzos": 10,
    "tejidos": 5,
    "camperas": 9,
    "calzado": 12,
    "accesorios": 12,
    "mallas": 3,
    "blanquería": 35,
    "bazar": 30,
    "deco": 22,
    "iluminación": 13,
}
_OTHER = {"ropa": "casa", "casa": "ropa"}
_WINTER = (0.3, 0.3, 0.6, 1.1, 1.5, 1.7, 1.7, 1.3, 0.8, 0.5, 0.3, 0.4)
_SUMMER = (1.6, 1.4, 1.0, 0.7, 0.5, 0.4, 0.4, 0.5, 0.8, 1.1, 1.4, 1.7)
_GIFTS = (0.9, 0.9, 1.0, 0.9, 1.0, 1.0, 0.9, 1.0, 1.0, 1.2, 1.1, 1.6)
_SEASON: dict[str, tuple[float, ...]] = {
    "buzos": _WINTER,
    "tejidos": _WINTER,
    "camperas": _WINTER,
    "remeras": _SUMMER,
    "mallas": (2.2, 1.5, 0.6, 0.2, 0.1, 0.1, 0.1, 0.1, 0.3, 0.8, 1.6, 2.4),
    "blanquería": (0.9, 0.9, 1.0, 1.0, 1.1, 1.1, 1.1, 1.0, 1.0, 1.4, 1.1, 1.3),
    "bazar": _GIFTS,
    "deco": _GIFTS,
    "iluminación": _GIFTS,
}
# Cities close enough to a store for click & collect to be worth it.
_NEAR_A_STORE = frozenset(
    {
        "Ciudad Autónoma de Buenos Aires",
        "Vicente López",
        "San Isidro",
        "Tigre",
        "Pilar",
        "Morón",
        "La Matanza",
        "Quilmes",
        "Lanús",
        "Avellaneda",
        "Córdoba",
    }
)


def _weighted(rng: random.Random, options: Sequence[tuple[T, float]]) -> T:
    point = rng.random() * sum(weight for _, weight in options)
    for value, weight in options:
        point -= weight
        if point < 0:
            return value
    return options[-1][0]


# --- the calendar of the window -----------------------------------------------------------


class _Days:
    """The window's local days: how busy each is, per store and online, and store hours."""

    def __init__(self, start: date, end: date, stores: Sequence[LocationPlan]) -> None:
        self.zone = ZoneInfo(DEMO_BUSINESS.time_zone)
        self.start = start
        self.count = (end - start).days + 1
        days = [start + timedelta(days=i) for i in range(self.count)]
        self.epoch = self.utc(start, 0)
        self.end_utc = self.utc(end + timedelta(days=1), 0) - timedelta(seconds=1)
        years = range(start.year - 1, end.year + 2)
        self.open_minutes: dict[str, list[tuple[tuple[int, int], ...]]] = {}
        busy: dict[str, list[float]] = {"online": [seasonal_weight(d, online=True) for d in days]}
        for store in stores:
            schedule = build_schedule(
                time_zone=DEMO_BUSINESS.time_zone,
                opening_hours=store.opening_hours,
                country=DEMO_BUSINESS.country,
                subdivision=store.holiday_subdivision,
                closures=[c for year in years for c in year_end_closures(store, year)],
            )
            spans = [
                tuple((_minute(a), _minute(b)) for a, b in hours_on(schedule, d).spans)
                for d in days
            ]
            self.open_minutes[store.code] = spans
            busy[store.code] = [
                seasonal_weight(d) if open_ else 0.0 for d, open_ in zip(days, spans, strict=True)
            ]
        # Each series averages 1 over the window, so a buyer's λ is kept on average.
        self.busy = {key: _normalised(series) for key, series in busy.items()}
        self.peak = max(max(series) for series in self.busy.values())

    def utc(self, day: date, minute: int, second: int = 0) -> datetime:
        local = datetime.combine(day, time(minute // 60, minute % 60, second), tzinfo=self.zone)
        return local.astimezone(UTC)

    def index(self, moment: datetime) -> int:
        return (moment.astimezone(self.zone).date() - self.start).days

    def day(self, index: int) -> date:
        return self.start + timedelta(days=index)

    def at_store(self, rng: random.Random, store: str, index: int) -> datetime | None:
        """A moment when ``store`` is open on day ``index``; None if it is closed."""
        spans = self.open_minutes[store][index]
        total = sum(b - a for a, b in spans)
        if total <= 0:
            return None
        point = rng.randrange(total)
        for a, b in spans:
            if point < b - a:
                return self.utc(self.day(index), a + point, rng.randrange(60))
            point -= b - a
        raise AssertionError("unreachable: the point falls in a span")

    def next_open(self, store: str, index: int) -> int | None:
        """The first day from ``index`` on when ``store`` opens, within the window."""
        for i in range(max(index, 0), self.count):
            if self.open_minutes[store][i]:
                return i
        return None

    def online(self, rng: random.Random, index: int) -> datetime:
        hour = _weighted(rng, _ONLINE_HOURS)
        return self.utc(self.day(index), hour * 60 + rng.randrange(60), rng.randrange(60))


def _minute(moment: time) -> int:
    return 24 * 60 if moment == time.max else moment.hour * 60 + moment.minute


def _normalised(series: list[float]) -> list[float]:
    mean = sum(series) / len(series)
    return [w / mean for w in series] if mean > 0 else series


# --- the shelves: the catalog arranged for picking -------------------------------------------


@dataclass(frozen=True, slots=True)
class _Category:
    name: str
    products: tuple[ProductPlan, ...]  # cheapest first
    prices: tuple[Decimal, ...]  # each product's lowest price
    popularity: tuple[float, ...]  # cumulative


class _Shelves:
    def __init__(self, catalog: CatalogPlan) -> None:
        grouped: dict[str, dict[str, list[ProductPlan]]] = {"ropa": {}, "casa": {}}
        for product in catalog.products:
            grouped[product.department].setdefault(product.category, []).append(product)
        self.departments: dict[str, tuple[_Category, ...]] = {}
        for department, categories in grouped.items():
            shelf = []
            for name, products in categories.items():
                ordered = tuple(sorted(products, key=lambda p: p.lowest_price))
                shelf.append(
                    _Category(
                        name,
                        ordered,
                        tuple(p.lowest_price for p in ordered),
                        tuple(accumulate(p.popularity for p in ordered)),
                    )
                )
            self.departments[department] = tuple(shelf)
        self.months: dict[tuple[str, int], tuple[tuple[_Category, float], ...]] = {
            (department, month): tuple(
                (c, _CATEGORY_WEIGHT.get(c.name, 5) * _SEASON.get(c.name, (1.0,) * 12)[month - 1])
                for c in shelf
            )
            for department, shelf in self.departments.items()
            for month in range(1, 13)
        }

    def product(self, rng: random.Random, category: _Category, budget: Decimal) -> ProductPlan:
        """A product of ``category`` that fits ``budget`` (a little over is fine), by popularity;
        the cheapest one when none fits."""
        fits = bisect_right(category.prices, budget * Decimal("1.25"))
        if fits == 0:
            return category.products[0]
        point = rng.random() * category.popularity[fits - 1]
        return category.products[min(bisect_right(category.popularity, point), fits - 1)]


# --- one buyer ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Buyer:
    person: Person
    rate: float  # λ, purchases per day while active
    dropout: float  # p
    spend_rate: float  # ν
    clothes_share: float
    sizes: dict[str, str]  # size system → talle
    channels: tuple[tuple[OrderChannel, float, int], ...]  # (channel, weight, first day index)
    first_channel: OrderChannel


def _channel_starts(person: Person, days: _Days) -> dict[str, int]:
    """The day each of the person's channels (and phone, e-mail) was first used."""
    starts: dict[str, int] = {}
    for seen in person.identifiers:
        for key in (seen.channel, seen.kind):
            index = days.index(seen.first_seen)
            starts[key] = min(index, starts.get(key, index))
    return starts


def _order_channels(
    rng: random.Random, person: Person, days: _Days
) -> tuple[tuple[OrderChannel, float, int], ...]:
    starts = _channel_starts(person, days)
    found: dict[OrderChannel, tuple[float, int]] = {}
    for i, channel in enumerate(person.channels):
        name = _ORDER_CHANNEL[channel]
        weight = 1.0 if i == 0 else rng.uniform(0.25, 1.0)
        start = starts.get(channel, days.index(person.first_seen))
        earlier = found.get(name)
        if earlier is not None:
            weight, start = max(weight, earlier[0]), min(start, earlier[1])
        found[name] = (weight, start)
    phones = [starts[k] for k in ("phone", "whatsapp_id") if k in starts]
    if phones and "phone" not in found:
        found["phone"] = (_PHONE_ORDERS, min(phones))
    if "email" in starts and "marketplace" not in found:
        found["marketplace"] = (_MARKETPLACE_ORDERS, starts["email"])
    return tuple((name, weight, start) for name, (weight, start) in found.items())


def _sizes(rng: random.Random) -> dict[str, str]:
    """A person's talles: trousers follow the top size, shoes are their own."""
    tops = [size for size, _ in SIZE_CURVES["tops"]]
    bottoms = [size for size, _ in SIZE_CURVES["bottoms"]]
    top = _weighted(rng, SIZE_CURVES["tops"])
    step = tops.index(top) + rng.choice((0, 1))
    return {
        "tops": top,
        "bottoms": bottoms[min(step, len(bottoms) - 1)],
        "shoes": _weighted(rng, SIZE_CURVES["shoes"]),
        "one_size": "U",
    }


def _buyer(rng: random.Random, person: Person, days: _Days, model: BuyingBehaviour) -> _Buyer:
    return _Buyer(
        person=person,
        rate=rng.gammavariate(model.rate_shape, 1 / model.rate_scale_days),
        dropout=rng.betavariate(model.dropout_a, model.dropout_b),
        spend_rate=rng.gammavariate(model.spend_scale_shape, 1 / model.spend_scale_rate),
        clothes_share=rng.betavariate(*_DEPARTMENT_LEAN),
        sizes=_sizes(rng),
        channels=_order_channels(rng, person, days),
        first_channel=_ORDER_CHANNEL[person.channels[0]],
    )


# --- the planner --------------------------------------------------------------------------


class _Planner:
    def __init__(
        self, catalog: CatalogPlan, start: date, end: date, seed: int, model: BuyingBehaviour
    ) -> None:
        self.stores = tuple(loc.code for loc in DEMO_BUSINESS.stores)
        self.warehouse = next(
            loc.code for loc in DEMO_BUSINESS.locations if loc.kind == "warehouse"
        )
        self.days = _Days(start, end, DEMO_BUSINESS.stores)
        self.shelves = _Shelves(catalog)
        self.final_sale = frozenset(v.sku for v in catalog.variants() if v.final_sale)
        self.seed = seed
        self.model = model

    def history(self, person: Person) -> PurchaseHistory:
        rng = random.Random(f"{self.seed}:{person.number}")
        buys = rng.random() < _BUYER_SHARE[person.channels[0]]
        buyer = _buyer(rng, person, self.days, self.model)
        if not buys or person.first_seen > self.days.end_utc:
            return PurchaseHistory(person.number, ())
        orders: list[PlannedOrder] = []
        if person.first_seen >= self.days.epoch:
            first = self._first_moment(rng, buyer)
            if first is None:
                return PurchaseHistory(person.number, ())
            orders.append(self._order(rng, buyer, first, buyer.first_channel))
            last = first
        else:  # bought before the window, if at all: only what happens inside it is told
            last = self.days.epoch - timedelta(seconds=1)
        repeats = 0
        # As in BG/NBD, the chance of stopping for good comes with each repeat purchase.
        while repeats == 0 or rng.random() >= buyer.dropout:
            following = self._next_moment(rng, buyer, last)
            if following is None:
                break
            last, channel = following
            orders.append(self._order(rng, buyer, last, channel))
            repeats += 1
        return PurchaseHistory(person.number, tuple(orders))

    # -- when --

    def _first_moment(self, rng: random.Random, buyer: _Buyer) -> datetime | None:
        """At the till or the web checkout when first seen; after a chat, a little later."""
        seen = buyer.person.first_seen
        if buyer.person.channels[0] in ("store", "web"):
            return seen
        delay = rng.expovariate(1 / 1.5)  # days
        if delay < 0.25:
            moment = seen + timedelta(minutes=10 + int(delay * 24 * 60))
        else:
            index = self.days.index(seen) + ceil(delay)
            if index >= self.days.count:
                return None
            moment = max(self.days.online(rng, index), seen + timedelta(minutes=10))
        return moment if moment <= self.days.end_utc else None

    def _next_moment(
        self, rng: random.Random, buyer: _Buyer, last: datetime
    ) -> tuple[datetime, OrderChannel] | None:
        """The next purchase after ``last`` (never on the same day), or None past the end.

        A Poisson process at λ thinned by how busy each day is on the chosen channel.
        """
        days = self.days
        if buyer.rate <= 0:
            return None
        last_index = days.index(last)
        clock = (last - days.epoch).total_seconds() / 86_400
        while True:
            clock += rng.expovariate(buyer.rate * days.peak)
            index = int(clock)
            if index >= days.count:
                return None
            usable = [(c, w) for c, w, start in buyer.channels if start < index]
            if not usable or index <= last_index:
                continue
            channel = _weighted(rng, usable)
            series = buyer.person.home_store if channel == "pos" else "online"
            if rng.random() * days.peak >= days.busy[series][index]:
                continue
            if channel == "pos":
                moment = days.at_store(rng, buyer.person.home_store, index)
                if moment is None:
                    continue
                return moment, channel
            return days.online(rng, index), channel

    # -- what --

    def _order(
        self, rng: random.Random, buyer: _Buyer, at: datetime, channel: OrderChannel
    ) -> PlannedOrder:
        person = buyer.person
        fulfillment, location = self._fulfillment(rng, person, channel)
        month = at.astimezone(self.days.zone).month
        lines, value = self._basket(rng, buyer, channel, month)
        payments = _payments(rng, channel, fulfillment, value)
        path = self._path(rng, at, fulfillment, location, payments[0].method)
        order = PlannedOrder(
            person_number=person.number,
            placed_at=at,
            channel=channel,
            fulfillment=fulfillment,
            location_code=location,
            lines=tuple(PlannedLine(sku, qty) for sku, qty in lines.items()),
            payments=payments,
            status_path=path,
        )
        returned = self._return(rng, order, person.home_store)
        return order if returned is None else replace(order, returns=(returned,))

    def _fulfillment(
        self, rng: random.Random, person: Person, channel: OrderChannel
    ) -> tuple[Fulfillment, str]:
        home = person.home_store
        if channel == "pos":
            return "counter", home
        visitor = person.country != DEMO_BUSINESS.country
        pickup = 0.5 if visitor else 0.35 if person.city in _NEAR_A_STORE else 0.04
        if channel != "marketplace" and rng.random() < pickup:
            return "pickup", home
        from_store = _SHIP_FROM_STORE.get(home, 0.25)
        return "ship", home if rng.random() < from_store else self.warehouse

    def _basket(
        self, rng: random.Random, buyer: _Buyer, channel: OrderChannel, month: int
    ) -> tuple[dict[str, int], Decimal]:
        """1 to 4 SKUs adding up to about the buyer's usual spend."""
        target = rng.gammavariate(self.model.spend_shape, 1 / buyer.spend_rate)
        target *= _BASKET_FACTOR.get(channel, 1.0)
        budget = Decimal(round(target))
        department = "ropa" if rng.random() < buyer.clothes_share else "casa"
        lines: dict[str, int] = {}
        value = Decimal(0)
        while len(lines) < 4:
            shelf = (
                self.shelves.months[(department, month)]
                or self.shelves.months[(_OTHER[department], month)]
            )
            category = _weighted(rng, shelf)
            product = self.shelves.product(rng, category, budget)
            if lines and product.lowest_price > budget * Decimal("1.25"):
                break
            variant = _variant(rng, product, buyer.sizes, budget)
            quantity = 1
            if variant.price < 25_000 and variant.price * 2 <= budget and rng.random() < 0.3:
                quantity = 2 if rng.random() < 0.75 else 3
            lines[variant.sku] = lines.get(variant.sku, 0) + quantity
            value += variant.price * quantity
            budget -= variant.price * quantity
            if budget < Decimal(round(target * 0.3)) or budget < 5_000:
                break
            if rng.random() < 0.2:
                department = _OTHER[department]
        return lines, value

    # -- afterwards --

    def _path(
        self,
        rng: random.Random,
        at: datetime,
        fulfillment: Fulfillment,
        location: str,
        method: PaymentMethod,
    ) -> tuple[StatusChange, ...]:
        if fulfillment == "counter":
            return (
                StatusChange("placed", at),
                StatusChange("paid", at),
                StatusChange("collected", at),
            )
        minutes = rng.uniform(30, 360) if method == "transfer" else rng.uniform(1, 8)
        steps = [StatusChange("placed", at), StatusChange("paid", at + timedelta(minutes=minutes))]
        if rng.random() < _CANCELLED_SHARE:
            cancel_at = steps[-1].at + timedelta(hours=rng.uniform(1, 48))
            steps.append(StatusChange("cancelled", cancel_at))
        elif fulfillment == "pickup":
            steps += self._pickup_steps(rng, steps[-1].at, location)
        else:
            steps += self._shipping_steps(rng, steps[-1].at)
        return tuple(s for s in steps if s.at <= self.days.end_utc)

    def _pickup_steps(self, rng: random.Random, paid: datetime, store: str) -> list[StatusChange]:
        days = self.days
        ready_day = days.next_open(store, days.index(paid) + 1)
        ready = None if ready_day is None else days.at_store(rng, store, ready_day)
        if ready_day is None or ready is None:
            return []
        wait = 1 + min(int(rng.expovariate(1 / 1.5)), 5)
        collect_day = days.next_open(store, ready_day + wait)
        collected = None if collect_day is None else days.at_store(rng, store, collect_day)
        steps = [StatusChange("ready_for_pickup", ready)]
        if collected is not None:
            steps.append(StatusChange("collected", collected))
        return steps

    def _shipping_steps(self, rng: random.Random, paid: datetime) -> list[StatusChange]:
        days = self.days
        index = days.index(paid) + 1
        while days.day(index).weekday() >= 5:  # dispatched on working days
            index += 1
        shipped = days.utc(days.day(index), rng.randrange(10 * 60, 17 * 60))
        index += rng.randint(1, 4)
        if days.day(index).weekday() == 6:  # no deliveries on Sundays
            index += 1
        delivered = days.utc(days.day(index), rng.randrange(9 * 60, 20 * 60))
        return [StatusChange("shipped", shipped), StatusChange("delivered", delivered)]

    def _return(self, rng: random.Random, order: PlannedOrder, home: str) -> PlannedReturn | None:
        """Some units back at a store within 30 days of the purchase; final sale never."""
        if order.status not in ("collected", "delivered"):
            return None
        if rng.random() >= _RETURN_SHARE[order.fulfillment]:
            return None
        eligible = [line for line in order.lines if line.sku not in self.final_sale]
        if not eligible:
            return None
        store = home
        if len(self.stores) > 1 and rng.random() < _RETURN_ELSEWHERE:
            store = rng.choice([s for s in self.stores if s != home])
        handed_over = order.status_path[-1].at
        days = self.days
        day = days.next_open(store, days.index(handed_over) + 1 + int(rng.expovariate(1 / 6)))
        at = None if day is None else days.at_store(rng, store, day)
        if at is None or at > order.placed_at + RETURN_WINDOW:
            return None
        chosen = eligible if len(eligible) > 1 and rng.random() < 0.3 else [rng.choice(eligible)]
        lines = tuple(PlannedLine(line.sku, rng.randint(1, line.quantity)) for line in chosen)
        return PlannedReturn(at, store, lines)


def _variant(
    rng: random.Random, product: ProductPlan, sizes: dict[str, str], budget: Decimal
) -> VariantPlan:
    """A variant in the buyer's size (or a gift's), in a colour people like, within budget."""
    variants = product.variants
    if product.size_system != "home":
        curve = SIZE_CURVES[product.size_system]
        size = sizes[product.size_system]
        if rng.random() < _GIFT_SHARE:
            size = _weighted(rng, curve)
        in_size = [v for v in variants if v.size == size]
        variants = tuple(in_size) if in_size else variants
    else:
        affordable = [v for v in variants if v.price <= budget * Decimal("1.25")]
        variants = tuple(affordable) if affordable else variants[:1]
    colours = list(dict.fromkeys(v.colour for v in variants))
    colour = _weighted(rng, [(c, 1 / (1 + 0.45 * i)) for i, c in enumerate(colours)])
    return rng.choice([v for v in variants if v.colour == colour])


def _payments(
    rng: random.Random, channel: OrderChannel, fulfillment: Fulfillment, value: Decimal
) -> tuple[PlannedPayment, ...]:
    options = _PAYMENTS.get(channel, _PAYMENTS["web"])
    if fulfillment == "ship":  # cash changes hands only at a store
        options = tuple(o for o in options if o[0] != "cash")
    method = _weighted(rng, options)
    if fulfillment == "counter" and rng.random() < _SPLIT_AT_THE_TILL:
        other = _weighted(rng, [o for o in options if o[0] != method])
        share = Decimal(rng.randint(4, 16) * 5) / 100  # 0.20 to 0.80
        return (
            _payment(rng, method, share, value * share),
            _payment(rng, other, 1 - share, value * (1 - share)),
        )
    return (_payment(rng, method, Decimal(1), value),)


def _payment(
    rng: random.Random, method: PaymentMethod, share: Decimal, amount: Decimal
) -> PlannedPayment:
    if method != "card":
        return PlannedPayment(method, share)
    plans = next(plans for limit, plans in _INSTALMENTS if amount < limit)
    return PlannedPayment(method, share, _weighted(rng, plans))


def plan_purchases(
    people: Iterable[Person],
    catalog: CatalogPlan,
    *,
    start: date,
    end: date,
    seed: int,
    behaviour: BuyingBehaviour = DEMO_BEHAVIOUR,
) -> Iterator[PurchaseHistory]:
    """Each person's history between ``start`` and ``end`` (local days, both included),
    one person at a time, in the order of ``people``."""
    if end < start:
        raise ValueError("the history cannot end before it starts")
    planner = _Planner(catalog, start, end, seed, behaviour)
    for person in people:
        yield planner.history(person)
