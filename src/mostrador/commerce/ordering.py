"""Orders from every channel through one path: who is buying (the identity engine), what it
costs (the one pricing engine), where it comes from (allocation under the stock lock), then
the order, its lines, its reservations and its payments, in one transaction.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, time, timedelta
from decimal import Decimal
from typing import cast

from sqlalchemy import Table, select
from sqlalchemy.dialects import postgresql, sqlite

from mostrador.commerce import (
    allocation,
    cart_pricing,
    catalog,
    holds,
    loyalty,
    pricing,
    promise,
    promotion_store,
    stock,
    store_credit,
)
from mostrador.commerce.events import OrderedLine, OrderPaid, OrderPlaced
from mostrador.commerce.models import (
    Order,
    OrderCounter,
    OrderLine,
    Payment,
    Product,
    Variant,
)
from mostrador.commerce.schemas import CustomerRef, OrderInput
from mostrador.core.errors import Conflict, InvalidInput, NotFound
from mostrador.core.ids import WorkspaceId, new_id
from mostrador.core.money import Money
from mostrador.core.unit_of_work import Tx
from mostrador.core.workspaces import Location, Workspace
from mostrador.core.workspaces import queries as workspace_queries
from mostrador.core.workspaces.hours import build_schedule
from mostrador.customers import (
    ContactInput,
    Customer,
    IdentifierInput,
    canonical_id,
    group_ids,
    resolve_contact,
)

# The channel an order comes from, as the identity engine names where a contact was seen.
_CONTACT_CHANNEL = {
    "pos": "store",
    "web": "web",
    "whatsapp": "whatsapp",
    "instagram": "instagram",
    "messenger": "messenger",
    "telegram": "telegram",
    "phone": "phone",
    "marketplace": "import",
}
_ALLOCATION_ATTEMPTS = 3
FIRST_ORDER_NUMBER = 1001


@dataclass(frozen=True)
class Placed:
    order: Order
    lines: tuple[OrderLine, ...]
    replayed: bool  # the till's id was already recorded: this is that sale, not a new one


def place_order(tx: Tx, workspace_id: WorkspaceId, data: OrderInput) -> Placed:
    """Place ``data``: nothing is written when stock is short (``insufficient_stock``)."""
    if data.external_id is not None:
        existing = _by_external_id(tx, workspace_id, data.channel, data.external_id)
        if existing is not None:
            return Placed(existing, _lines_of(tx, existing.id), replayed=True)
    workspace = workspace_queries.workspace_by_id(tx.session, workspace_id)
    currency = workspace.currency
    locations = {loc.code: loc for loc in workspace_queries.locations(tx.session, workspace_id)}
    chosen = _chosen_location(data, locations)
    found = catalog.variants_by_sku(tx, workspace_id, [line.sku for line in data.lines])
    variants = {sku: variant for sku, (variant, _product) in found.items()}
    customer_id = _customer(tx, workspace_id, data.customer, data.channel)
    if data.hold_id is not None:
        # The cart's units are given back inside this transaction, then allocated to the order.
        holds.release_hold(tx, workspace_id, _hold_id(data.hold_id))
    priced, quote = _price_lines(tx, workspace_id, data, found, workspace, customer_id)
    order_id = new_id()
    parts = _allocate_and_reserve(tx, workspace_id, data, variants, locations, chosen, order_id)
    order = _write_order(
        tx, workspace_id, order_id, data, customer_id, quote, parts, chosen, currency
    )
    promotion_store.record_redemptions(
        tx, workspace_id, quote.coupons_applied, customer_id, order.id, tx.now
    )
    lines = _write_lines(tx, workspace_id, order, found, priced, parts, locations)
    _promise(tx, order, parts, locations)
    tx.record(
        OrderPlaced(
            order_id=order.id,
            number=order.number,
            customer_id=customer_id,
            channel=order.channel,
            currency=currency,
            total=order.total,
            fulfillment=order.fulfillment,
            lines=tuple(
                OrderedLine(
                    sku=line.sku,
                    quantity=line.quantity,
                    net=line.net,
                    location=parts_location(parts, line.sku),
                )
                for line in lines
            ),
        )
    )
    _record_payments(tx, workspace_id, order, data)
    if order.status == "paid":
        loyalty.earn_for_order(tx, workspace_id, order, lines)
    if order.fulfillment == "counter":
        _hand_over_at_counter(tx, workspace_id, order, variants, locations, parts)
    return Placed(order, tuple(lines), replayed=False)


def _hand_over_at_counter(
    tx: Tx,
    workspace_id: WorkspaceId,
    order: Order,
    variants: dict[str, Variant],
    locations: dict[str, Location],
    parts: Sequence[allocation.LocationAllocation],
) -> None:
    """A sale at the till leaves with the customer: its units leave on-hand stock now."""
    if order.status != "paid":
        raise InvalidInput("a counter sale is paid in full at the till", code="counter_sale_unpaid")
    places = {
        (variants[line.sku].id, locations[part.location_code].id): stock.place_of(
            variants[line.sku], locations[part.location_code]
        )
        for part in parts
        for line in part.lines
    }
    stock.end_reservations(
        tx, workspace_id, "order", order.id, places, consume=True, reference=f"order:{order.number}"
    )
    order.status = "collected"
    order.collected_at = tx.now


@dataclass(frozen=True)
class PricedLine:
    sku: str
    name: str
    quantity: int
    unit_price: Decimal
    discount: Decimal
    net: Decimal


def _price_lines(
    tx: Tx,
    workspace_id: WorkspaceId,
    data: OrderInput,
    found: dict[str, tuple[Variant, Product]],
    workspace: Workspace,
    customer_id: uuid.UUID | None,
) -> tuple[list[PricedLine], pricing.PricedCart]:
    """The one pricing engine, as for a quote; a coupon that gives nothing refuses the order
    (the customer expects its discount), with the engine's reason as the code."""
    group = group_ids(tx.session, workspace_id, customer_id) if customer_id else []
    first = data.payments[0] if data.payments else None
    priced = cart_pricing.price(
        tx.session,
        workspace_id,
        currency=workspace.currency,
        time_zone=workspace.time_zone,
        channel=data.channel,
        lines=data.lines,
        at=tx.now,
        who=cart_pricing.buyer(tx.session, workspace_id, group),
        coupon_codes=data.coupon_codes,
        payment=cart_pricing.PaymentChoice(method=first.method, bank=first.bank) if first else None,
        known=found,
    )
    if priced.rejected_coupons:
        rejected = priced.rejected_coupons[0]
        raise InvalidInput(
            f"coupon {rejected.code} cannot be used ({rejected.reason})",
            code=rejected.reason,
            details={
                "coupons": [{"code": r.code, "reason": r.reason} for r in priced.rejected_coupons]
            },
        )
    lines = [
        PricedLine(
            line.sku,
            found[line.sku][1].name,
            line.quantity,
            line.unit_price.amount,
            line.discount_total.amount,
            line.net.amount,
        )
        for line in priced.lines
    ]
    return lines, priced


