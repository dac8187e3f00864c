"""Returns anywhere: an item bought on any channel is received at any location, restocks
that location, and is refunded at the price actually paid, to the original payments or as
store credit, under one policy (``return_policy``, pure). Points it earned are taken back.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from mostrador.commerce import loyalty, stock
from mostrador.commerce import loyalty_rules as points_rules
from mostrador.commerce import return_policy as policy_rules
from mostrador.commerce.events import ReturnReceived
from mostrador.commerce.fulfilment import locked_order
from mostrador.commerce.models import (
    Order,
    OrderLine,
    Payment,
    Refund,
    Return,
    ReturnLine,
    StoreCreditEntry,
    Variant,
)
from mostrador.core.errors import InvalidInput, NotFound
from mostrador.core.ids import WorkspaceId, new_id
from mostrador.core.money import Money
from mostrador.core.unit_of_work import Tx
from mostrador.core.workspaces import queries as workspace_queries

DEFAULT_POLICY = policy_rules.ReturnPolicy(
    window_days=30,
    accepted_conditions=frozenset(
        {
            policy_rules.ItemCondition.UNUSED_WITH_TAGS,
            policy_rules.ItemCondition.UNUSED_WITHOUT_TAGS,
        }
    ),
    refund_to=policy_rules.RefundDestination.CUSTOMER_CHOICE,
)
RETURNABLE = ("paid", "ready_for_pickup", "shipped", "collected", "delivered", "partially_returned")


class ReturnLineInput(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    sku: str = Field(min_length=1, max_length=64)
    quantity: int = Field(ge=1, le=10_000)
    condition: Literal["unused_with_tags", "unused_without_tags", "used", "damaged"] = (
        "unused_with_tags"
    )


class ReturnInput(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    order_id: str
    location: str = Field(min_length=1, max_length=20, description="where it is received")
    lines: list[ReturnLineInput] = Field(min_length=1, max_length=200)
    refund_to: Literal["original_method", "store_credit"] | None = None


def receive_return(tx: Tx, workspace_id: WorkspaceId, data: ReturnInput) -> Return:
    """Decide, restock, refund and take back points, in the caller's transaction."""
    order = _order(tx, workspace_id, data.order_id)
    if order.status not in RETURNABLE:
        raise InvalidInput(
            f"an order that is {order.status} has nothing to return", code="order_not_returnable"
        )
    location = workspace_queries.location_by_code(tx.session, workspace_id, data.location)
    lines = _lines(tx, order.id)
    by_sku = {line.sku: line for line in lines}
    unknown = [row.sku for row in data.lines if row.sku not in by_sku]
    if unknown:
        raise InvalidInput(f"{unknown[0]} is not in this order", code="line_not_in_order")
    payments = _payments(tx, order.id)
    assessment = policy_rules.assess_return(
        DEFAULT_POLICY,
        [_purchased(order, line) for line in lines],
        {str(line.id): line.returned_quantity for line in lines},
        [
            policy_rules.Payment(
                str(p.id),
                p.method,
                Money(p.amount, order.currency),
                Money(p.refunded, order.currency),
            )
            for p in payments
        ],
        policy_rules.ReturnRequest(
            lines=tuple(
                policy_rules.ReturnLine(
                    str(by_sku[row.sku].id), row.quantity, policy_rules.ItemCondition(row.condition)
                )
                for row in data.lines
            ),
            requested_at=tx.now,
            refund_to=policy_rules.RefundDestination(data.refund_to) if data.refund_to else None,
        ),
    )
    received = Return(
        id=new_id(),
        workspace_id=workspace_id,
        order_id=order.id,
        location_id=location.id,
        customer_id=order.customer_id,
        refund_to=assessment.refund_to.value,
        accepted_value=assessment.accepted_value.amount,
        store_credit=assessment.store_credit.amount,
        currency=order.currency,
        received_at=tx.now,
        actor=tx.actor or "",
    )
    tx.session.add(received)
    tx.session.flush()
    by_id = {str(line.id): line for line in lines}
    earned = order.pricing.get("loyalty", {}).get("by_line", {})
    returned_points: list[points_rules.ReturnedEarning] = []
    accepted_units = refused_units = 0
    # What was returned of each line before this return (its own rows are not written yet).
    before = {
        line_id: _returned_value(tx, line.id, order.currency) for line_id, line in by_id.items()
    }
    for row, decision in zip(data.lines, assessment.decisions, strict=True):
        line = by_id[decision.line_id]
        tx.session.add(
            ReturnLine(
                id=new_id(),
                workspace_id=workspace_id,
                return_id=received.id,
                order_line_id=line.id,
                sku=line.sku,
                quantity=decision.quantity,
                condition=row.condition,
                accepted=decision.accepted,
                reason=decision.reason.value if decision.reason else None,
                refund=decision.refund.amount,
            )
        )
        if not decision.accepted:
            refused_units += decision.quantity
            continue
        accepted_units += decision.quantity
        returned_points.append(
            points_rules.ReturnedEarning(
                line_id=decision.line_id,
                points_earned=int(earned.get(decision.line_id, 0)),
                net_paid=Money(line.net, order.currency),
                returned_before=before[decision.line_id],
                returned_now=decision.refund,
            )
        )
        line.returned_quantity += decision.quantity
        variant = tx.session.get(Variant, line.variant_id)
        assert variant is not None  # noqa: S101 - order lines keep their variant
        stock.move(
            tx,
            workspace_id,
            stock.place_of(variant, location),
            "return",
            decision.quantity,
            reference=f"return:{received.id}",
        )
    _pay_back(tx, workspace_id, order, received, assessment, payments)
    loyalty.take_back_for_return(tx, workspace_id, order, returned_points)
    if accepted_units:
        fully = all(line.returned_quantity == line.quantity for line in lines)
        order.status = "returned" if fully else "partially_returned"
        order.updated_at = tx.now
    tx.record(
        ReturnReceived(
            return_id=received.id,
            order_id=order.id,
            customer_id=order.customer_id,
            location=location.code,
            accepted_units=accepted_units,
            refused_units=refused_units,
            refund=assessment.accepted_value.amount,
            refund_to=assessment.refund_to.value,
        )
    )
    return received


