"""Catalog, stock and orders over HTTP: thin routes over ``mostrador.commerce``."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from mostrador.commerce import (
    BackInStockInput,
    CancelInput,
    CartInput,
    CollectInput,
    HoldInput,
    LoyaltyProgramInput,
    MovementInput,
    OrderInput,
    PaymentInput,
    PriceInput,
    ProductInput,
    PromotionInput,
    ReturnInput,
    StockInput,
    actions,
    buyer,
    loyalty_account,
    loyalty_program,
    price_cart,
    priced_document,
    promotions_list,
    queries,
    return_document,
)
from mostrador.core.access import Permission, Principal
from mostrador.core.errors import NotFound
from mostrador.core.money import round_amount
from mostrador.core.workspaces import queries as workspace_queries
from mostrador.customers import canonical_id
from mostrador.customers import queries as customer_queries
from mostrador.web.deps import RuntimeDep, allowed
from mostrador.web.idempotency import run_idempotent

router = APIRouter(tags=["commerce"])

CatalogViewer = Annotated[Principal, Depends(allowed(Permission.VIEW_CATALOG))]
CatalogManager = Annotated[Principal, Depends(allowed(Permission.MANAGE_CATALOG))]
StockManager = Annotated[Principal, Depends(allowed(Permission.MANAGE_STOCK))]
Seller = Annotated[Principal, Depends(allowed(Permission.PLACE_ORDERS))]
OrderManager = Annotated[Principal, Depends(allowed(Permission.MANAGE_ORDERS))]


def _order_id(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise NotFound("no such order", code="order_not_found") from None


@router.post("/products", status_code=201)
async def create_product(
    data: ProductInput, request: Request, runtime: RuntimeDep, principal: CatalogManager
) -> JSONResponse:
    """A product with its variants and their list prices (409 ``duplicate_sku``)."""

    def create() -> tuple[int, dict[str, Any]]:
        product, variants = actions.create_product(
            runtime.uow, principal.workspace_id, data, actor=principal.actor
        )
        with runtime.uow.read() as session:
            currency = queries.workspace_currency(session, principal.workspace_id)
        prices = {v.sku: round_amount(v.price, currency) for v in data.variants}
        return 201, {
            "id": str(product.id),
            "name": product.name,
            "category": product.category,
            "currency": currency,
            "variants": [
                {
                    "id": str(v.id),
                    "sku": v.sku,
                    "barcode": v.barcode,
                    "price": str(prices[v.sku]),
                    "attributes": v.attributes,
                    "final_sale": v.final_sale,
                }
                for v in variants
            ],
        }

    return await run_idempotent(request, runtime, principal, create)


@router.post("/carts/price")
def price_a_cart(data: CartInput, runtime: RuntimeDep, principal: CatalogViewer) -> dict[str, Any]:
    """Price a cart for a channel with the one engine, explaining every promotion on every
    line; nothing is reserved or written (quotes, the counter, the bot)."""
    with runtime.uow.read() as session:
        workspace = workspace_queries.workspace_by_id(session, principal.workspace_id)
        group: list[uuid.UUID] = []
        if data.customer_id is not None:
            try:
                wanted = uuid.UUID(data.customer_id)
            except ValueError:
                raise NotFound("no such customer", code="customer_not_found") from None
            survivor = canonical_id(session, principal.workspace_id, wanted)
            group = customer_queries.group_ids(session, principal.workspace_id, survivor)
        priced = price_cart(
            session,
            principal.workspace_id,
            currency=workspace.currency,
            time_zone=workspace.time_zone,
            channel=data.channel,
            lines=data.lines,
            at=runtime.clock.now(),
            who=buyer(session, principal.workspace_id, group),
            coupon_codes=data.coupon_codes,
            payment=data.payment,
        )
        return priced_document(priced)


@router.post("/holds", status_code=201)
def hold_stock(data: HoldInput, runtime: RuntimeDep, principal: Seller) -> dict[str, Any]:
    """Hold units for a cart or a chat quote until ``minutes`` pass; an order that names the
    hold takes its units."""
    held = actions.hold_stock(runtime.uow, principal.workspace_id, data, actor=principal.actor)
    return {
        "id": str(held.id),
        "kind": held.kind,
        "expires_at": held.expires_at.isoformat(),
        "lines": [
            {"sku": sku, "location": location, "quantity": quantity}
            for sku, location, quantity in held.lines
        ],
    }


@router.delete("/holds/{hold_id}")
def release_hold(hold_id: str, runtime: RuntimeDep, principal: Seller) -> dict[str, Any]:
    try:
        wanted = uuid.UUID(hold_id)
    except ValueError:
        raise NotFound("no such hold", code="hold_not_found") from None
    released = actions.release_hold(
        runtime.uow, principal.workspace_id, wanted, actor=principal.actor
    )
    return {"id": hold_id, "released_units": released}


@router.post("/promotions", status_code=201)
def create_promotion(
    data: PromotionInput, runtime: RuntimeDep, principal: CatalogManager
) -> dict[str, Any]:
    """A promotion for every channel unless its conditions name some."""
    record = actions.create_promotion(
        runtime.uow, principal.workspace_id, data, actor=principal.actor
    )
    return {"id": str(record.id), **record.definition}


@router.get("/promotions")
def list_promotions(runtime: RuntimeDep, principal: CatalogViewer) -> list[dict[str, Any]]:
    with runtime.uow.read() as session:
        return promotions_list(session, principal.workspace_id)


@router.put("/inventory/{sku}/{location_code}")
def set_stock(
    sku: str, location_code: str, data: StockInput, runtime: RuntimeDep, principal: StockManager
) -> dict[str, Any]:
    """Set on-hand units at a location (a stock count, written as an adjustment)."""
    actions.set_stock(
        runtime.uow,
        principal.workspace_id,
        sku,
        location_code,
        data.on_hand,
        reason=data.reason,
        actor=principal.actor,
    )
    with runtime.uow.read() as session:
        return queries.inventory(session, principal.workspace_id, sku)


@router.post("/inventory/{sku}/movements", status_code=201)
def move_stock(
    sku: str, data: MovementInput, runtime: RuntimeDep, principal: StockManager
) -> dict[str, Any]:
    """Units received at a location, or transferred between two; the ledger records both."""
    actions.move_stock(runtime.uow, principal.workspace_id, sku, data, actor=principal.actor)
    with runtime.uow.read() as session:
        return queries.inventory(session, principal.workspace_id, sku)


@router.post("/inventory/{sku}/back-in-stock", status_code=201)
def ask_back_in_stock(
    sku: str, data: BackInStockInput, runtime: RuntimeDep, principal: Seller
) -> dict[str, Any]:
    """'Avisame cuando vuelva': the customer is named in the BackInStock event."""
    request = actions.ask_back_in_stock(
        runtime.uow, principal.workspace_id, sku, data, actor=principal.actor
    )
    return {"id": str(request.id), "sku": sku, "customer_id": str(request.customer_id)}


@router.put("/prices/{sku}")
def change_price(
    sku: str, data: PriceInput, runtime: RuntimeDep, principal: CatalogManager
) -> dict[str, Any]:
    """A new list price, or an explicit override for one channel; the history is kept."""
    actions.change_price(runtime.uow, principal.workspace_id, sku, data, actor=principal.actor)
    with runtime.uow.read() as session:
        return queries.price_history(session, principal.workspace_id, sku)


@router.get("/prices/{sku}")
def price_history(sku: str, runtime: RuntimeDep, principal: CatalogViewer) -> dict[str, Any]:
    with runtime.uow.read() as session:
        return queries.price_history(session, principal.workspace_id, sku)


@router.get("/inventory/{sku}")
def inventory(sku: str, runtime: RuntimeDep, principal: CatalogViewer) -> dict[str, Any]:
    with runtime.uow.read() as session:
        return queries.inventory(session, principal.workspace_id, sku)


@router.post("/orders", status_code=201)
async def place_order(
    data: OrderInput, request: Request, runtime: RuntimeDep, principal: Seller
) -> JSONResponse:
    """An order from any channel; 409 ``insufficient_stock`` reserves nothing. A POS sale
    sent again with its ``external_id`` answers 200 with the order already recorded."""

    def create() -> tuple[int, dict[str, Any]]:
        placed = actions.place_order(
            runtime.uow, principal.workspace_id, data, actor=principal.actor
        )
        with runtime.uow.read() as session:
            body = queries.order_document(session, placed.order)
        return (200 if placed.replayed else 201), body

    return await run_idempotent(request, runtime, principal, create)


@router.get("/orders/{order_id}")
def get_order(order_id: str, runtime: RuntimeDep, principal: CatalogViewer) -> dict[str, Any]:
    with runtime.uow.read() as session:
        found = queries.order(session, principal.workspace_id, _order_id(order_id))
        return queries.order_document(session, found)


@router.post("/orders/{order_id}/cancel")
def cancel_order(
    order_id: str, runtime: RuntimeDep, principal: OrderManager, data: CancelInput | None = None
) -> dict[str, Any]:
    """Cancel an order not yet handed over; its units go back to the stock pool."""
    cancelled = actions.cancel_order(
        runtime.uow,
        principal.workspace_id,
        _order_id(order_id),
        reason=data.reason if data else "",
        actor=principal.actor,
    )
    with runtime.uow.read() as session:
        return queries.order_document(session, cancelled)


def _order_out(runtime: RuntimeDep, order: Any) -> dict[str, Any]:
    with runtime.uow.read() as session:
        return queries.order_document(session, order)


@router.post("/orders/{order_id}/payments", status_code=201)
def record_payment(
    order_id: str, data: PaymentInput, runtime: RuntimeDep, principal: OrderManager
) -> dict[str, Any]:
    """Money received; the order becomes paid when payments reach its total."""
    order = actions.record_payment(
        runtime.uow, principal.workspace_id, _order_id(order_id), data, actor=principal.actor
    )
    return _order_out(runtime, order)


@router.post("/orders/{order_id}/ready")
def mark_ready(order_id: str, runtime: RuntimeDep, principal: OrderManager) -> dict[str, Any]:
    """A pickup is packed at its store (the customer is notified by the event)."""
    order = actions.mark_ready(
        runtime.uow, principal.workspace_id, _order_id(order_id), actor=principal.actor
    )
    return _order_out(runtime, order)


@router.post("/orders/{order_id}/collect")
def collect(
    order_id: str, data: CollectInput, runtime: RuntimeDep, principal: OrderManager
) -> dict[str, Any]:
    """Hand a pickup over at the counter after checking the customer's code."""
    order = actions.collect_order(
        runtime.uow,
        principal.workspace_id,
        _order_id(order_id),
        data.pickup_code,
        actor=principal.actor,
    )
    return _order_out(runtime, order)


