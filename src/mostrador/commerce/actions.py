"""The writers of commerce (one transaction each, events on commit).

The rules live in ``catalog`` (products, prices), ``stock`` (the pool, its ledger and
reservations) and ``ordering`` (orders from every channel); these open the transaction.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select

from mostrador.commerce import (
    catalog,
    catalog_csv,
    fulfilment,
    history,
    holds,
    loyalty,
    loyalty_program,
    ordering,
    promotion_store,
    returns,
    stock,
)
from mostrador.commerce.events import OrderCancelled
from mostrador.commerce.models import (
    BackInStockRequest,
    Order,
    Price,
    Product,
    PromotionRecord,
    Return,
    Variant,
)
from mostrador.commerce.queries import order_places
from mostrador.commerce.schemas import (
    BackInStockInput,
    HoldInput,
    MovementInput,
    OrderInput,
    PaymentInput,
    PriceInput,
    ProductInput,
)
from mostrador.core.errors import Conflict, NotFound
from mostrador.core.ids import WorkspaceId, new_id
from mostrador.core.unit_of_work import Tx, UnitOfWork
from mostrador.core.workspaces import queries as workspace_queries
from mostrador.customers import canonical_id

__all__ = [
    "adjust_points",
    "ask_back_in_stock",
    "cancel_order",
    "catalog_import",
    "change_price",
    "collect_order",
    "create_product",
    "create_promotion",
    "deliver_order",
    "expire_holds",
    "expire_pickups",
    "hold_stock",
    "import_history",
    "mark_ready",
    "move_stock",
    "place_order",
    "receive_return",
    "record_payment",
    "release_hold",
    "set_loyalty_program",
    "set_stock",
    "settle_history_stock",
    "ship_order",
]

CANCELLABLE = ("placed", "paid", "ready_for_pickup")


def create_product(
    uow: UnitOfWork, workspace_id: WorkspaceId, data: ProductInput, *, actor: str | None = None
) -> tuple[Product, list[Variant]]:
    with uow.transaction(workspace_id, actor) as tx:
        currency = workspace_queries.workspace_by_id(tx.session, workspace_id).currency
        return catalog.create_product(tx, workspace_id, data, currency)


def catalog_import(
    uow: UnitOfWork,
    workspace_id: WorkspaceId,
    lines: list[catalog_csv.CatalogLine],
    currency: str,
    *,
    actor: str | None = None,
) -> catalog_csv.CatalogReport:
    """A catalog CSV's usable lines, in one transaction (all or nothing)."""
    with uow.transaction(workspace_id, actor) as tx:
        return catalog_csv.import_catalog(tx, workspace_id, lines, currency)


def set_stock(
    uow: UnitOfWork,
    workspace_id: WorkspaceId,
    sku: str,
    location_code: str,
    on_hand: int,
    *,
    reason: str = "stock count",
    actor: str | None = None,
) -> stock.Level:
    """A stock count at a location: the difference is written as an adjustment."""
    with uow.transaction(workspace_id, actor) as tx:
        variant = catalog.variant_by_sku(tx, workspace_id, sku)
        location = workspace_queries.location_by_code(tx.session, workspace_id, location_code)
        place = stock.place_of(variant, location)
        return stock.set_on_hand(tx, workspace_id, place, on_hand, reason=reason)


def place_order(
    uow: UnitOfWork, workspace_id: WorkspaceId, data: OrderInput, *, actor: str | None = None
) -> ordering.Placed:
    with uow.transaction(workspace_id, actor) as tx:
        return ordering.place_order(tx, workspace_id, data)


def cancel_order(
    uow: UnitOfWork,
    workspace_id: WorkspaceId,
    order_id: uuid.UUID,
    *,
    reason: str = "",
    actor: str | None = None,
) -> Order:
    """Cancel an order not yet handed over: its reserved units go back to the pool."""
    with uow.transaction(workspace_id, actor) as tx:
        order = fulfilment.locked_order(tx, workspace_id, order_id)
        if order.status not in CANCELLABLE:
            raise Conflict(
                f"an order that is {order.status} cannot be cancelled",
                code="order_not_cancellable",
            )
        released = stock.end_reservations(
            tx,
            workspace_id,
            "order",
            order.id,
            order_places(tx.session, workspace_id, order.id),
            consume=False,
        )
        loyalty.give_back_for_cancellation(tx, workspace_id, order)
        loyalty.take_back_for_cancellation(tx, workspace_id, order)
        order.status = "cancelled"
        order.cancelled_at = tx.now
        order.updated_at = tx.now
        tx.record(
            OrderCancelled(
                order_id=order.id,
                customer_id=order.customer_id,
                reason=reason,
                released_units=released,
            )
        )
        return order


