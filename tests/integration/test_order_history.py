"""Past sales brought in (a POS export, the demo's history): orders, returns anywhere, points
and a stock ledger that still explains every level."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from mostrador.bootstrap import Runtime
from mostrador.commerce import (
    PastLine,
    PastOrder,
    PastReturn,
    ProductInput,
    actions,
    customer_commerce,
    queries,
)
from mostrador.commerce.models import StockLevel, StockMovement
from mostrador.core.event_log import EventRecord
from mostrador.core.ids import WorkspaceId
from mostrador.customers import ContactInput, IdentifierInput
from mostrador.customers import actions as customer_actions
from tests.support.factories import make_location, make_workspace

MARCH = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)


def test_history_lands_with_its_consequences_and_the_ledger_holds(runtime: Runtime) -> None:
    ws = make_workspace(runtime)
    workspace_id = WorkspaceId(ws.id)
    make_location(runtime, ws, "PAL")
    make_location(runtime, ws, "CEN")
    make_location(runtime, ws, "DEP", kind="warehouse")
    actions.create_product(
        runtime.uow,
        workspace_id,
        ProductInput.model_validate(
            {
                "name": "Remera",
                "variants": [{"sku": "REM-M", "price": "1000"}, {"sku": "REM-L", "price": "1500"}],
            }
        ),
    )
    ana = customer_actions.register_contact(
        runtime.uow,
        workspace_id,
        ContactInput(
            name="Ana Paz", identifiers=[IdentifierInput(kind="phone", value="+5491155550000")]
        ),
    ).customer_id
    past = [
        PastOrder(
            customer_id=ana,
            placed_at=MARCH,
            channel="pos",
            fulfillment="counter",
            location="PAL",
            lines=(PastLine("REM-M", 2),),
            payments=(("cash", Decimal(1)),),
            final_status="collected",
            finished_at=MARCH,
        ),
        PastOrder(
            customer_id=ana,
            placed_at=MARCH + timedelta(days=20),
            channel="web",
            fulfillment="ship",
            location="DEP",
            lines=(PastLine("REM-M", 1), PastLine("REM-L", 1)),
            payments=(("card", Decimal("0.6")), ("mercado_pago", Decimal("0.4"))),
            final_status="delivered",
            finished_at=MARCH + timedelta(days=23),
            returns=(PastReturn(MARCH + timedelta(days=30), "CEN", (PastLine("REM-L", 1),)),),
        ),
        PastOrder(
            customer_id=None,
            placed_at=MARCH + timedelta(days=40),
            channel="instagram",
            fulfillment="pickup",
            location="CEN",
            lines=(PastLine("REM-L", 3),),
            payments=(("transfer", Decimal(1)),),
            final_status="cancelled",
            finished_at=MARCH + timedelta(days=41),
        ),
    ]
    report = actions.import_history(runtime.uow, workspace_id, past, actor="test")
    assert (report.orders, report.returns, report.units_sold, report.points_earned) == (3, 1, 4, 45)
    actions.settle_history_stock(
        runtime.uow,
        workspace_id,
        {("REM-M", "PAL"): 5, ("REM-M", "DEP"): 10, ("REM-L", "DEP"): 4},
        report.net_out,
        MARCH - timedelta(days=1),
    )
    with runtime.uow.read() as session:
        stock = {
            sku: {
                r["location"]: r["on_hand"]
                for r in queries.inventory(session, workspace_id, sku)["locations"]
            }
            for sku in ("REM-M", "REM-L")
        }
        assert stock == {
            "REM-M": {"CEN": 0, "DEP": 10, "PAL": 5},
            "REM-L": {"CEN": 1, "DEP": 4, "PAL": 0},  # the return at CEN stays there
        }
        for level in session.execute(select(StockLevel)).scalars():
            moved = session.execute(
                select(func.sum(StockMovement.quantity)).where(
                    StockMovement.variant_id == level.variant_id,
                    StockMovement.location_id == level.location_id,
                )
            ).scalar_one()
            assert moved == level.on_hand
        person = customer_commerce(session, workspace_id, [ana], "ARS", MARCH + timedelta(days=60))
        assert [(o["number"], o["channel"], o["status"]) for o in person["orders"]] == [
            (1002, "web", "partially_returned"),
            (1001, "pos", "collected"),
        ]
        assert person["spend"]["net"] == "3000.00"  # 2000 + 2500 - 1500 returned
        assert person["loyalty"]["balance"] == 45  # 20 + 25 points, no claw-back in history
        kinds = session.execute(
            select(EventRecord.type, func.min(EventRecord.occurred_at))
            .where(EventRecord.customer_id == ana, EventRecord.type.like("commerce.%"))
            .group_by(EventRecord.type)
            .order_by(EventRecord.type)
        ).all()
    assert [(k, at.date().isoformat()) for k, at in kinds] == [
        ("commerce.LoyaltyPointsChanged", "2026-03-10"),
        ("commerce.OrderPaid", "2026-03-10"),
        ("commerce.OrderPlaced", "2026-03-10"),
        ("commerce.OrderStatusChanged", "2026-03-10"),
        ("commerce.ReturnReceived", "2026-04-09"),
    ]