@router.post("/orders/{order_id}/ship")
def ship(order_id: str, runtime: RuntimeDep, principal: OrderManager) -> dict[str, Any]:
    order = actions.ship_order(
        runtime.uow, principal.workspace_id, _order_id(order_id), actor=principal.actor
    )
    return _order_out(runtime, order)


@router.post("/orders/{order_id}/deliver")
def deliver(order_id: str, runtime: RuntimeDep, principal: OrderManager) -> dict[str, Any]:
    order = actions.deliver_order(
        runtime.uow, principal.workspace_id, _order_id(order_id), actor=principal.actor
    )
    return _order_out(runtime, order)


@router.post("/returns", status_code=201)
async def receive_return(
    data: ReturnInput, request: Request, runtime: RuntimeDep, principal: OrderManager
) -> JSONResponse:
    """Items of an order from any channel, received at any location: each line accepted
    (restocked there, refunded at the price paid) or refused with its reason."""

    def create() -> tuple[int, dict[str, Any]]:
        received = actions.receive_return(
            runtime.uow, principal.workspace_id, data, actor=principal.actor
        )
        with runtime.uow.read() as session:
            lines, refunds = queries.return_parts(session, received.id)
            return 201, return_document(received, lines, refunds)

    return await run_idempotent(request, runtime, principal, create)


