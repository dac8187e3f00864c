"""Reads of customer profiles, scoped to a workspace."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mostrador.core.errors import NotFound
from mostrador.core.ids import WorkspaceId
from mostrador.customers.models import Customer, CustomerIdentifier


def customer(session: Session, workspace_id: WorkspaceId, customer_id: uuid.UUID) -> Customer:
    found = session.execute(
        select(Customer).where(Customer.workspace_id == workspace_id, Customer.id == customer_id)
    ).scalar_one_or_none()
    if found is None:
        raise NotFound("no such customer", code="customer_not_found")
    return found


def identifiers(
    session: Session, workspace_id: WorkspaceId, customer_id: uuid.UUID
) -> Sequence[CustomerIdentifier]:
    return (
        session.execute(
            select(CustomerIdentifier)
            .where(
                CustomerIdentifier.workspace_id == workspace_id,
                CustomerIdentifier.customer_id == customer_id,
            )
            .order_by(CustomerIdentifier.first_seen_at, CustomerIdentifier.id)
        )
        .scalars()
        .all()
    )


def count_customers(session: Session, workspace_id: WorkspaceId) -> int:
    return int(
        session.execute(
            select(func.count()).select_from(Customer).where(Customer.workspace_id == workspace_id)
        ).scalar_one()
    )