def receive_return(
    uow: UnitOfWork,
    workspace_id: WorkspaceId,
    data: returns.ReturnInput,
    *,
    actor: str | None = None,
) -> Return:
    """A return received at any location: restocked there, refunded as paid."""
    with uow.transaction(workspace_id, actor) as tx:
        return returns.receive_return(tx, workspace_id, data)


def record_payment(
    uow: UnitOfWork,
    workspace_id: WorkspaceId,
    order_id: uuid.UUID,
    data: PaymentInput,
    *,
    actor: str | None = None,
) -> Order:
    with uow.transaction(workspace_id, actor) as tx:
        return fulfilment.record_payment(tx, workspace_id, order_id, data)


def mark_ready(
    uow: UnitOfWork, workspace_id: WorkspaceId, order_id: uuid.UUID, *, actor: str | None = None
) -> Order:
    with uow.transaction(workspace_id, actor) as tx:
        return fulfilment.mark_ready(tx, workspace_id, order_id)


def collect_order(
    uow: UnitOfWork,
    workspace_id: WorkspaceId,
    order_id: uuid.UUID,
    pickup_code: str,
    *,
    actor: str | None = None,
) -> Order:
    with uow.transaction(workspace_id, actor) as tx:
        return fulfilment.collect(tx, workspace_id, order_id, pickup_code)


def ship_order(
    uow: UnitOfWork, workspace_id: WorkspaceId, order_id: uuid.UUID, *, actor: str | None = None
) -> Order:
    with uow.transaction(workspace_id, actor) as tx:
        return fulfilment.ship(tx, workspace_id, order_id)


def deliver_order(
    uow: UnitOfWork, workspace_id: WorkspaceId, order_id: uuid.UUID, *, actor: str | None = None
) -> Order:
    with uow.transaction(workspace_id, actor) as tx:
        return fulfilment.deliver(tx, workspace_id, order_id)


def expire_pickups(uow: UnitOfWork, workspace_id: WorkspaceId) -> int:
    """Release the units of pickups nobody collected in time (run by the worker)."""
    with uow.transaction(workspace_id, "system:pickup-expiry") as tx:
        return fulfilment.expire_pickups(tx, workspace_id)


def create_promotion(
    uow: UnitOfWork,
    workspace_id: WorkspaceId,
    data: promotion_store.PromotionInput,
    *,
    actor: str | None = None,
) -> PromotionRecord:
    """A promotion for every channel (unless scoped), checked by the engine before it is kept."""
    with uow.transaction(workspace_id, actor) as tx:
        currency = workspace_queries.workspace_by_id(tx.session, workspace_id).currency
        return promotion_store.create_promotion(tx, workspace_id, data, currency)


def hold_stock(
    uow: UnitOfWork, workspace_id: WorkspaceId, data: HoldInput, *, actor: str | None = None
) -> holds.Hold:
    with uow.transaction(workspace_id, actor) as tx:
        return holds.hold_stock(tx, workspace_id, data)


def release_hold(
    uow: UnitOfWork, workspace_id: WorkspaceId, hold_id: uuid.UUID, *, actor: str | None = None
) -> int:
    with uow.transaction(workspace_id, actor) as tx:
        return holds.release_hold(tx, workspace_id, hold_id)


def expire_holds(uow: UnitOfWork, workspace_id: WorkspaceId) -> int:
    """Release carts and quotes past their expiry (run by the worker)."""
    with uow.transaction(workspace_id, "system:hold-expiry") as tx:
        return holds.expire_holds(tx, workspace_id)


def change_price(
    uow: UnitOfWork,
    workspace_id: WorkspaceId,
    sku: str,
    data: PriceInput,
    *,
    actor: str | None = None,
) -> Price:
    """A new list price from now on, or a channel's explicit override (history is kept)."""
    with uow.transaction(workspace_id, actor) as tx:
        currency = workspace_queries.workspace_by_id(tx.session, workspace_id).currency
        variant = catalog.variant_by_sku(tx, workspace_id, sku)
        return catalog.set_price(
            tx, workspace_id, variant, currency, data.price, channel=data.channel or ""
        )


