"""The NATS JetStream bus: committed events survive restarts and reach every worker process.

The rest of Mostrador is synchronous, so the bus runs its own asyncio loop in a daemon
thread and the public methods wait on coroutines submitted to it. Delivery is at least
once: a publish is retried by the outbox until JetStream acknowledges it (duplicates within
two minutes are dropped by ``Nats-Msg-Id``), and a consumer's message is acknowledged only
after its handler returned.

URL form: ``nats://host:4222?stream=MOSTRADOR_EVENTS&prefix=mostrador.events``.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import logging
import re
import threading
from collections.abc import Collection, Coroutine, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlsplit, urlunsplit

from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy, StorageType, StreamConfig
from nats.js.errors import NotFoundError

from mostrador.core.bus import Handler, PublishFailed
from mostrador.core.errors import ConfigurationError, ServiceUnavailable
from mostrador.core.events import Envelope

log = logging.getLogger(__name__)

T = TypeVar("T")

DEFAULT_STREAM = "MOSTRADOR_EVENTS"
DEFAULT_PREFIX = "mostrador.events"
DUPLICATE_WINDOW_SECONDS = 120.0
ACK_WAIT_SECONDS = 30.0
MAX_DELIVER = 20
UNKNOWN_TYPE_DELAY_SECONDS = 30.0
FETCH_BATCH = 10
FETCH_WAIT_SECONDS = 5.0
RECONNECT_WAIT_SECONDS = 2
STOP_GRACE_SECONDS = 10.0
_SCHEMES = {"nats", "tls", "ws", "wss"}
_NAME_OK = re.compile(r"^[A-Za-z0-9_-]+$")
_SUBJECT_OK = re.compile(r"^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$")


@dataclass(frozen=True)
class NatsTarget:
    """Where the bus connects and which stream and subject prefix it uses."""

    server: str
    display: str
    stream: str
    prefix: str


def parse_bus_url(url: str) -> NatsTarget:
    """Split ``nats://host:port?stream=..&prefix=..`` into the server URL and the options."""
    parts = urlsplit(url)
    if parts.scheme not in _SCHEMES or not parts.hostname:
        raise ConfigurationError(f"not a NATS URL: {url!r}", code="invalid_bus_url")
    query = parse_qs(parts.query)
    stream = query.get("stream", [DEFAULT_STREAM])[-1]
    prefix = query.get("prefix", [DEFAULT_PREFIX])[-1]
    if not _NAME_OK.match(stream):
        raise ConfigurationError(f"invalid NATS stream name {stream!r}", code="invalid_bus_url")
    if not _SUBJECT_OK.match(prefix):
        raise ConfigurationError(f"invalid NATS subject prefix {prefix!r}", code="invalid_bus_url")
    port = f":{parts.port}" if parts.port else ""
    return NatsTarget(
        server=urlunsplit((parts.scheme, parts.netloc, "", "", "")),
        display=f"{parts.scheme}://{parts.hostname}{port}",  # never shows credentials
        stream=stream,
        prefix=prefix,
    )


def durable_name(consumer: str) -> str:
    """The JetStream consumer name for ``consumer``: NATS forbids dots, wildcards and spaces."""
    name = re.sub(r"[^A-Za-z0-9_-]", "_", consumer)
    if not name:
        raise ValueError("consumer name is empty")
    return name


@dataclass
class _Consumer:
    """One subscription's state, touched only on the bus loop."""

    name: str
    handler: Handler
    event_types: frozenset[str] | None
    pull: JetStreamContext.PullSubscription
    task: asyncio.Task[None] | None = None
    idle: bool = True  # waiting for messages, so cancelling loses nothing


