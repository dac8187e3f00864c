"""What a rule's conditions can look at: the event's own fields, who the customer is, and
whether the business is open. Read in the rule's transaction."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mostrador import customers
from mostrador.core.events import Envelope, serialize_event
from mostrador.core.ids import WorkspaceId
from mostrador.core.workspaces import Location, hours

__all__ = ["facts_of", "open_now"]


def open_now(session: Session, workspace_id: uuid.UUID, at: datetime) -> bool:
    """Whether the business is open: the first store's hours (as the SLA clocks read them)."""
    first = session.execute(
        select(Location)
        .where(Location.workspace_id == workspace_id, Location.kind == "store")
        .order_by(Location.code)
        .limit(1)
    ).scalar_one_or_none()
    if first is None or not first.opening_hours:
        return True
    schedule = hours.build_schedule(
        time_zone=first.time_zone,
        opening_hours=first.opening_hours,
        country=first.country,
        subdivision=first.holiday_subdivision,
        closures=first.closures,
    )
    return hours.is_open(schedule, at)


def facts_of(
    session: Session, envelope: Envelope, at: datetime, wanted: Collection[str] | None = None
) -> dict[str, Any]:
    """The flat facts of one event (``channel``, ``customer.tags``, ``business_hours``...);
    with ``wanted``, the facts that need a query are read only if some field asks for them."""
    found: dict[str, Any] = {
        "event.type": envelope.type,
        "event.actor": envelope.actor or "",
    }
    for name, value in serialize_event(envelope.event).items():
        found[name] = value
    if envelope.workspace_id is not None and (wanted is None or "business_hours" in wanted):
        found["business_hours"] = open_now(session, envelope.workspace_id, at)
    customer_id = getattr(envelope.event, "customer_id", None)
    about_customer = wanted is None or any(name.startswith("customer.") for name in wanted)
    if customer_id is not None and envelope.workspace_id is not None and about_customer:
        person = session.get(customers.Customer, customer_id)
        if person is not None and person.workspace_id == envelope.workspace_id:
            survivor = customers.canonical_id(
                session, WorkspaceId(envelope.workspace_id), person.id
            )
            person = session.get(customers.Customer, survivor) or person
            found |= {
                "customer.language": person.language,
                "customer.tags": list(person.tags),
                "customer.preferred_channel": person.preferred_channel,
                "customer.country": person.country,
            }
    return found
