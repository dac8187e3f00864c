"""End to end on the scale-out setup: an action commits on the database, its event travels
through NATS JetStream, and a consumer applies it exactly once even when it arrives twice."""

from __future__ import annotations

import socket
import threading
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from mostrador.bootstrap import Runtime, bootstrap
from mostrador.core.clock import FixedClock
from mostrador.core.consumers import idempotent_handler
from mostrador.core.event_log import AppliedEvent, OutboxEntry
from mostrador.core.events import Envelope
from mostrador.core.nats_bus import NatsBus
from mostrador.core.unit_of_work import Tx
from mostrador.core.workspaces import Location, LocationOpened
from mostrador.settings import load_settings
from tests.conftest import unavailable
from tests.support.factories import make_location, make_workspace
from tests.support.nats import delete_stream

pytestmark = pytest.mark.nats


@pytest.fixture
def nats_runtime(database_url: str, clock: FixedClock) -> Iterator[Runtime]:
    try:
        socket.create_connection(("127.0.0.1", 4222), timeout=1.0).close()
    except OSError:
        unavailable("NATS is not reachable at 127.0.0.1:4222")
    stream = f"T{uuid.uuid4().hex[:10].upper()}"
    url = f"nats://127.0.0.1:4222?stream={stream}&prefix=t{stream.lower()}"
    rt = bootstrap(load_settings(database_url=database_url, bus_url=url), clock=clock)
    assert isinstance(rt.bus, NatsBus)
    yield rt
    rt.close()
    delete_stream(stream)


def test_a_redelivered_event_has_no_second_effect(nats_runtime: Runtime) -> None:
    """The consumer applies the event, then 'crashes' before acking; NATS redelivers it."""
    runtime = nats_runtime
    second_delivery = threading.Event()
    attempts: list[uuid.UUID] = []

    def mark_open(tx: Tx, envelope: Envelope) -> None:
        event = envelope.event
        assert isinstance(event, LocationOpened)
        location = tx.session.get(Location, event.location_id)
        assert location is not None
        location.name += " ✓"

    apply = idempotent_handler(runtime.uow, "mark-open", mark_open)

    def consumer(envelope: Envelope) -> None:
        attempts.append(envelope.id)
        apply(envelope)
        if len(attempts) == 1:
            raise RuntimeError("worker died before acknowledging")
        second_delivery.set()

    runtime.bus.subscribe("mark-open", consumer, event_types={"workspaces.LocationOpened"})
    ws = make_workspace(runtime)
    make_location(runtime, ws, "PAL")

    assert second_delivery.wait(15.0)
    assert len(attempts) == 2
    assert attempts[0] == attempts[1]
    with runtime.uow.read() as session:
        assert session.execute(select(Location.name)).scalar_one() == "Sucursal PAL ✓"
        assert session.execute(select(func.count()).select_from(AppliedEvent)).scalar_one() == 1
        assert session.execute(select(func.count()).select_from(OutboxEntry)).scalar_one() == 0