# Until shops configure them: orders after 14:00 are handled the next working day, a day of
# handling, then the carrier's 1 to 4 working days; a pickup takes two opening hours.
SHIP_CUTOFF = time(14, 0)
SHIP_HANDLING_DAYS = 1
SHIP_TRANSIT = promise.TransitRange(1, 4)
PICKUP_PREPARATION = timedelta(hours=2)


def _site(location: Location) -> promise.FulfilmentSite:
    schedule = build_schedule(
        time_zone=location.time_zone,
        opening_hours=location.opening_hours,
        country=location.country,
        subdivision=location.holiday_subdivision,
        closures=location.closures,
    )
    return promise.FulfilmentSite(
        location_code=location.code,
        schedule=schedule,
        cutoff=SHIP_CUTOFF,
        handling_days=SHIP_HANDLING_DAYS,
        transit=SHIP_TRANSIT,
        preparation=PICKUP_PREPARATION,
    )


def _promise(
    tx: Tx,
    order: Order,
    parts: Sequence[allocation.LocationAllocation],
    locations: dict[str, Location],
) -> None:
    """The promised delivery dates (shipping) or ready time (pickup), kept on the order so
    the promise can later be compared with what happened. A location without usable
    opening hours gives no promise rather than a wrong one."""
    try:
        if order.fulfillment == "ship":
            sites = [_site(locations[part.location_code]) for part in parts]
            delivery = promise.promise_delivery(tx.now, sites)
            order.promised_from, order.promised_until = delivery.earliest, delivery.latest
        elif order.fulfillment == "pickup":
            (part,) = parts
            ready = promise.promise_pickup(tx.now, _site(locations[part.location_code]))
            order.promised_ready_at = ready.ready_at.astimezone(UTC)
    except InvalidInput:
        return


def _chosen_location(data: OrderInput, locations: dict[str, Location]) -> Location | None:
    code = data.fulfillment.location
    if code is None:
        return None
    location = locations.get(code)
    if location is None:
        raise InvalidInput(f"unknown location {code}", code="unknown_location")
    if data.fulfillment.type in ("pickup", "counter") and location.kind != "store":
        raise InvalidInput(f"{code} is not a store", code="not_a_store")
    return location


