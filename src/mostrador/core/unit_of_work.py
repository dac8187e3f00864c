"""One transaction per action: the change, its events and their outbox rows commit together;
the events are published only after the commit succeeded.

If publishing fails the events stay in ``event_outbox`` and ``relay_pending`` (run by the
worker, and at start-up) publishes them later: nothing committed is lost, and consumers
de-duplicate by event id, so a second publication has no second effect.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from mostrador.core.bus import EventBus
from mostrador.core.clock import Clock
from mostrador.core.db import WRITE
from mostrador.core.event_log import EventRecord, OutboxEntry
from mostrador.core.events import Envelope, Event, deserialize_event, serialize_event
from mostrador.core.idempotency import add_pending_claim
from mostrador.core.ids import EventId, WorkspaceId, new_id

log = logging.getLogger(__name__)


class Tx:
    """What an action works with: a session, the time it started, and where to record events."""

    def __init__(
        self, session: Session, workspace_id: WorkspaceId | None, actor: str | None, now: datetime
    ) -> None:
        self.session = session
        self.workspace_id = workspace_id
        self.actor = actor
        self.now = now
        self._pending: list[Envelope] = []

    def record(self, event: Event, *, occurred_at: datetime | None = None) -> Envelope:
        """Record ``event`` to be written with this transaction and published after it."""
        envelope = Envelope(
            id=EventId(new_id()),
            workspace_id=self.workspace_id,
            occurred_at=occurred_at or self.now,
            actor=self.actor,
            event=event,
        )
        self._pending.append(envelope)
        return envelope

    def write_events(self) -> list[Envelope]:
        """Add the recorded events and their outbox rows to the session (called before commit)."""
        pending, self._pending = self._pending, []
        if not pending:
            return []
        self.session.execute(
            insert(EventRecord),
            [
                {
                    "id": e.id,
                    "workspace_id": e.workspace_id,
                    "type": e.type,
                    "version": e.version,
                    "occurred_at": e.occurred_at,
                    "actor": e.actor,
                    "customer_id": e.event.customer_ref(),
                    "payload": serialize_event(e.event),
                    "redacted_at": None,
                }
                for e in pending
            ],
        )
        self.session.execute(
            insert(OutboxEntry), [{"event_id": e.id, "attempts": 0} for e in pending]
        )
        return pending


class UnitOfWork:
    """Opens transactions for actions and reading sessions for queries."""

    def __init__(self, sessions: sessionmaker[Session], bus: EventBus, clock: Clock) -> None:
        self.sessions = sessions
        self.bus = bus
        self.clock = clock

    @contextmanager
    def transaction(
        self, workspace_id: WorkspaceId | None, actor: str | None = None
    ) -> Iterator[Tx]:
        session = self.sessions()
        session.connection(execution_options=WRITE)  # SQLite: take the write lock now
        tx = Tx(session, workspace_id, actor, self.clock.now())
        try:
            yield tx
            written = tx.write_events()
            claim = add_pending_claim(session, tx.now)
            session.commit()
            if claim is not None:
                claim.written = True
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()
        if written:
            self.publish_committed(written)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for queries; nothing written through it is kept."""
        session = self.sessions()
        try:
            yield session
        finally:
            # close() ends the transaction without expiring what was loaded, so objects
            # read here stay usable (detached) by the caller.
            session.close()

    def publish_committed(self, envelopes: Sequence[Envelope]) -> bool:
        """Publish committed events and clear their outbox rows; False if they stay queued."""
        ids = [e.id for e in envelopes]
        try:
            self.bus.publish(envelopes)
        except Exception:
            log.warning(
                "publishing %d events failed; the outbox keeps them", len(ids), exc_info=True
            )
            with self.sessions.begin() as session:
                session.execute(
                    update(OutboxEntry)
                    .where(OutboxEntry.event_id.in_(ids))
                    .values(attempts=OutboxEntry.attempts + 1)
                )
            return False
        with self.sessions.begin() as session:
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                session.execute(delete(OutboxEntry).where(OutboxEntry.event_id.in_(chunk)))
        return True

    def relay_pending(self, *, min_age: timedelta = timedelta(seconds=5), limit: int = 500) -> int:
        """Publish events whose publication after commit did not happen; returns how many."""
        cutoff = self.clock.now() - min_age
        with self.read() as session:
            rows = session.execute(
                select(EventRecord)
                .join(OutboxEntry, OutboxEntry.event_id == EventRecord.id)
                .where(EventRecord.occurred_at <= cutoff)
                .order_by(EventRecord.id)
                .limit(limit)
            ).scalars()
            envelopes = [envelope_from_record(r) for r in rows]
        if not envelopes:
            return 0
        return len(envelopes) if self.publish_committed(envelopes) else 0


def envelope_from_record(record: EventRecord) -> Envelope:
    """Rebuild the envelope of a stored event (upcasting old schema versions)."""
    return Envelope(
        id=EventId(record.id),
        workspace_id=WorkspaceId(record.workspace_id) if record.workspace_id else None,
        occurred_at=record.occurred_at,
        actor=record.actor,
        event=deserialize_event(record.type, record.version, record.payload),
    )