def move_stock(
    uow: UnitOfWork,
    workspace_id: WorkspaceId,
    sku: str,
    data: MovementInput,
    *,
    actor: str | None = None,
) -> None:
    """Units received at a location, or transferred between two (both movements at once)."""
    with uow.transaction(workspace_id, actor) as tx:
        variant = catalog.variant_by_sku(tx, workspace_id, sku)
        arrive = workspace_queries.location_by_code(tx.session, workspace_id, data.location)
        here = stock.place_of(variant, arrive)
        if data.kind == "receipt":
            stock.move(tx, workspace_id, here, "receipt", data.quantity, reference=data.reference)
            return
        assert data.from_location is not None  # noqa: S101 - MovementInput requires it
        leave = workspace_queries.location_by_code(tx.session, workspace_id, data.from_location)
        there = stock.place_of(variant, leave)
        available = stock.level(tx, there).available
        if available < data.quantity:
            raise Conflict(
                f"{leave.code} has {max(available, 0)} unreserved units of {sku}",
                code="insufficient_stock",
            )
        reference = data.reference or f"transfer {leave.code}->{arrive.code}"
        stock.move(tx, workspace_id, there, "transfer", -data.quantity, reference=reference)
        stock.move(tx, workspace_id, here, "transfer", data.quantity, reference=reference)


def ask_back_in_stock(
    uow: UnitOfWork,
    workspace_id: WorkspaceId,
    sku: str,
    data: BackInStockInput,
    *,
    actor: str | None = None,
) -> BackInStockRequest:
    """'Notify me when it is back': the BackInStock event names the people waiting."""
    with uow.transaction(workspace_id, actor) as tx:
        variant = catalog.variant_by_sku(tx, workspace_id, sku)
        location = (
            workspace_queries.location_by_code(tx.session, workspace_id, data.location)
            if data.location
            else None
        )
        customer = _customer_id(tx, workspace_id, data.customer_id)
        request = BackInStockRequest(
            id=new_id(),
            workspace_id=workspace_id,
            variant_id=variant.id,
            location_id=location.id if location else None,
            customer_id=customer,
            channel=data.channel,
            created_at=tx.now,
            notified_at=None,
        )
        tx.session.add(request)
        return request


def _customer_id(tx: Tx, workspace_id: WorkspaceId, value: str) -> uuid.UUID:
    try:
        wanted = uuid.UUID(value)
    except ValueError:
        raise NotFound("no such customer", code="customer_not_found") from None
    return canonical_id(tx.session, workspace_id, wanted)


def adjust_points(
    uow: UnitOfWork,
    workspace_id: WorkspaceId,
    customer_id: str,
    points: int,
    reason: str,
    *,
    actor: str | None = None,
) -> int:
    """A manual loyalty correction with its reason (positive: a new lot; negative: taken)."""
    with uow.transaction(workspace_id, actor) as tx:
        return loyalty.adjust_points(
            tx, workspace_id, _customer_id(tx, workspace_id, customer_id), points, reason
        )


def import_history(
    uow: UnitOfWork,
    workspace_id: WorkspaceId,
    orders: list[history.PastOrder],
    *,
    actor: str | None = None,
) -> history.HistoryReport:
    """Past sales with their payments, returns and points, in one transaction (a batch)."""
    with uow.transaction(workspace_id, actor) as tx:
        currency = workspace_queries.workspace_by_id(tx.session, workspace_id).currency
        return history.import_history(tx, workspace_id, orders, currency)


def settle_history_stock(
    uow: UnitOfWork,
    workspace_id: WorkspaceId,
    on_hand: dict[tuple[str, str], int],
    net_out: dict[tuple[uuid.UUID, uuid.UUID], int],
    received_at: datetime,
    *,
    actor: str | None = None,
) -> None:
    """After importing history: receive what it sold so each place holds ``on_hand``
    (keyed by SKU and location code) with a ledger that still sums to it."""
    with uow.transaction(workspace_id, actor) as tx:
        variants = {
            v.sku: v.id
            for v in tx.session.execute(
                select(Variant).where(Variant.workspace_id == workspace_id)
            ).scalars()
        }
        places = {loc.code: loc.id for loc in workspace_queries.locations(tx.session, workspace_id)}
        wanted = {(variants[sku], places[code]): units for (sku, code), units in on_hand.items()}
        history.settle_stock(tx, workspace_id, wanted, net_out, received_at)


def set_loyalty_program(
    uow: UnitOfWork,
    workspace_id: WorkspaceId,
    data: loyalty_program.LoyaltyProgramInput,
    *,
    actor: str | None = None,
) -> loyalty_program.LoyaltyProgramInput:
    """The shop's own earn rules, tiers, validity and point value (every channel alike
    unless a rule names channels)."""
    with uow.transaction(workspace_id, actor) as tx:
        currency = workspace_queries.workspace_by_id(tx.session, workspace_id).currency
        return loyalty_program.set_program(tx, workspace_id, data, currency)
