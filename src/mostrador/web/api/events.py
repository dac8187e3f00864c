"""The workspace's event log, for integrations and audits (cursor-paginated)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from mostrador.core import event_queries
from mostrador.core.access import Permission, Principal
from mostrador.core.errors import InvalidInput
from mostrador.web.deps import RuntimeDep, allowed

router = APIRouter(tags=["events"])


class EventOut(BaseModel):
    id: str
    type: str
    version: int
    occurred_at: str
    actor: str | None
    customer_id: str | None
    payload: dict[str, Any]


class EventPage(BaseModel):
    items: list[EventOut]
    next_after: str | None


@router.get("/events", response_model=EventPage)
def list_events(
    runtime: RuntimeDep,
    principal: Annotated[Principal, Depends(allowed(Permission.VIEW_EVENTS))],
    after: Annotated[str | None, Query(description="return events after this event id")] = None,
    type: Annotated[list[str] | None, Query(description="only these event types")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> EventPage:
    try:
        cursor = uuid.UUID(after) if after else None
    except ValueError:
        raise InvalidInput("'after' must be an event id", code="invalid_cursor") from None
    with runtime.uow.read() as session:
        rows = event_queries.workspace_events(
            session, principal.workspace_id, after=cursor, types=type or (), limit=limit
        )
        items = [
            EventOut(
                id=str(r.id),
                type=r.type,
                version=r.version,
                occurred_at=r.occurred_at.isoformat(),
                actor=r.actor,
                customer_id=str(r.customer_id) if r.customer_id else None,
                payload=r.payload,
            )
            for r in rows
        ]
    return EventPage(items=items, next_after=items[-1].id if len(items) == limit else None)
