"""The NATS JetStream bus against a real server: ordering, dedupe, redelivery, durability.

Each test works in its own stream and subject prefix and deletes the stream afterwards.
"""

from __future__ import annotations

import asyncio
import os
import socket
import threading
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

import nats
import pytest
from nats.js import JetStreamContext
from nats.js.api import ConsumerInfo

from mostrador.core.errors import ServiceUnavailable
from mostrador.core.events import Envelope, Event, domain_event
from mostrador.core.ids import EventId, new_id
from mostrador.core.nats_bus import NatsBus

NATS_HOST = "127.0.0.1"
NATS_PORT = 4222
SERVER = f"nats://{NATS_HOST}:{NATS_PORT}"
WAIT_SECONDS = 10.0

T = TypeVar("T")


def _server_answers() -> bool:
    try:
        with socket.create_connection((NATS_HOST, NATS_PORT), timeout=1.0):
            return True
    except OSError:
        return False


if not _server_answers():
    _why = f"NATS is not reachable at {SERVER}"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{_why} (CI must start it)", pytrace=False)
    pytest.skip(_why, allow_module_level=True)

pytestmark = pytest.mark.nats


@domain_event("tests.ParcelWeighed")
@dataclass(frozen=True, kw_only=True)
class ParcelWeighed(Event):
    grams: int


@domain_event("tests.ParcelLabelled")
@dataclass(frozen=True, kw_only=True)
class ParcelLabelled(Event):
    label: str


@domain_event("tests.ParcelShipped")
@dataclass(frozen=True, kw_only=True)
class ParcelShipped(Event):
    carrier: str


def envelope(event: Event) -> Envelope:
    return Envelope(
        id=EventId(new_id()),
        workspace_id=None,
        occurred_at=datetime.now(UTC),
        actor="test",
        event=event,
    )


class Received:
    """A handler that records what it was given and lets the test wait for a count."""

    def __init__(self, fail_first: bool = False) -> None:
        self.envelopes: list[Envelope] = []
        self._fail_first = fail_first
        self._changed = threading.Condition()

    def __call__(self, env: Envelope) -> None:
        with self._changed:
            self.envelopes.append(env)
            self._changed.notify_all()
            if self._fail_first and len(self.envelopes) == 1:
                raise RuntimeError("first delivery fails on purpose")

    def wait_for(self, count: int) -> list[Envelope]:
        with self._changed:
            self._changed.wait_for(lambda: len(self.envelopes) >= count, timeout=WAIT_SECONDS)
            return list(self.envelopes)


def with_jetstream(action: Callable[[JetStreamContext], Awaitable[T]]) -> T:
    """Inspect the server directly, independent of the bus under test."""

    async def run() -> T:
        nc = await nats.connect(SERVER)
        try:
            return await action(nc.jetstream())
        finally:
            await nc.close()

    return asyncio.run(run())


def wait_settled(stream: str, consumer: str) -> ConsumerInfo:
    """Wait until the consumer has nothing pending and nothing unacknowledged: after that no
    further delivery can happen, so the received list is final."""

    async def read(js: JetStreamContext) -> ConsumerInfo:
        info: ConsumerInfo = await js.consumer_info(stream, consumer)
        return info

    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        info = with_jetstream(read)
        if (info.num_pending, info.num_ack_pending) == (0, 0) or time.monotonic() > deadline:
            return info
        time.sleep(0.05)


@dataclass
class Names:
    stream: str
    prefix: str

    @property
    def url(self) -> str:
        return f"{SERVER}?stream={self.stream}&prefix={self.prefix}"


@pytest.fixture
def names() -> Iterator[Names]:
    token = uuid.uuid4().hex[:12]
    names = Names(stream=f"TEST_{token}", prefix=f"test.{token}")
    yield names
    with_jetstream(lambda js: js.delete_stream(names.stream))


@pytest.fixture
def open_bus(names: Names) -> Iterator[Callable[[], NatsBus]]:
    """Opens buses on this test's stream and closes them all at the end."""
    buses: list[NatsBus] = []

    def open_one() -> NatsBus:
        bus = NatsBus(names.url, redelivery_delay=0.2)
        buses.append(bus)
        return bus

    yield open_one
    for bus in buses:
        bus.close()


