"""A hypothesis state machine drives the stock pool through counts, orders, cancellations,
pickups and returns anywhere; after every step the ledger still explains the stock."""

from __future__ import annotations

import itertools
import uuid
from collections import defaultdict
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    invariant,
    rule,
)
from sqlalchemy import func, select

from mostrador.bootstrap import Runtime
from mostrador.commerce import (
    CollectInput,
    OrderInput,
    PaymentInput,
    ProductInput,
    ReturnInput,
    actions,
    queries,
)
from mostrador.commerce.models import Reservation, StockLevel, StockMovement
from mostrador.core.errors import MostradorError
from mostrador.core.ids import WorkspaceId
from tests.support.factories import make_location, make_workspace

SKUS = ("TAZA", "MATE")
STORES = ("PAL", "CEN")
_RUNS = itertools.count()


class StockPool(RuleBasedStateMachine):
    runtime: Runtime  # set by the test before the machine runs

    orders = Bundle("orders")
    collected = Bundle("collected")

    def __init__(self) -> None:
        super().__init__()
        ws = make_workspace(self.runtime, slug=f"pool-{next(_RUNS)}-{uuid.uuid4().hex[:6]}")
        self.ws = WorkspaceId(ws.id)
        for code in STORES:
            make_location(self.runtime, ws, code)
        actions.create_product(
            self.runtime.uow,
            self.ws,
            ProductInput.model_validate(
                {"name": "Cocina", "variants": [{"sku": s, "price": "100"} for s in SKUS]}
            ),
        )
        self.on_hand: dict[tuple[str, str], int] = defaultdict(int)

    @rule(sku=st.sampled_from(SKUS), store=st.sampled_from(STORES), units=st.integers(0, 6))
    def count_stock(self, sku: str, store: str, units: int) -> None:
        actions.set_stock(self.runtime.uow, self.ws, sku, store, units)
        self.on_hand[(sku, store)] = units

    @rule(
        target=orders,
        sku=st.sampled_from(SKUS),
        store=st.sampled_from(STORES),
        quantity=st.integers(1, 3),
    )
    def order_for_pickup(self, sku: str, store: str, quantity: int) -> Any:
        data = OrderInput.model_validate(
            {
                "channel": "web",
                "lines": [{"sku": sku, "quantity": quantity}],
                "fulfillment": {"type": "pickup", "location": store},
            }
        )
        try:
            placed = actions.place_order(self.runtime.uow, self.ws, data)
        except MostradorError as exc:
            if exc.code != "insufficient_stock":
                raise
            return None
        return (placed.order.id, sku, store, quantity, placed.lines[0].net)

    @rule(order=consumes(orders))
    def cancel(self, order: Any) -> None:
        if order is not None:
            actions.cancel_order(self.runtime.uow, self.ws, order[0])

    @rule(target=collected, order=consumes(orders))
    def collect(self, order: Any) -> Any:
        if order is None:
            return None
        order_id, sku, store, quantity, net = order
        uow = self.runtime.uow
        actions.record_payment(uow, self.ws, order_id, PaymentInput(method="cash", amount=net))
        ready = actions.mark_ready(uow, self.ws, order_id)
        code = CollectInput(pickup_code=ready.pickup_code or "")
        try:
            actions.collect_order(uow, self.ws, order_id, code.pickup_code)
        except MostradorError as exc:
            # A stock count below what orders reserved: the units are not there to hand over.
            if exc.code != "insufficient_on_hand":
                raise
            return None
        self.on_hand[(sku, store)] -= quantity
        return order

    @rule(order=consumes(collected), where=st.sampled_from(STORES), units=st.integers(1, 3))
    def bring_back(self, order: Any, where: str, units: int) -> None:
        if order is None:
            return
        order_id, sku, _store, quantity, _net = order
        returned = min(units, quantity)
        data = ReturnInput(
            order_id=str(order_id),
            location=where,
            lines=[{"sku": sku, "quantity": returned}],  # type: ignore[list-item]
        )
        actions.receive_return(self.runtime.uow, self.ws, data)
        self.on_hand[(sku, where)] += returned

    @invariant()
    def the_ledger_explains_the_stock(self) -> None:
        with self.runtime.uow.read() as session:
            levels = session.execute(
                select(StockLevel).where(StockLevel.workspace_id == self.ws)
            ).scalars()
            for level in levels:
                moved = session.execute(
                    select(func.coalesce(func.sum(StockMovement.quantity), 0)).where(
                        StockMovement.variant_id == level.variant_id,
                        StockMovement.location_id == level.location_id,
                    )
                ).scalar_one()
                held = session.execute(
                    select(func.coalesce(func.sum(Reservation.quantity), 0)).where(
                        Reservation.variant_id == level.variant_id,
                        Reservation.location_id == level.location_id,
                        Reservation.status == "active",
                    )
                ).scalar_one()
                assert (moved, held) == (level.on_hand, level.reserved)
                assert level.on_hand >= 0
                assert level.reserved >= 0

    @invariant()
    def on_hand_is_what_came_in_minus_what_left(self) -> None:
        with self.runtime.uow.read() as session:
            for (sku, store), expected in self.on_hand.items():
                assert inventory_of(session, self.ws, sku)[store][0] == expected


def inventory_of(session: Any, ws: WorkspaceId, sku: str) -> dict[str, tuple[int, int]]:
    doc = queries.inventory(session, ws, sku)
    return {row["location"]: (row["on_hand"], row["reserved"]) for row in doc["locations"]}


@pytest.mark.filterwarnings("ignore::hypothesis.errors.NonInteractiveExampleWarning")
def test_the_stock_ledger_holds_whatever_happens(runtime: Runtime) -> None:
    StockPool.runtime = runtime
    machine = StockPool.TestCase
    machine.settings = settings(
        max_examples=12,
        stateful_step_count=10,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    machine().runTest()