def _allocation_request(data: OrderInput, chosen: Location | None) -> allocation.AllocationRequest:
    lines = tuple(allocation.OrderLine(line.sku, line.quantity) for line in data.lines)
    if data.fulfillment.type in ("pickup", "counter"):
        assert chosen is not None  # noqa: S101 - FulfillmentInput requires it
        return allocation.AllocationRequest(
            lines=lines,
            strategy=allocation.Strategy.PICKUP_STORE,
            pickup_location=chosen.code,
        )
    if chosen is not None:  # shipped from the named location (ship-from-store): all there
        return allocation.AllocationRequest(lines=lines, strategy=allocation.Strategy.NEAREST_FULL)
    return allocation.AllocationRequest(
        lines=lines,
        strategy=allocation.Strategy(data.fulfillment.strategy),
        split_allowed=data.fulfillment.split,
    )


def _engine_locations(locations: dict[str, Location]) -> list[allocation.Location]:
    return [
        allocation.Location(
            code=loc.code,
            kind=allocation.LocationKind(loc.kind),
            coordinates=allocation.Coordinates(loc.latitude, loc.longitude)
            if loc.latitude is not None and loc.longitude is not None
            else None,
            can_ship=True,
            can_pickup=loc.kind == "store",
        )
        for loc in locations.values()
        if loc.kind in ("store", "warehouse")
    ]


def _allocate_and_reserve(
    tx: Tx,
    workspace_id: WorkspaceId,
    data: OrderInput,
    variants: dict[str, Variant],
    locations: dict[str, Location],
    chosen: Location | None,
    order_id: uuid.UUID,
) -> tuple[allocation.LocationAllocation, ...]:
    """Allocate on fresh stock figures and hold the units; when another sale took them in
    between (the conditional update says short), read again and allocate again."""
    request = _allocation_request(data, chosen)
    ship_from = data.fulfillment.type == "ship" and chosen is not None
    usable = {chosen.code: chosen} if ship_from and chosen is not None else locations
    engine_locations = _engine_locations(usable)
    for _attempt in range(_ALLOCATION_ATTEMPTS):
        available = stock.availability(tx, workspace_id, variants, locations)
        result = allocation.allocate(request, engine_locations, available)
        if isinstance(result, allocation.Shortfall):
            raise _insufficient(result)
        wanted = [
            (stock.place_of(variants[line.sku], locations[part.location_code]), line.quantity)
            for part in result.parts
            for line in part.lines
        ]
        savepoint = tx.session.begin_nested()
        short = stock.reserve(
            tx,
            workspace_id,
            wanted,
            holder_kind="order",
            holder_id=order_id,
            expires_at=None,
        )
        if not short:
            savepoint.commit()
            return result.parts
        savepoint.rollback()
    raise Conflict("stock changed while the order was placed; try again", code="stock_contention")


def _insufficient(shortfall: allocation.Shortfall) -> Conflict:
    missing = [
        {"sku": m.sku, "requested": m.requested, "available": m.allocatable}
        for m in shortfall.lines
    ]
    first = shortfall.lines[0]
    return Conflict(
        f"not enough stock of {first.sku}: {first.allocatable} of {first.requested} available",
        code="insufficient_stock",
        details={"lines": missing},
    )


def parts_location(parts: Sequence[allocation.LocationAllocation], sku: str) -> str | None:
    codes = [p.location_code for p in parts if any(line.sku == sku for line in p.lines)]
    return codes[0] if len(codes) == 1 else None


def _next_number(tx: Tx, workspace_id: WorkspaceId) -> int:
    """Consecutive order numbers per workspace. One upsert: the first orders of a workspace
    racing to create the counter do not collide, and the row stays locked to the commit."""
    counters = cast(Table, OrderCounter.__table__)
    dialect = tx.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(counters)
        .values(workspace_id=workspace_id, last_number=FIRST_ORDER_NUMBER)
        .on_conflict_do_update(
            index_elements=[counters.c.workspace_id],
            set_={"last_number": counters.c.last_number + 1},
        )
        .returning(counters.c.last_number)
    )
    return int(tx.session.execute(statement).scalar_one())


def _write_order(
    tx: Tx,
    workspace_id: WorkspaceId,
    order_id: uuid.UUID,
    data: OrderInput,
    customer_id: uuid.UUID | None,
    quote: pricing.PricedCart,
    parts: Sequence[allocation.LocationAllocation],
    chosen: Location | None,
    currency: str,
) -> Order:
    order = Order(
        id=order_id,
        workspace_id=workspace_id,
        number=_next_number(tx, workspace_id),
        channel=data.channel,
        external_id=data.external_id,
        customer_id=customer_id,
        status="placed",
        currency=currency,
        subtotal=quote.subtotal.amount,
        discount_total=quote.discount_total.amount,
        shipping=quote.shipping.amount - quote.shipping_discount.amount,
        total=quote.total.amount,
        fulfillment=data.fulfillment.type,
        location_id=chosen.id if chosen is not None else None,
        pickup_code=_pickup_code() if data.fulfillment.type == "pickup" else None,
        pricing=cart_pricing.priced_document(quote),
        placed_at=tx.now,
        updated_at=tx.now,
    )
    tx.session.add(order)
    tx.session.flush()
    return order


