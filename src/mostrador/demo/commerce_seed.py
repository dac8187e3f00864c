"""The demo business's commerce: its catalog, channel prices and promotions, then every
customer's purchase history (orders, returns, points) and the stock each location holds today.

Everything goes through the commerce actions: the catalog as a shop would enter it, the
history as an import of past sales (dated when they happened, with their events).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import islice
from zoneinfo import ZoneInfo

from mostrador.bootstrap import Runtime
from mostrador.commerce import (
    PastLine,
    PastOrder,
    PastReturn,
    PriceInput,
    ProductInput,
    PromotionInput,
    VariantInput,
    actions,
)
from mostrador.core.ids import WorkspaceId
from mostrador.demo.catalog_plan import DEMO_CATALOG, CatalogPlan, PromotionPlan, demo_promotions
from mostrador.demo.population import Person
from mostrador.demo.purchases import PlannedOrder, PurchaseHistory, plan_purchases

ACTOR = "system:seed"
ORDERS_PER_BATCH = 400


@dataclass(frozen=True)
class CommerceReport:
    products: int
    variants: int
    promotions: int
    orders: int
    returns: int
    points: int


def seed_catalog(runtime: Runtime, workspace_id: WorkspaceId, catalog: CatalogPlan) -> int:
    """The products with their list prices, then the explicit channel prices."""
    variants = 0
    for product in catalog.products:
        data = ProductInput(
            name=product.name,
            description=product.description,
            category=product.category,
            tags=list(product.tags),
            variants=[
                VariantInput(
                    sku=v.sku,
                    price=v.price,
                    barcode=v.barcode,
                    attributes=dict(v.attributes),
                    final_sale=v.final_sale,
                )
                for v in product.variants
            ],
        )
        actions.create_product(runtime.uow, workspace_id, data, actor=ACTOR)
        variants += len(product.variants)
    for override in catalog.channel_prices:
        actions.change_price(
            runtime.uow,
            workspace_id,
            override.sku,
            PriceInput.model_validate({"price": override.price, "channel": override.channel}),
            actor=ACTOR,
        )
    return variants


def promotion_input(plan: PromotionPlan, zone: ZoneInfo) -> PromotionInput:
    """A merchant's promotion as the engine's document (local days become instants)."""

    def instant(day: date | None, end: bool) -> datetime | None:
        if day is None:
            return None
        moment = datetime.combine(day + timedelta(days=1) if end else day, time(0), tzinfo=zone)
        return moment.astimezone(UTC)

    target = (
        {"skus": list(plan.skus), "categories": list(plan.categories)}
        if plan.skus or plan.categories
        else None
    )
    return PromotionInput.model_validate(
        {
            "name": plan.name,
            "kind": plan.kind,
            "percent": plan.percent,
            "buy": plan.buy,
            "pay": plan.pay,
            "minimum": plan.minimum,
            "target": target,
            "conditions": {
                "channels": list(plan.channels),
                "payment_methods": list(plan.payment_methods),
                "valid_from": instant(plan.valid_from, end=False),
                "valid_until": instant(plan.valid_until, end=True),
            },
        }
    )


def past_order(planned: PlannedOrder, customer_id: uuid.UUID, now: datetime) -> PastOrder | None:
    """A planned order that finished (collected, delivered or cancelled) by ``now`` as a past
    sale, with the returns made by then; orders still under way are left out."""
    last = planned.status_path[-1]
    if last.status not in ("collected", "delivered", "cancelled") or last.at > now:
        return None
    return PastOrder(
        customer_id=customer_id,
        placed_at=planned.placed_at,
        channel=planned.channel,
        fulfillment=planned.fulfillment,
        location=planned.location_code,
        lines=tuple(PastLine(line.sku, line.quantity) for line in planned.lines),
        payments=tuple((p.method, p.share) for p in planned.payments),
        final_status=last.status,
        finished_at=last.at,
        returns=tuple(
            PastReturn(r.at, r.location_code, tuple(PastLine(x.sku, x.quantity) for x in r.lines))
            for r in planned.returns
            if r.at <= now
        ),
    )


def seed_commerce(
    runtime: Runtime,
    workspace_id: WorkspaceId,
    people: Iterable[Person],
    customer_ids: Mapping[int, uuid.UUID],
    *,
    start: date,
    end: date,
    seed: int,
    time_zone: str,
    now: datetime,
    progress: Callable[[int], None] | None = None,
) -> CommerceReport:
    """Catalog, promotions, the purchase history of ``people`` and today's stock."""
    catalog = DEMO_CATALOG
    variants = seed_catalog(runtime, workspace_id, catalog)
    zone = ZoneInfo(time_zone)
    plans = [p for year in (end.year - 1, end.year, end.year + 1) for p in demo_promotions(year)]
    for plan in plans:
        actions.create_promotion(
            runtime.uow, workspace_id, promotion_input(plan, zone), actor=ACTOR
        )
    net_out: dict[tuple[uuid.UUID, uuid.UUID], int] = defaultdict(int)
    orders = returns = points = 0
    histories = plan_purchases(people, catalog, start=start, end=end, seed=seed)
    for batch in _batches(_past_orders(histories, customer_ids, now), ORDERS_PER_BATCH):
        report = actions.import_history(runtime.uow, workspace_id, batch, actor=ACTOR)
        for place, units in report.net_out.items():
            net_out[place] += units
        orders += report.orders
        returns += report.returns
        points += report.points_earned
        if progress is not None:
            progress(orders)
    opening = datetime.combine(start - timedelta(days=1), time(9), tzinfo=zone).astimezone(UTC)
    actions.settle_history_stock(
        runtime.uow,
        workspace_id,
        {(line.sku, line.location_code): line.on_hand for line in catalog.stock},
        dict(net_out),
        opening,
        actor=ACTOR,
    )
    return CommerceReport(
        products=len(catalog.products),
        variants=variants,
        promotions=len(plans),
        orders=orders,
        returns=returns,
        points=points,
    )


def _past_orders(
    histories: Iterable[PurchaseHistory], customer_ids: Mapping[int, uuid.UUID], now: datetime
) -> Iterator[PastOrder]:
    for history in histories:
        for planned in history.orders:
            past = past_order(planned, customer_ids[planned.person_number], now)
            if past is not None:
                yield past


def _batches(items: Iterable[PastOrder], size: int) -> Iterator[list[PastOrder]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch
