"""The event bus interface and the in-process bus (the embedded default).

Events reach the bus only after their transaction committed. Delivery is at least once:
a consumer that must not act twice wraps its handler with ``apply_once`` (see
``core.consumers``), which records the event ids it has applied.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Protocol

from mostrador.core.events import Envelope

log = logging.getLogger(__name__)

Handler = Callable[[Envelope], None]


class PublishFailed(Exception):
    """Some subscriber or the broker did not take the events; they stay in the outbox."""


class EventBus(Protocol):
    def publish(self, envelopes: Sequence[Envelope]) -> None:
        """Deliver committed events; raise ``PublishFailed`` if they may not have arrived."""
        ...

    def subscribe(
        self, consumer: str, handler: Handler, *, event_types: Collection[str] | None = None
    ) -> None:
        """Call ``handler`` for every event (of ``event_types``, if given) under a durable name."""
        ...

    def ping(self) -> bool:
        """Whether the bus can take events right now (for ``/readyz``)."""
        ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class _Subscription:
    consumer: str
    handler: Handler
    event_types: frozenset[str] | None


class InProcessBus:
    """Calls subscribers synchronously in the publishing thread, in subscription order."""

    def __init__(self) -> None:
        self._subscriptions: list[_Subscription] = []
        self._lock = threading.Lock()

    def subscribe(
        self, consumer: str, handler: Handler, *, event_types: Collection[str] | None = None
    ) -> None:
        with self._lock:
            if any(s.consumer == consumer for s in self._subscriptions):
                raise ValueError(f"consumer {consumer!r} is already subscribed")
            types = frozenset(event_types) if event_types is not None else None
            self._subscriptions.append(_Subscription(consumer, handler, types))

    def publish(self, envelopes: Sequence[Envelope]) -> None:
        with self._lock:
            subscriptions = list(self._subscriptions)
        failures: list[str] = []
        for envelope in envelopes:
            for sub in subscriptions:
                if sub.event_types is not None and envelope.type not in sub.event_types:
                    continue
                try:
                    sub.handler(envelope)
                except Exception:
                    log.exception("consumer %s failed on event %s", sub.consumer, envelope.id)
                    failures.append(f"{sub.consumer}:{envelope.id}")
        if failures:
            raise PublishFailed(f"{len(failures)} deliveries failed: {', '.join(failures[:5])}")

    def ping(self) -> bool:
        return True

    def close(self) -> None:
        with self._lock:
            self._subscriptions.clear()