def test_subscriber_receives_published_events_in_order(
    names: Names, open_bus: Callable[[], NatsBus]
) -> None:
    bus = open_bus()
    received = Received()
    bus.subscribe("scale", received)
    sent = [envelope(ParcelWeighed(grams=g)) for g in (5, 10, 15)]

    bus.publish(sent)

    received.wait_for(3)
    assert wait_settled(names.stream, "scale").num_ack_pending == 0
    assert received.envelopes == sent


def test_publishing_the_same_envelope_twice_delivers_it_once(
    names: Names, open_bus: Callable[[], NatsBus]
) -> None:
    bus = open_bus()
    received = Received()
    bus.subscribe("scale", received)
    once = envelope(ParcelWeighed(grams=5))

    bus.publish([once])
    bus.publish([once])

    received.wait_for(1)
    wait_settled(names.stream, "scale")
    stored = with_jetstream(lambda js: js.stream_info(names.stream))
    assert stored.state.messages == 1
    assert received.envelopes == [once]


def test_event_whose_handler_failed_is_delivered_again_until_it_succeeds(
    names: Names, open_bus: Callable[[], NatsBus]
) -> None:
    bus = open_bus()
    received = Received(fail_first=True)
    bus.subscribe("flaky", received)
    sent = envelope(ParcelWeighed(grams=5))

    bus.publish([sent])

    received.wait_for(2)
    info = wait_settled(names.stream, "flaky")
    assert (info.num_pending, info.num_ack_pending, info.num_redelivered) == (0, 0, 0)
    assert received.envelopes == [sent, sent]


def test_durable_consumer_resumes_after_the_last_acknowledged_event(
    names: Names, open_bus: Callable[[], NatsBus]
) -> None:
    first = envelope(ParcelWeighed(grams=1))
    later = [envelope(ParcelWeighed(grams=2)), envelope(ParcelWeighed(grams=3))]
    before_restart = Received()
    bus = open_bus()
    bus.subscribe("c1", before_restart)
    bus.publish([first])
    before_restart.wait_for(1)
    wait_settled(names.stream, "c1")
    bus.close()

    publisher = open_bus()
    publisher.publish(later)
    after_restart = Received()
    open_bus().subscribe("c1", after_restart)

    after_restart.wait_for(2)
    wait_settled(names.stream, "c1")
    assert before_restart.envelopes == [first]
    assert after_restart.envelopes == later


def test_subscriber_receives_only_the_event_types_it_asked_for(
    names: Names, open_bus: Callable[[], NatsBus]
) -> None:
    bus = open_bus()
    weighed_only = Received()
    two_types = Received()
    bus.subscribe("weighing", weighed_only, event_types=["tests.ParcelWeighed"])
    bus.subscribe("dispatch", two_types, event_types=["tests.ParcelWeighed", "tests.ParcelShipped"])
    weighed = envelope(ParcelWeighed(grams=5))
    labelled = envelope(ParcelLabelled(label="A-1"))
    shipped = envelope(ParcelShipped(carrier="correo"))

    bus.publish([labelled, weighed, shipped])

    two_types.wait_for(2)
    weighed_only.wait_for(1)
    wait_settled(names.stream, "weighing")
    wait_settled(names.stream, "dispatch")
    assert weighed_only.envelopes == [weighed]
    assert two_types.envelopes == [weighed, shipped]


def test_unreachable_server_is_reported_at_once_as_service_unavailable() -> None:
    loops_before = sum(t.name == "nats-bus-loop" for t in threading.enumerate())

    with pytest.raises(ServiceUnavailable) as raised:
        NatsBus("nats://127.0.0.1:1", connect_timeout=2.0)

    assert raised.value.code == "bus_unreachable"
    assert raised.value.message.startswith("NATS at nats://127.0.0.1:1 is not reachable: ")
    assert "\n" not in raised.value.message
    assert sum(t.name == "nats-bus-loop" for t in threading.enumerate()) == loops_before


def test_ping_is_true_on_a_live_bus_and_false_once_closed(open_bus: Callable[[], NatsBus]) -> None:
    bus = open_bus()

    assert bus.ping() is True
    bus.close()
    assert bus.ping() is False
    bus.close()
    assert bus.ping() is False
