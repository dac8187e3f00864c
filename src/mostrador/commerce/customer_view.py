"""What commerce adds to the customer 360: orders, returns, loyalty and spend by channel."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mostrador.commerce import store_credit
from mostrador.commerce.loyalty import account
from mostrador.commerce.models import SOLD_STATUSES, Order, Return
from mostrador.core.ids import WorkspaceId
from mostrador.core.money import round_amount


def customer_commerce(
    session: Session,
    workspace_id: WorkspaceId,
    customer_ids: Sequence[uuid.UUID],
    currency: str,
    at: datetime,
) -> dict[str, Any]:
    """Orders (newest first), returns, loyalty and net spend of a person (all profiles)."""
    ids = list(customer_ids)
    orders = (
        session.execute(
            select(Order)
            .where(Order.workspace_id == workspace_id, Order.customer_id.in_(ids))
            .order_by(Order.placed_at.desc())
            .limit(20)
        )
        .scalars()
        .all()
    )
    spend_rows = session.execute(
        select(Order.channel, func.count(), func.sum(Order.total))
        .where(
            Order.workspace_id == workspace_id,
            Order.customer_id.in_(ids),
            Order.status.in_(SOLD_STATUSES),
        )
        .group_by(Order.channel)
    ).all()
    refunded = session.execute(
        select(func.sum(Return.accepted_value)).where(
            Return.workspace_id == workspace_id, Return.customer_id.in_(ids)
        )
    ).scalar_one()
    gross = sum((total or Decimal(0) for _channel, _count, total in spend_rows), Decimal(0))
    returns = (
        session.execute(
            select(Return)
            .where(Return.workspace_id == workspace_id, Return.customer_id.in_(ids))
            .order_by(Return.received_at.desc())
            .limit(20)
        )
        .scalars()
        .all()
    )

    def money(value: Decimal | None) -> str:
        return str(round_amount(value or Decimal(0), currency))

    return {
        "orders": [
            {
                "id": str(o.id),
                "number": o.number,
                "channel": o.channel,
                "status": o.status,
                "total": money(o.total),
                "placed_at": o.placed_at.isoformat(),
            }
            for o in orders
        ],
        "returns": [
            {
                "id": str(r.id),
                "order_id": str(r.order_id),
                "accepted_value": money(r.accepted_value),
                "received_at": r.received_at.isoformat(),
            }
            for r in returns
        ],
        "spend": {
            "currency": currency,
            "orders": sum(count for _channel, count, _total in spend_rows),
            "net": money(gross - (refunded or Decimal(0))),
            "by_channel": {
                channel: {"orders": count, "total": money(total)}
                for channel, count, total in sorted(spend_rows)
            },
        },
        "store_credit": money(store_credit.balance(session, workspace_id, ids, currency).amount),
        "loyalty": {
            key: value
            for key, value in account(session, workspace_id, ids, currency, at).items()
            if key in ("balance", "tier")
        },
    }
