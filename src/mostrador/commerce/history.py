"""Bringing in past sales (a POS export, another platform's orders, the demo's history): orders
already fulfilled, with their lines at list price, payments, returns and loyalty points,
dated when they happened, and their events on the customers' timelines.

The stock ledger stays exact: the units sold (minus those returned) are received first, so
after the history each location holds the on-hand figure the caller asks for.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy import insert, select, update

from mostrador.commerce import loyalty
from mostrador.commerce import loyalty_rules as rules
from mostrador.commerce.events import (
    LoyaltyPointsChanged,
    OrderCancelled,
    OrderedLine,
    OrderPaid,
    OrderPlaced,
    OrderStatusChanged,
    ReturnReceived,
)
from mostrador.commerce.models import (
    LoyaltyEntry,
    Order,
    OrderCounter,
    OrderLine,
    Payment,
    Price,
    Refund,
    Return,
    ReturnLine,
    StockLevel,
    StockMovement,
    Variant,
)
from mostrador.core.errors import InvalidInput
from mostrador.core.ids import WorkspaceId, new_id
from mostrador.core.money import Money
from mostrador.core.unit_of_work import Tx
from mostrador.core.workspaces import Location


@dataclass(frozen=True)
class PastLine:
    sku: str
    quantity: int


@dataclass(frozen=True)
class PastReturn:
    at: datetime
    location: str
    lines: tuple[PastLine, ...]


@dataclass(frozen=True)
class PastOrder:
    """A sale that already happened; ``final_status`` is collected, delivered or cancelled."""

    customer_id: uuid.UUID | None
    placed_at: datetime
    channel: str
    fulfillment: str  # counter | pickup | ship
    location: str
    lines: tuple[PastLine, ...]
    payments: tuple[tuple[str, Decimal], ...]  # (method, share of the total)
    final_status: str
    finished_at: datetime
    returns: tuple[PastReturn, ...] = ()


@dataclass
class _Line:
    id: uuid.UUID
    variant_id: uuid.UUID
    sku: str
    quantity: int
    net: Decimal
    returned: int = 0

    def row(
        self,
        workspace_id: WorkspaceId,
        order_id: uuid.UUID,
        position: int,
        unit: Decimal,
        location_id: uuid.UUID,
        final_sale: bool,
    ) -> dict[str, object]:
        return {
            "id": self.id,
            "workspace_id": workspace_id,
            "order_id": order_id,
            "position": position,
            "variant_id": self.variant_id,
            "sku": self.sku,
            "name": self.sku,
            "quantity": self.quantity,
            "unit_price": unit,
            "discount": Decimal(0),
            "net": self.net,
            "location_id": location_id,
            "returned_quantity": 0,
            "final_sale": final_sale,
        }


@dataclass
class HistoryReport:
    orders: int = 0
    returns: int = 0
    units_sold: int = 0
    points_earned: int = 0
    # Units that left each (variant, location) net of returns: ``settle_stock`` receives them.
    net_out: dict[tuple[uuid.UUID, uuid.UUID], int] = field(
        default_factory=lambda: defaultdict(int)
    )


def import_history(
    tx: Tx,
    workspace_id: WorkspaceId,
    orders: Sequence[PastOrder],
    currency: str,
) -> HistoryReport:
    """Write ``orders`` (oldest first is best) with their consequences; one transaction."""
    variants = {
        v.sku: v
        for v in tx.session.execute(
            select(Variant).where(Variant.workspace_id == workspace_id)
        ).scalars()
    }
    prices = dict(
        tx.session.execute(
            select(Price.variant_id, Price.amount).where(
                Price.workspace_id == workspace_id,
                Price.currency == currency,
                Price.channel == "",
                Price.valid_until.is_(None),
            )
        ).all()
    )
    locations = {
        loc.code: loc
        for loc in tx.session.execute(
            select(Location).where(Location.workspace_id == workspace_id)
        ).scalars()
    }
    report = HistoryReport()
    net_out = report.net_out
    number = _reserve_numbers(tx, workspace_id, len(orders))
    program = loyalty.program_for(tx.session, workspace_id, currency)
    for past in orders:
        number += 1
        report.orders += 1
        _one_order(
            tx,
            workspace_id,
            past,
            number,
            variants,
            prices,
            locations,
            currency,
            program,
            net_out,
            report,
        )
    return report


def _one_order(
    tx: Tx,
    workspace_id: WorkspaceId,
    past: PastOrder,
    number: int,
    variants: Mapping[str, Variant],
    prices: Mapping[uuid.UUID, Decimal],
    locations: Mapping[str, Location],
    currency: str,
    program: loyalty.Program,
    net_out: dict[tuple[uuid.UUID, uuid.UUID], int],
    report: HistoryReport,
) -> None:
    location = locations.get(past.location)
    if location is None:
        raise InvalidInput(f"unknown location {past.location}", code="unknown_location")
    order_id = new_id()
    lines: list[_Line] = []
    rows = []
    for position, item in enumerate(past.lines, start=1):
        variant = variants.get(item.sku)
        if variant is None or variant.id not in prices:
            raise InvalidInput(f"unknown or unpriced SKU {item.sku}", code="unknown_sku")
        unit = prices[variant.id]
        line = _Line(
            new_id(),
            variant.id,
            item.sku,
            item.quantity,
            Money(unit * item.quantity, currency).amount,
        )
        lines.append(line)
        rows.append(
            line.row(workspace_id, order_id, position, unit, location.id, variant.final_sale)
        )
    total = sum((line.net for line in lines), Decimal(0))
    cancelled = past.final_status == "cancelled"
    tx.session.execute(
        insert(Order).values(
            id=order_id,
            workspace_id=workspace_id,
            number=number,
            channel=past.channel,
            external_id=None,
            customer_id=past.customer_id,
            status=past.final_status,
            currency=currency,
            subtotal=total,
            discount_total=Decimal(0),
            shipping=Decimal(0),
            total=total,
            fulfillment=past.fulfillment,
            location_id=location.id,
            pickup_code=None,
            pricing={},
            placed_at=past.placed_at,
            paid_at=None if cancelled else past.placed_at,
            collected_at=past.finished_at if past.final_status == "collected" else None,
            delivered_at=past.finished_at if past.final_status == "delivered" else None,
            shipped_at=past.placed_at if past.final_status == "delivered" else None,
            cancelled_at=past.finished_at if cancelled else None,
            updated_at=past.finished_at,
        )
    )
    tx.session.execute(insert(OrderLine), rows)
    tx.record(
        OrderPlaced(
            order_id=order_id,
            number=number,
            customer_id=past.customer_id,
            channel=past.channel,
            currency=currency,
            total=total,
            fulfillment=past.fulfillment,
            lines=tuple(
                OrderedLine(
                    sku=line.sku, quantity=line.quantity, net=line.net, location=past.location
                )
                for line in lines
            ),
        ),
        occurred_at=past.placed_at,
    )
    if cancelled:
        tx.record(
            OrderCancelled(
                order_id=order_id, customer_id=past.customer_id, reason="", released_units=0
            ),
            occurred_at=past.finished_at,
        )
        return
    payments = _payments(tx, workspace_id, order_id, past, total, currency)
    for line in lines:
        net_out[(line.variant_id, location.id)] += line.quantity
        report.units_sold += line.quantity
        _movement(
            tx,
            workspace_id,
            line.variant_id,
            location.id,
            "sale",
            -line.quantity,
            f"order:{number}",
            past.finished_at,
        )
    tx.record(
        OrderStatusChanged(
            order_id=order_id,
            customer_id=past.customer_id,
            status=past.final_status,
            previous="paid",
        ),
        occurred_at=past.finished_at,
    )
    earned = _earn(tx, workspace_id, past, order_id, number, lines, currency, program)
    report.points_earned += earned
    for returned in past.returns:
        report.returns += 1
        _return(
            tx,
            workspace_id,
            past,
            order_id,
            lines,
            payments,
            returned,
            locations,
            currency,
            net_out,
        )


def _reserve_numbers(tx: Tx, workspace_id: WorkspaceId, count: int) -> int:
    """Take ``count`` consecutive order numbers; returns the one before the first."""
    counter = tx.session.get(OrderCounter, workspace_id, with_for_update=True)
    if counter is None:
        counter = OrderCounter(workspace_id=workspace_id, last_number=1000)
        tx.session.add(counter)
    first = counter.last_number
    counter.last_number = first + count
    return first


def _payments(
    tx: Tx,
    workspace_id: WorkspaceId,
    order_id: uuid.UUID,
    past: PastOrder,
    total: Decimal,
    currency: str,
) -> list[tuple[uuid.UUID, str, Decimal]]:
    parts = Money(total, currency).allocate([share for _method, share in past.payments])
    paid = [
        (new_id(), method, part.amount)
        for (method, _share), part in zip(past.payments, parts, strict=True)
    ]
    tx.session.execute(
        insert(Payment),
        [
            {
                "id": payment_id,
                "workspace_id": workspace_id,
                "order_id": order_id,
                "method": method,
                "amount": amount,
                "currency": currency,
                "reference": "",
                "refunded": Decimal(0),
                "received_at": past.placed_at,
            }
            for payment_id, method, amount in paid
        ],
    )
    for _id, method, amount in paid:
        tx.record(
            OrderPaid(
                order_id=order_id, customer_id=past.customer_id, method=method, amount=amount
            ),
            occurred_at=past.placed_at,
        )
    return paid


def _movement(
    tx: Tx,
    workspace_id: WorkspaceId,
    variant_id: uuid.UUID,
    location_id: uuid.UUID,
    kind: str,
    quantity: int,
    reference: str,
    at: datetime,
) -> None:
    tx.session.execute(
        insert(StockMovement).values(
            id=new_id(),
            workspace_id=workspace_id,
            variant_id=variant_id,
            location_id=location_id,
            kind=kind,
            quantity=quantity,
            reference=reference,
            reason="history",
            actor=tx.actor or "",
            occurred_at=at,
        )
    )


def _earn(
    tx: Tx,
    workspace_id: WorkspaceId,
    past: PastOrder,
    order_id: uuid.UUID,
    number: int,
    lines: Sequence[_Line],
    currency: str,
    program: loyalty.Program,
) -> int:
    if past.customer_id is None:
        return 0
    result = rules.points_to_earn(
        [
            rules.PaidLine(str(line.id), line.sku, line.quantity, Money(line.net, currency))
            for line in lines
        ],
        past.channel,
        program.earn_rules,
        None,
    )
    if result.points == 0:
        return 0
    lot_id = new_id()
    tx.session.execute(
        insert(LoyaltyEntry).values(
            id=lot_id,
            workspace_id=workspace_id,
            customer_id=past.customer_id,
            kind="earn",
            points=result.points,
            lot_id=lot_id,
            expires_at=rules.add_months(past.placed_at, program.validity_months),
            order_id=order_id,
            reason=f"order {number}",
            actor=tx.actor or "",
            occurred_at=past.placed_at,
        )
    )
    tx.record(
        LoyaltyPointsChanged(
            customer_id=past.customer_id,
            kind="earn",
            points=result.points,
            order_id=order_id,
            reason=f"order {number}",
        ),
        occurred_at=past.placed_at,
    )
    return result.points


def _return(
    tx: Tx,
    workspace_id: WorkspaceId,
    past: PastOrder,
    order_id: uuid.UUID,
    lines: Sequence[_Line],
    payments: Sequence[tuple[uuid.UUID, str, Decimal]],
    returned: PastReturn,
    locations: Mapping[str, Location],
    currency: str,
    net_out: dict[tuple[uuid.UUID, uuid.UUID], int],
) -> None:
    """A return received at any store, refunded at the price paid to the first payment."""
    location = locations.get(returned.location)
    if location is None:
        raise InvalidInput(f"unknown location {returned.location}", code="unknown_location")
    by_sku = {line.sku: line for line in lines}
    taken: list[tuple[_Line, int, Decimal]] = []
    for item in returned.lines:
        line = by_sku.get(item.sku)
        quantity = min(item.quantity, line.quantity - line.returned) if line else 0
        if line is None or quantity <= 0:
            continue
        refund = Money(line.net * quantity / line.quantity, currency).amount
        line.returned += quantity
        taken.append((line, quantity, refund))
    if not taken:
        return
    return_id = new_id()
    refund_total = sum((refund for _l, _q, refund in taken), Decimal(0))
    tx.session.execute(
        insert(Return).values(
            id=return_id,
            workspace_id=workspace_id,
            order_id=order_id,
            location_id=location.id,
            customer_id=past.customer_id,
            refund_to="original_method",
            accepted_value=refund_total,
            store_credit=Decimal(0),
            currency=currency,
            received_at=returned.at,
            actor=tx.actor or "",
        )
    )
    for line, quantity, refund in taken:
        tx.session.execute(
            insert(ReturnLine).values(
                id=new_id(),
                workspace_id=workspace_id,
                return_id=return_id,
                order_line_id=line.id,
                sku=line.sku,
                quantity=quantity,
                condition="unused_with_tags",
                accepted=True,
                reason=None,
                refund=refund,
            )
        )
        net_out[(line.variant_id, location.id)] -= quantity
        _movement(
            tx,
            workspace_id,
            line.variant_id,
            location.id,
            "return",
            quantity,
            f"return:{return_id}",
            returned.at,
        )
        tx.session.execute(
            update(OrderLine).where(OrderLine.id == line.id).values(returned_quantity=line.returned)
        )
    payment_id, method, paid = payments[0]
    tx.session.execute(
        insert(Refund).values(
            id=new_id(),
            workspace_id=workspace_id,
            return_id=return_id,
            payment_id=payment_id,
            method=method,
            amount=min(refund_total, paid),
        )
    )
    fully = all(line.returned == line.quantity for line in lines)
    tx.session.execute(
        update(Order)
        .where(Order.id == order_id)
        .values(status="returned" if fully else "partially_returned")
    )
    tx.record(
        ReturnReceived(
            return_id=return_id,
            order_id=order_id,
            customer_id=past.customer_id,
            location=location.code,
            accepted_units=sum(q for _l, q, _r in taken),
            refused_units=0,
            refund=refund_total,
            refund_to="original_method",
        ),
        occurred_at=returned.at,
    )


def settle_stock(
    tx: Tx,
    workspace_id: WorkspaceId,
    on_hand: Mapping[tuple[uuid.UUID, uuid.UUID], int],
    net_out: Mapping[tuple[uuid.UUID, uuid.UUID], int],
    received_at: datetime,
) -> None:
    """One receipt per place, dated before the history, of what the history took out (net
    of returns) plus what the place must hold now: the ledger then sums to the stock level.
    A place that got more back than it sold keeps those units on top of ``on_hand``."""
    for place in sorted(set(on_hand) | set(net_out)):
        variant_id, location_id = place
        current = tx.session.get(StockLevel, (variant_id, location_id))
        before = current.on_hand if current is not None else 0
        out = net_out.get(place, 0)
        receipt = max(on_hand.get(place, before) + out - before, 0)
        if receipt:
            _movement(
                tx,
                workspace_id,
                variant_id,
                location_id,
                "receipt",
                receipt,
                "opening stock",
                received_at,
            )
        final = before + receipt - out
        if current is None:
            tx.session.add(
                StockLevel(
                    variant_id=variant_id,
                    location_id=location_id,
                    workspace_id=workspace_id,
                    on_hand=final,
                    reserved=0,
                    updated_at=tx.now,
                )
            )
        else:
            current.on_hand = final
            current.updated_at = tx.now
