"""Store credit: what returns leave a customer to spend on any channel (an exchange is a
return to store credit, then an order paid with it)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mostrador.commerce.models import Order, StoreCreditEntry
from mostrador.core.errors import InvalidInput
from mostrador.core.ids import WorkspaceId, new_id
from mostrador.core.money import Money
from mostrador.core.unit_of_work import Tx
from mostrador.customers import group_ids


def balance(
    session: Session, workspace_id: WorkspaceId, customer_ids: Sequence[uuid.UUID], currency: str
) -> Money:
    total = session.execute(
        select(func.sum(StoreCreditEntry.amount)).where(
            StoreCreditEntry.workspace_id == workspace_id,
            StoreCreditEntry.customer_id.in_(list(customer_ids)),
            StoreCreditEntry.currency == currency,
        )
    ).scalar_one()
    return Money(total or Decimal(0), currency)


def spend(tx: Tx, workspace_id: WorkspaceId, order: Order, amount: Money) -> None:
    """Pay ``amount`` of ``order`` with the buyer's credit (every merged profile's)."""
    if order.customer_id is None:
        raise InvalidInput(
            "store credit needs a known customer", code="store_credit_needs_customer"
        )
    group = group_ids(tx.session, workspace_id, order.customer_id)
    available = balance(tx.session, workspace_id, group, order.currency)
    if available < amount:
        raise InvalidInput(
            f"the customer has {available} of store credit", code="insufficient_store_credit"
        )
    tx.session.add(
        StoreCreditEntry(
            id=new_id(),
            workspace_id=workspace_id,
            customer_id=order.customer_id,
            amount=-amount.amount,
            currency=order.currency,
            return_id=None,
            order_id=order.id,
            reason=f"order {order.number}",
            occurred_at=tx.now,
        )
    )
