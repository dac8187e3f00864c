"""The background worker: publishes events left in the outbox and runs the bus consumers.

In the embedded default the web process does this itself (``serve`` starts a relay
thread); with NATS, run any number of ``mostrador worker`` processes.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta

import httpx

from mostrador import assistant, automation, mail_intake
from mostrador.bootstrap import Runtime
from mostrador.channels.registry import adapters
from mostrador.commerce import actions as commerce_actions
from mostrador.conversations import RateLimits, send_due, sweep_sla, thread_pending
from mostrador.conversations import actions as conversation_actions
from mostrador.core.consumers import apply_once
from mostrador.core.db import refresh_statistics
from mostrador.core.events import Envelope
from mostrador.core.ids import WorkspaceId
from mostrador.core.workspaces import queries as workspace_queries

log = logging.getLogger(__name__)


def subscribe_consumers(runtime: Runtime) -> None:
    """Subscribe the event consumers: the assistant reads every customer message of a
    workspace whose bot is on, once (``apply_once``), after the message was threaded; the
    workspace's rules meet every event, each rule at most once per event."""

    def bot(envelope: Envelope) -> None:
        if envelope.workspace_id is None:
            return
        with runtime.uow.read() as session:
            if not assistant.enabled_for(session, envelope.workspace_id):
                return
        apply_once(runtime.uow, assistant.CONSUMER, envelope, assistant.respond)
        runtime.inbox_signal.set()  # its answer is queued: send it now

    runtime.bus.subscribe(assistant.CONSUMER, bot, event_types=("conversations.MessageReceived",))

    def rules(envelope: Envelope) -> None:
        automation.on_event(runtime.uow, envelope)  # journeys start and end on events too
        if automation.run_rules(runtime.uow, envelope):
            runtime.inbox_signal.set()  # a rule may have queued a reply

    runtime.bus.subscribe(automation.CONSUMER, rules)


def warm_assistant() -> None:
    """Load (or train, the first time) the assistant's model before the first message needs it."""
    threading.Thread(target=assistant.classifier, daemon=True, name="assistant-warmup").start()


def relay_once(runtime: Runtime, *, min_age: timedelta = timedelta(seconds=5)) -> int:
    """Publish every event whose publication after commit did not happen; returns the count."""
    published = 0
    while True:
        count = runtime.uow.relay_pending(min_age=min_age)
        published += count
        if count == 0:
            return published


STATISTICS_EVERY = 3600.0  # seconds between planner statistics refreshes
HOUSEKEEPING_EVERY = 300.0  # seconds between sweeps of time-based work (expired pickups)


def housekeeping(runtime: Runtime) -> int:
    """Time-based work in every workspace: pickups nobody collected and expired cart and
    quote holds give their units back. Returns how many orders and units were released."""
    with runtime.uow.read() as session:
        workspaces = [WorkspaceId(ws.id) for ws in workspace_queries.all_workspaces(session)]
    done = 0
    for workspace_id in workspaces:
        done += commerce_actions.expire_pickups(runtime.uow, workspace_id)
        done += commerce_actions.expire_holds(runtime.uow, workspace_id)
    return done


def run_relay(runtime: Runtime, stop: threading.Event, *, interval: float = 5.0) -> None:
    """Relay until ``stop`` is set; a failing pass is logged and retried at the next tick.

    Once an hour it also refreshes the database's planner statistics, which keep real-time
    lookups on their indexes as tables grow."""
    last_statistics = time.monotonic()
    last_housekeeping = 0.0
    while not stop.is_set():
        try:
            count = relay_once(runtime)
            if count:
                log.info("relayed %d events from the outbox", count)
            if time.monotonic() - last_housekeeping >= HOUSEKEEPING_EVERY:
                last_housekeeping = time.monotonic()
                done = housekeeping(runtime)
                if done:
                    log.info("housekeeping: %d expired pickups and held units released", done)
            if time.monotonic() - last_statistics >= STATISTICS_EVERY:
                last_statistics = time.monotonic()
                refresh_statistics(runtime.engine)
        except Exception:
            log.exception("outbox relay pass failed")
        stop.wait(interval)


def start_relay_thread(runtime: Runtime, *, interval: float = 5.0) -> threading.Event:
    """Run the relay in a daemon thread; set the returned event to stop it."""
    stop = threading.Event()
    thread = threading.Thread(
        target=run_relay,
        args=(runtime, stop),
        kwargs={"interval": interval},
        daemon=True,
        name="outbox-relay",
    )
    thread.start()
    return stop


INBOX_TICK = 1.0  # seconds the inbox loop sleeps when nothing woke it
INBOX_SWEEP_EVERY = 30.0  # seconds between SLA sweeps and snooze wake-ups
MAILBOX_POLL_EVERY = 60.0  # seconds between IMAP polls


def inbox_pass(runtime: Runtime, client: httpx.Client, limits: RateLimits) -> int:
    """Thread what was received, then send what is due (replies and rules' webhooks)."""
    done = 0
    while True:
        threaded = thread_pending(runtime.uow)
        done += threaded
        if threaded == 0:
            break
    done += send_due(runtime.uow, adapters(), client, limits)
    done += automation.deliver_webhooks(
        runtime.uow, client, allow_private=runtime.settings.webhook_allow_private
    )
    return done


def inbox_sweep(runtime: Runtime) -> int:
    """SLA warnings and breaches, snoozed conversations waking up, journeys' due steps."""
    with runtime.uow.read() as session:
        workspaces = [WorkspaceId(ws.id) for ws in workspace_queries.all_workspaces(session)]
    done = 0
    for workspace_id in workspaces:
        done += sweep_sla(runtime.uow, workspace_id)
        done += conversation_actions.wake_snoozed(runtime.uow, workspace_id)
        done += automation.advance_due(runtime.uow, workspace_id)
    return done


def run_inbox(runtime: Runtime, stop: threading.Event) -> None:
    """Thread, send and sweep until ``stop``; a delivery or a reply wakes it at once."""
    limits = RateLimits()
    last_sweep = 0.0
    last_poll = 0.0
    with httpx.Client(timeout=httpx.Timeout(15.0, connect=5.0)) as client:
        while not stop.is_set():
            runtime.inbox_signal.clear()
            try:
                inbox_pass(runtime, client, limits)
                if time.monotonic() - last_sweep >= INBOX_SWEEP_EVERY:
                    last_sweep = time.monotonic()
                    inbox_sweep(runtime)
                if time.monotonic() - last_poll >= MAILBOX_POLL_EVERY:
                    last_poll = time.monotonic()
                    mail_intake.poll_mailboxes(runtime)
            except Exception:
                log.exception("inbox pass failed")
            runtime.inbox_signal.wait(INBOX_TICK)


def start_inbox_thread(runtime: Runtime) -> threading.Event:
    stop = threading.Event()

    def stopping() -> None:
        stop.wait()
        runtime.inbox_signal.set()

    threading.Thread(target=run_inbox, args=(runtime, stop), daemon=True, name="inbox").start()
    threading.Thread(target=stopping, daemon=True, name="inbox-stop").start()
    return stop
