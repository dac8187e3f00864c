"""Reading the event log: a workspace's events in order, a customer's timeline."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from mostrador.core.event_log import EventRecord
from mostrador.core.ids import WorkspaceId


def workspace_events(
    session: Session,
    workspace_id: WorkspaceId,
    *,
    after: uuid.UUID | None = None,
    types: Sequence[str] = (),
    limit: int = 100,
) -> Sequence[EventRecord]:
    """Events in the order they were recorded (ids are time-ordered), after a cursor."""
    query = select(EventRecord).where(EventRecord.workspace_id == workspace_id)
    if after is not None:
        query = query.where(EventRecord.id > after)
    if types:
        query = query.where(EventRecord.type.in_(types))
    return session.execute(query.order_by(EventRecord.id).limit(limit)).scalars().all()