def _pickup_code() -> str:
    """Six digits the customer shows at the counter."""
    return f"{secrets.randbelow(1_000_000):06d}"


def _write_lines(
    tx: Tx,
    workspace_id: WorkspaceId,
    order: Order,
    found: dict[str, tuple[Variant, Product]],
    priced: Sequence[PricedLine],
    parts: Sequence[allocation.LocationAllocation],
    locations: dict[str, Location],
) -> list[OrderLine]:
    lines = []
    for position, item in enumerate(priced, start=1):
        variant, _product = found[item.sku]
        code = parts_location(parts, item.sku)
        line = OrderLine(
            id=new_id(),
            workspace_id=workspace_id,
            order_id=order.id,
            position=position,
            variant_id=variant.id,
            sku=item.sku,
            name=item.name,
            quantity=item.quantity,
            unit_price=item.unit_price,
            discount=item.discount,
            net=item.net,
            location_id=locations[code].id if code else None,
            returned_quantity=0,
            final_sale=variant.final_sale,
        )
        lines.append(line)
    tx.session.add_all(lines)
    return lines


def _record_payments(tx: Tx, workspace_id: WorkspaceId, order: Order, data: OrderInput) -> None:
    paid = Money(0, order.currency)
    for item in data.payments:
        amount = Money(item.amount, order.currency)
        tx.session.add(
            Payment(
                id=new_id(),
                workspace_id=workspace_id,
                order_id=order.id,
                method=item.method,
                amount=amount.amount,
                currency=order.currency,
                reference=item.reference,
                refunded=Decimal(0),
                received_at=tx.now,
            )
        )
        if item.method == "loyalty_points":
            loyalty.redeem_for_order(tx, workspace_id, order, amount)
        elif item.method == "store_credit":
            store_credit.spend(tx, workspace_id, order, amount)
        tx.record(
            OrderPaid(
                order_id=order.id,
                customer_id=order.customer_id,
                method=item.method,
                amount=amount.amount,
            )
        )
        paid = paid + amount
    if paid.amount > order.total:
        raise InvalidInput(
            f"payments ({paid}) exceed the order total ({order.total})", code="overpaid"
        )
    if data.payments and paid.amount == order.total:
        order.status = "paid"
        order.paid_at = tx.now


def _customer(
    tx: Tx, workspace_id: WorkspaceId, ref: CustomerRef | None, channel: str
) -> uuid.UUID | None:
    """The buyer through the identity engine (a new profile when nobody matches)."""
    if ref is None:
        return None
    if ref.id is not None:
        try:
            wanted = uuid.UUID(ref.id)
        except ValueError:
            raise NotFound("no such customer", code="customer_not_found") from None
        survivor = canonical_id(tx.session, workspace_id, wanted)
        found = tx.session.get(Customer, survivor)
        if found is None or found.workspace_id != workspace_id or found.status != "active":
            raise NotFound("no such customer", code="customer_not_found")
        return survivor
    source = _CONTACT_CHANNEL[channel]
    identifiers = [
        IdentifierInput(kind=kind, value=value, source_channel=source)
        for kind, value in (
            ("phone", ref.phone),
            ("email", ref.email),
            ("document", ref.document),
            ("whatsapp_id", ref.whatsapp_id),
            ("instagram", ref.instagram),
            ("messenger_psid", ref.messenger_psid),
            ("telegram", ref.telegram),
            ("shop_account", ref.shop_account),
            ("loyalty_card", ref.loyalty_card),
        )
        if value
    ]
    if not identifiers and not ref.name:
        raise InvalidInput("the customer needs a name or an identifier", code="empty_contact")
    contact = ContactInput(name=ref.name, identifiers=identifiers, source_channel=source)
    return resolve_contact(tx, workspace_id, contact).customer_id


def _hold_id(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise NotFound("no such hold", code="hold_not_found") from None


def _by_external_id(
    tx: Tx, workspace_id: WorkspaceId, channel: str, external_id: str
) -> Order | None:
    return tx.session.execute(
        select(Order).where(
            Order.workspace_id == workspace_id,
            Order.channel == channel,
            Order.external_id == external_id,
        )
    ).scalar_one_or_none()


def _lines_of(tx: Tx, order_id: uuid.UUID) -> tuple[OrderLine, ...]:
    return tuple(
        tx.session.execute(
            select(OrderLine).where(OrderLine.order_id == order_id).order_by(OrderLine.position)
        ).scalars()
    )
