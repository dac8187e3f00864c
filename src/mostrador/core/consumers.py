"""Exactly-once effects on top of at-least-once delivery.

``apply_once`` runs a handler in the same transaction that records (consumer, event id);
a redelivered or re-published event finds its id there and is skipped.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from mostrador.core.bus import Handler
from mostrador.core.event_log import AppliedEvent
from mostrador.core.events import Envelope
from mostrador.core.unit_of_work import Tx, UnitOfWork

TxHandler = Callable[[Tx, Envelope], None]


def apply_once(uow: UnitOfWork, consumer: str, envelope: Envelope, handler: TxHandler) -> bool:
    """Apply ``envelope`` with ``handler`` unless ``consumer`` already did; True if applied now."""
    try:
        with uow.transaction(envelope.workspace_id, actor=f"consumer:{consumer}") as tx:
            seen = tx.session.execute(
                select(AppliedEvent.event_id).where(
                    AppliedEvent.consumer == consumer, AppliedEvent.event_id == envelope.id
                )
            ).first()
            if seen is not None:
                return False
            tx.session.add(AppliedEvent(consumer=consumer, event_id=envelope.id, applied_at=tx.now))
            tx.session.flush()
            handler(tx, envelope)
    except IntegrityError:
        # Another worker applied the same event concurrently and committed first.
        return False
    return True


def idempotent_handler(uow: UnitOfWork, consumer: str, handler: TxHandler) -> Handler:
    """A bus handler that applies each event at most once for ``consumer``."""

    def handle(envelope: Envelope) -> None:
        apply_once(uow, consumer, envelope, handler)

    return handle