@router.get("/customers/{customer_id}/loyalty")
def loyalty(customer_id: str, runtime: RuntimeDep, principal: CatalogViewer) -> dict[str, Any]:
    """The person's points balance (every merged profile), tier, lots and recent entries."""
    try:
        wanted = uuid.UUID(customer_id)
    except ValueError:
        raise NotFound("no such customer", code="customer_not_found") from None
    with runtime.uow.read() as session:
        survivor = canonical_id(session, principal.workspace_id, wanted)
        if customer_queries.customer(session, principal.workspace_id, survivor).status != "active":
            raise NotFound("no such customer", code="customer_not_found")
        group = customer_queries.group_ids(session, principal.workspace_id, survivor)
        currency = queries.workspace_currency(session, principal.workspace_id)
        account = loyalty_account(
            session, principal.workspace_id, group, currency, runtime.clock.now()
        )
        return {"customer_id": str(survivor), **account}


class PointsAdjustment(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    points: int = Field(description="positive adds a lot, negative takes points")
    reason: str = Field(max_length=200)


@router.post("/customers/{customer_id}/loyalty/adjustments", status_code=201)
def adjust_points(
    customer_id: str, data: PointsAdjustment, runtime: RuntimeDep, principal: OrderManager
) -> dict[str, Any]:
    """A manual correction of a person's points, with its reason (kept in the ledger)."""
    actions.adjust_points(
        runtime.uow,
        principal.workspace_id,
        customer_id,
        data.points,
        data.reason,
        actor=principal.actor,
    )
    return loyalty(customer_id, runtime, principal)


@router.get("/loyalty/program")
def get_loyalty_program(runtime: RuntimeDep, principal: CatalogViewer) -> dict[str, Any]:
    with runtime.uow.read() as session:
        currency = queries.workspace_currency(session, principal.workspace_id)
        return loyalty_program(session, principal.workspace_id, currency).model_dump(mode="json")


@router.put("/loyalty/program")
def set_loyalty_program(
    data: LoyaltyProgramInput, runtime: RuntimeDep, principal: CatalogManager
) -> dict[str, Any]:
    """How points are earned (per currency unit, per order, per product; every channel
    unless a rule names some), how long they last, the tiers and what a point is worth."""
    saved = actions.set_loyalty_program(
        runtime.uow, principal.workspace_id, data, actor=principal.actor
    )
    return saved.model_dump(mode="json")
