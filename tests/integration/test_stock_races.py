"""Many sales racing for the last units: never more sold than exist, and no deadlocks."""

from __future__ import annotations

import threading
from collections import Counter

from sqlalchemy import select

from mostrador.bootstrap import Runtime
from mostrador.commerce import OrderInput, ProductInput, actions
from mostrador.commerce.models import Reservation, StockLevel
from mostrador.core.errors import MostradorError
from mostrador.core.ids import WorkspaceId
from tests.support.factories import make_location, make_workspace

CLIENTS = 12
UNITS = 5


def test_racing_orders_take_exactly_the_units_there_are(runtime: Runtime) -> None:
    ws = make_workspace(runtime)
    workspace_id = WorkspaceId(ws.id)
    make_location(runtime, ws, "PAL")
    actions.create_product(
        runtime.uow,
        workspace_id,
        ProductInput.model_validate(
            {
                "name": "Taza",
                "variants": [{"sku": "TAZA", "price": "10"}, {"sku": "MATE", "price": "20"}],
            }
        ),
    )
    for sku in ("TAZA", "MATE"):
        actions.set_stock(runtime.uow, workspace_id, sku, "PAL", UNITS)
    outcomes: Counter[str] = Counter()
    start = threading.Barrier(CLIENTS)

    def buy(n: int) -> None:
        lines = [{"sku": "TAZA", "quantity": 1}, {"sku": "MATE", "quantity": 1}]
        order = OrderInput.model_validate(
            {
                "channel": "web",
                # Half the clients list the lines the other way round: locks must still be
                # taken in one order.
                "lines": lines if n % 2 else lines[::-1],
                "fulfillment": {"type": "pickup", "location": "PAL"},
            }
        )
        start.wait(10)
        try:
            actions.place_order(runtime.uow, workspace_id, order, actor=f"client-{n}")
            outcomes["placed"] += 1
        except MostradorError as exc:
            outcomes[exc.code] += 1

    threads = [threading.Thread(target=buy, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert outcomes == {"placed": UNITS, "insufficient_stock": CLIENTS - UNITS}
    with runtime.uow.read() as session:
        levels = session.execute(select(StockLevel.on_hand, StockLevel.reserved)).all()
        held = session.execute(select(Reservation.quantity)).scalars().all()
    assert sorted(tuple(row) for row in levels) == [(UNITS, UNITS), (UNITS, UNITS)]
    assert sum(held) == 2 * UNITS