def _order(tx: Tx, workspace_id: WorkspaceId, order_id: str) -> Order:
    try:
        wanted = uuid.UUID(order_id)
    except ValueError:
        raise NotFound("no such order", code="order_not_found") from None
    return locked_order(tx, workspace_id, wanted)


def _lines(tx: Tx, order_id: uuid.UUID) -> list[OrderLine]:
    return list(
        tx.session.execute(
            select(OrderLine).where(OrderLine.order_id == order_id).order_by(OrderLine.position)
        ).scalars()
    )


def _payments(tx: Tx, order_id: uuid.UUID) -> list[Payment]:
    return list(
        tx.session.execute(
            select(Payment)
            .where(Payment.order_id == order_id)
            .order_by(Payment.received_at, Payment.id)
        ).scalars()
    )


def _purchased(order: Order, line: OrderLine) -> policy_rules.PurchasedLine:
    return policy_rules.PurchasedLine(
        line_id=str(line.id),
        sku=line.sku,
        quantity=line.quantity,
        net_paid=Money(line.net, order.currency),
        purchased_at=order.placed_at,
        channel=order.channel,
        final_sale=line.final_sale,
    )


def _returned_value(tx: Tx, order_line_id: uuid.UUID, currency: str) -> Money:
    total = sum(
        tx.session.execute(
            select(ReturnLine.refund).where(
                ReturnLine.order_line_id == order_line_id, ReturnLine.accepted.is_(True)
            )
        ).scalars(),
        Decimal(0),
    )
    return Money(total, currency)


def _pay_back(
    tx: Tx,
    workspace_id: WorkspaceId,
    order: Order,
    received: Return,
    assessment: policy_rules.ReturnAssessment,
    payments: Sequence[Payment],
) -> None:
    by_id = {str(p.id): p for p in payments}
    for refund in assessment.to_payments:
        if refund.amount.is_zero:
            continue
        payment = by_id[refund.payment_id]
        payment.refunded = payment.refunded + refund.amount.amount
        tx.session.add(
            Refund(
                id=new_id(),
                workspace_id=workspace_id,
                return_id=received.id,
                payment_id=payment.id,
                method=refund.method,
                amount=refund.amount.amount,
            )
        )
    if not assessment.store_credit.is_zero:
        if order.customer_id is None:
            raise InvalidInput(
                "store credit needs a known customer on the order",
                code="store_credit_needs_customer",
            )
        tx.session.add(
            StoreCreditEntry(
                id=new_id(),
                workspace_id=workspace_id,
                customer_id=order.customer_id,
                amount=assessment.store_credit.amount,
                currency=order.currency,
                return_id=received.id,
                order_id=order.id,
                reason=f"return of order {order.number}",
                occurred_at=tx.now,
            )
        )


def return_document(
    received: Return, lines: Sequence[ReturnLine], refunds: Sequence[Refund]
) -> dict[str, object]:
    """A return as the API shows it."""
    return {
        "id": str(received.id),
        "order_id": str(received.order_id),
        "refund_to": received.refund_to,
        "accepted_value": str(Money(received.accepted_value, received.currency).amount),
        "store_credit": str(Money(received.store_credit, received.currency).amount),
        "currency": received.currency,
        "received_at": received.received_at.isoformat(),
        "lines": [
            {
                "sku": line.sku,
                "quantity": line.quantity,
                "condition": line.condition,
                "accepted": line.accepted,
                "reason": line.reason,
                "refund": str(Money(line.refund, received.currency).amount),
            }
            for line in lines
        ],
        "refunds": [
            {"method": r.method, "amount": str(Money(r.amount, received.currency).amount)}
            for r in refunds
        ],
    }