class NatsBus:
    """``EventBus`` on NATS JetStream: one stream, one durable pull consumer per subscriber."""

    def __init__(
        self,
        url: str,
        *,
        connect_timeout: float = 5.0,
        redelivery_delay: float = 1.0,
        publish_timeout: float = 10.0,
    ) -> None:
        self._target = parse_bus_url(url)
        self._connect_timeout = connect_timeout
        self._redelivery_delay = redelivery_delay
        self._publish_timeout = publish_timeout
        self._consumers: dict[str, _Consumer] = {}
        self._lock = threading.Lock()
        self._closed = False
        self._stopping = False
        self._ready = False  # before this, failures are reported by the constructor's error
        self._handlers = ThreadPoolExecutor(thread_name_prefix="nats-bus-handler")
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="nats-bus-loop", daemon=True
        )
        self._thread.start()
        try:
            self._nc, self._js = self._call(self._open(), timeout=3 * connect_timeout + 1)
            self._ready = True
        except BaseException:
            self._stop_loop()
            raise

    # -- public, synchronous API -------------------------------------------------------

    def publish(self, envelopes: Sequence[Envelope]) -> None:
        """Publish in order and wait until JetStream stored every one of them."""
        if not envelopes:
            return
        if self._closed:
            raise PublishFailed("the NATS bus is closed")
        try:
            messages = [(e, json.dumps(e.to_message()).encode()) for e in envelopes]
            self._call(self._publish_all(messages), timeout=2 * self._publish_timeout + 1)
        except Exception as exc:
            raise PublishFailed(
                f"NATS {self._target.display} did not acknowledge {len(envelopes)} events: "
                f"{_reason(exc)}"
            ) from exc

    def subscribe(
        self, consumer: str, handler: Handler, *, event_types: Collection[str] | None = None
    ) -> None:
        """Start consuming as the durable ``consumer``; it resumes where it left off."""
        if self._closed:
            raise ServiceUnavailable("the NATS bus is closed", code="bus_closed")
        types = frozenset(event_types) if event_types is not None else None
        if types is not None and not types:
            raise ValueError(f"consumer {consumer!r} subscribes to no event type")
        name = durable_name(consumer)
        self._call(self._start_consumer(name, handler, types), timeout=3 * self._connect_timeout)

    def ping(self) -> bool:
        """True when connected and JetStream answers for our stream; never raises."""
        if self._closed:
            return False
        try:
            return self._call(self._ping(), timeout=self._connect_timeout)
        except Exception:
            return False

    def close(self) -> None:
        """Let running handlers finish, stop consuming, drain the connection, end the loop."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        try:
            self._call(self._shutdown(), timeout=STOP_GRACE_SECONDS + self._connect_timeout + 5)
        except Exception:
            log.warning("NATS bus did not close cleanly", exc_info=True)
        finally:
            self._stop_loop()

    # -- loop plumbing ------------------------------------------------------------------

    def _call(self, coro: Coroutine[Any, Any, T], *, timeout: float) -> T:
        """Run ``coro`` on the bus loop and wait for it; a timeout cancels it there."""
        if threading.current_thread() is self._thread:
            coro.close()
            raise RuntimeError("NatsBus methods must not be called from its own event loop")
        future = asyncio.run_coroutine_threadsafe(coro, self._loop)
        try:
            return future.result(timeout)
        except TimeoutError:
            future.cancel()
            raise

    def _stop_loop(self) -> None:
        """End the loop thread and the handler threads (without waiting for stuck handlers)."""
        self._loop.call_soon_threadsafe(self._loop.stop)  # queued even if not yet running
        self._thread.join(timeout=5)
        if not self._thread.is_alive():
            self._loop.close()
        self._handlers.shutdown(wait=False, cancel_futures=True)

    # -- connection and stream ------------------------------------------------------------

    async def _open(self) -> tuple[Client, JetStreamContext]:
        """Connect, then make sure the stream exists with our subjects and dedupe window."""
        nc = await self._connect()
        try:
            js = nc.jetstream(timeout=self._connect_timeout)
            await self._ensure_stream(js)
        except Exception as exc:
            await nc.close()
            raise ServiceUnavailable(
                f"NATS JetStream at {self._target.display} is not usable: {_reason(exc)}",
                code="bus_unreachable",
            ) from None
        return nc, js

    async def _connect(self) -> Client:
        """Fail on the first refused attempt instead of retrying for minutes; once connected,
        the client reconnects on its own for as long as the bus lives."""
        nc = Client()
        first_error: asyncio.Future[Exception] = self._loop.create_future()

        async def on_error(exc: Exception) -> None:
            if not first_error.done():
                first_error.set_result(exc)
            if self._ready:
                log.warning("NATS %s: %s", self._target.display, _reason(exc))

        connecting = asyncio.ensure_future(
            nc.connect(
                servers=[self._target.server],
                name="mostrador",
                error_cb=on_error,
                disconnected_cb=self._on_disconnected,
                reconnected_cb=self._on_reconnected,
                connect_timeout=max(1, round(self._connect_timeout)),
                reconnect_time_wait=RECONNECT_WAIT_SECONDS,
                max_reconnect_attempts=-1,
            )
        )
        racing: list[asyncio.Future[Any]] = [connecting, first_error]
        await asyncio.wait(
            racing,
            timeout=self._connect_timeout,
            return_when=asyncio.FIRST_COMPLETED,
        )
        if connecting.done() and not connecting.cancelled() and connecting.exception() is None:
            return nc
        reason = _connect_failure(connecting, first_error, self._connect_timeout)
        await _abandon(connecting, nc)
        raise ServiceUnavailable(
            f"NATS at {self._target.display} is not reachable: {reason}", code="bus_unreachable"
        )

    async def _on_disconnected(self) -> None:
        if self._ready and not self._stopping:
            log.warning("NATS %s disconnected; reconnecting", self._target.display)

    async def _on_reconnected(self) -> None:
        log.info("NATS %s reconnected", self._target.display)

    async def _ensure_stream(self, js: JetStreamContext) -> None:
        """Create the stream, or adjust only subjects and dedupe window of an existing one so
        that limits an operator tuned (max age, replicas...) are kept."""
        subjects = [f"{self._target.prefix}.>"]
        try:
            info = await js.stream_info(self._target.stream)
        except NotFoundError:
            await js.add_stream(
                StreamConfig(
                    name=self._target.stream,
                    subjects=subjects,
                    storage=StorageType.FILE,
                    duplicate_window=DUPLICATE_WINDOW_SECONDS,
                )
            )
            return
        config = info.config
        if config.subjects != subjects or config.duplicate_window != DUPLICATE_WINDOW_SECONDS:
            await js.update_stream(
                dataclasses.replace(
                    config, subjects=subjects, duplicate_window=DUPLICATE_WINDOW_SECONDS
                )
            )

    async def _ping(self) -> bool:
        if not self._nc.is_connected:
            return False
        await self._js.stream_info(self._target.stream)
        return True

    # -- publishing -----------------------------------------------------------------------

    async def _publish_all(self, messages: list[tuple[Envelope, bytes]]) -> None:
        """Send all in order without waiting in between, then wait for every ack."""
        acks = []
        for envelope, data in messages:
            acks.append(
                await self._js.publish_async(
                    f"{self._target.prefix}.{envelope.type}",
                    data,
                    wait_stall=self._publish_timeout,
                    stream=self._target.stream,
                    headers={"Nats-Msg-Id": str(envelope.id)},
                )
            )
        await asyncio.wait_for(asyncio.gather(*acks), self._publish_timeout)

    # -- consuming ------------------------------------------------------------------------

    async def _start_consumer(
        self, name: str, handler: Handler, event_types: frozenset[str] | None
    ) -> None:
        if name in self._consumers:
            raise ValueError(f"consumer {name!r} is already subscribed")
        config = ConsumerConfig(
            name=name,
            durable_name=name,
            deliver_policy=DeliverPolicy.ALL,
            ack_policy=AckPolicy.EXPLICIT,
            ack_wait=ACK_WAIT_SECONDS,
            max_deliver=MAX_DELIVER,
            **self._filter(event_types),
        )
        await self._js.add_consumer(self._target.stream, config=config)
        pull = await self._js.pull_subscribe_bind(durable=name, stream=self._target.stream)
        consumer = _Consumer(name=name, handler=handler, event_types=event_types, pull=pull)
        self._consumers[name] = consumer
        consumer.task = asyncio.create_task(self._consume(consumer), name=f"nats-consumer-{name}")

    def _filter(self, event_types: frozenset[str] | None) -> dict[str, Any]:
        """Server-side filter: one subject, several if the server has ``filter_subjects``
        (2.10+; older servers silently ignore it), else everything and filter on receipt."""
        prefix = self._target.prefix
        if event_types is None:
            return {"filter_subject": f"{prefix}.>"}
        if len(event_types) == 1:
            return {"filter_subject": f"{prefix}.{next(iter(event_types))}"}
        version = self._nc.connected_server_version
        if (version.major, version.minor) >= (2, 10):
            return {"filter_subjects": sorted(f"{prefix}.{t}" for t in event_types)}
        return {"filter_subject": f"{prefix}.>"}

    async def _consume(self, consumer: _Consumer) -> None:
        """Fetch batches and hand each message to the handler, one at a time, in order."""
        while not self._stopping:
            consumer.idle = True
            try:
                messages = await consumer.pull.fetch(FETCH_BATCH, timeout=FETCH_WAIT_SECONDS)
            except TimeoutError:
                continue
            except Exception as exc:
                if self._nc.is_closed:
                    return
                log.warning("consumer %s: fetch failed: %s", consumer.name, _reason(exc))
                await asyncio.sleep(RECONNECT_WAIT_SECONDS)
                continue
            consumer.idle = False
            for msg in messages:
                if self._stopping:
                    await msg.nak()  # hand it back now rather than after ack_wait
                    continue
                try:
                    await self._deliver(consumer, msg)
                except Exception as exc:  # the ack itself failed: the server redelivers it
                    log.warning("consumer %s: ack failed: %s", consumer.name, _reason(exc))

    async def _deliver(self, consumer: _Consumer, msg: Msg) -> None:
        """Ack after the handler returned; nak with a delay when it raised; term garbage."""
        try:
            message = json.loads(msg.data)
            if consumer.event_types is not None and message["type"] not in consumer.event_types:
                await msg.ack()
                return
            envelope = Envelope.from_message(message)
        except ConfigurationError as exc:
            # An event type this code does not know yet (a newer worker may): never drop it.
            log.warning("consumer %s: %s; handing it back", consumer.name, exc.message)
            await msg.nak(delay=UNKNOWN_TYPE_DELAY_SECONDS)
            return
        except Exception:
            log.exception("consumer %s: undecodable message on %s", consumer.name, msg.subject)
            await msg.term()
            return
        try:
            await self._loop.run_in_executor(self._handlers, consumer.handler, envelope)
        except Exception:
            attempt = msg.metadata.num_delivered
            final = " (last attempt, giving up)" if attempt >= MAX_DELIVER else ""
            log.exception(
                "consumer %s failed on event %s, attempt %d%s",
                consumer.name,
                envelope.id,
                attempt,
                final,
            )
            await msg.nak(delay=self._redelivery_delay)
            return
        await msg.ack()

    # -- shutdown -------------------------------------------------------------------------

    async def _shutdown(self) -> None:
        self._stopping = True
        tasks = [c.task for c in self._consumers.values() if c.task is not None]
        for consumer in self._consumers.values():
            if consumer.idle and consumer.task is not None:
                consumer.task.cancel()
        if tasks:
            _, late = await asyncio.wait(tasks, timeout=STOP_GRACE_SECONDS)
            for task in late:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        for consumer in self._consumers.values():
            with contextlib.suppress(Exception):
                await consumer.pull.unsubscribe()
        self._consumers.clear()
        await _disconnect(self._nc)


async def _abandon(connecting: asyncio.Future[None], nc: Client) -> None:
    """Stop a connection attempt that failed or is still retrying, and free its socket."""
    connecting.cancel()
    with contextlib.suppress(BaseException):
        await connecting
    with contextlib.suppress(Exception):
        await nc.close()


async def _disconnect(nc: Client) -> None:
    """Drain (flushes pending acks and publishes); plain close if draining is impossible."""
    try:
        await nc.drain()
    except Exception:
        await nc.close()


def _connect_failure(
    connecting: asyncio.Future[None], first_error: asyncio.Future[Exception], timeout: float
) -> str:
    if connecting.done() and not connecting.cancelled() and connecting.exception() is not None:
        return _reason(connecting.exception())
    if first_error.done():
        return _reason(first_error.result())
    return f"no answer within {timeout:g} s"


def _reason(exc: BaseException | None) -> str:
    """One line for logs and error messages (nats errors often have an empty ``str``)."""
    if exc is None:
        return "unknown error"
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return text or type(exc).__name__
