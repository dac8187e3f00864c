"""The append-only ``events`` table, the outbox of not-yet-published events, and the
record of which consumer has applied which event (so a redelivery has no second effect).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from mostrador.core.db import Base


class EventRecord(Base):
    """One event, written in the same transaction as the change it describes.

    Never updated, except that an erasure may blank its payload once (``redacted_at``).
    """

    __tablename__ = "events"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    workspace_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    type: Mapped[str] = mapped_column(String(120), index=True)
    version: Mapped[int]
    occurred_at: Mapped[datetime]
    actor: Mapped[str | None] = mapped_column(String(200))
    customer_id: Mapped[uuid.UUID | None]
    payload: Mapped[dict[str, Any]]
    # Set once when personal data in the payload is erased (a data-subject request); the
    # database allows exactly this change and nothing else.
    redacted_at: Mapped[datetime | None]

    __table_args__ = (
        Index("ix_events_workspace_occurred", "workspace_id", "occurred_at"),
        Index("ix_events_timeline", "workspace_id", "customer_id", "occurred_at"),
    )


class OutboxEntry(Base):
    """An event committed but not yet confirmed as published on the bus."""

    __tablename__ = "event_outbox"

    event_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    attempts: Mapped[int] = mapped_column(default=0)


class AppliedEvent(Base):
    """Consumer ``consumer`` has applied event ``event_id``; the primary key is the guard."""

    __tablename__ = "applied_events"

    consumer: Mapped[str] = mapped_column(String(120), primary_key=True)
    event_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    applied_at: Mapped[datetime]
