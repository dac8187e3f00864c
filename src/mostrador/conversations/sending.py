"""The outbound queue: every queued message is sent, retried with backoff, or marked failed
with the provider's reason for the agent to see.

A send is claimed with a conditional update (``pending`` → ``sending``), so two senders
never both take it; the provider call happens outside any transaction; the result is
recorded in a new one. A claim older than ``LEASE`` (a sender died mid-call) is taken again.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

import httpx
from sqlalchemy import CursorResult, delete, or_, select, update

from mostrador.channels.base import Adapter, Attachment, Outgoing, SendFailed, Sent, Template
from mostrador.conversations.accounts import settings_of
from mostrador.conversations.events import MessageFailed, MessageSent
from mostrador.conversations.ingestion import apply_stored_reports
from mostrador.conversations.models import ChannelAccount, Message, OutboundSend
from mostrador.core.ids import WorkspaceId
from mostrador.core.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
LEASE = timedelta(minutes=5)
BACKOFF_CAP = timedelta(hours=1)
PACE_INLINE = 1.0  # seconds: a rate-limit wait up to this long is slept, not re-queued


def backoff(attempts: int) -> timedelta:
    """Wait before the next try: 2, 4, 8 ... seconds after each failure, at most an hour."""
    return min(timedelta(seconds=2**attempts), BACKOFF_CAP)


class RateLimits:
    """Per-account pacing inside this process (providers cap messages per second)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._next: dict[uuid.UUID, float] = {}
        self._clock = clock
        self._lock = threading.Lock()

    def wait_for(self, account_id: uuid.UUID, per_second: float) -> float:
        """Seconds to wait before this account may send again; reserves the slot when 0."""
        with self._lock:
            now = self._clock()
            ready = self._next.get(account_id, now)
            if ready > now:
                return ready - now
            self._next[account_id] = max(ready, now) + 1.0 / per_second
            return 0.0


@dataclass(frozen=True)
class Claimed:
    message_id: uuid.UUID
    workspace_id: WorkspaceId
    account: ChannelAccount
    outgoing: Outgoing
    attempts: int


def outgoing_of(message: Message, payload: Mapping[str, Any]) -> Outgoing:
    """The adapter's view of a queued message."""
    template = payload.get("template")
    attachment = payload.get("attachment")
    return Outgoing(
        recipient=message.address,
        text=message.text if not template else "",
        template=Template(
            name=template["name"],
            language=template["language"],
            variables=tuple(template["variables"]),
        )
        if template
        else None,
        attachments=(
            Attachment(
                kind=attachment["kind"], url=attachment["url"], caption=message.text or None
            ),
        )
        if attachment
        else (),
        tag=payload.get("tag"),
        subject=payload.get("subject"),
        thread_refs=tuple(payload.get("thread_refs", ())),
        reply_address=payload.get("reply_address"),
    )


def _claim(uow: UnitOfWork, now: datetime, limit: int) -> list[Claimed]:
    with uow.read() as session:
        due = session.scalars(
            select(OutboundSend.message_id)
            .where(
                or_(
                    (OutboundSend.state == "pending") & (OutboundSend.next_attempt_at <= now),
                    (OutboundSend.state == "sending") & (OutboundSend.updated_at <= now - LEASE),
                )
            )
            .order_by(OutboundSend.next_attempt_at)
            .limit(limit)
        ).all()
    claimed: list[Claimed] = []
    for message_id in due:
        with uow.transaction(None, actor="sender") as tx:
            claim = tx.session.execute(
                update(OutboundSend)
                .where(
                    OutboundSend.message_id == message_id,
                    or_(
                        OutboundSend.state == "pending",
                        (OutboundSend.state == "sending")
                        & (OutboundSend.updated_at <= now - LEASE),
                    ),
                )
                .values(state="sending", updated_at=tx.now)
            )
            taken = cast(CursorResult[Any], claim).rowcount
            if taken != 1:
                continue
            send = tx.session.get(OutboundSend, message_id)
            message = tx.session.get(Message, message_id)
            account = tx.session.get(ChannelAccount, send.account_id) if send else None
            if send is None or message is None or account is None:
                continue
            claimed.append(
                Claimed(
                    message_id,
                    WorkspaceId(message.workspace_id),
                    account,
                    outgoing_of(message, send.payload),
                    send.attempts,
                )
            )
    return claimed


def _record_sent(uow: UnitOfWork, item: Claimed, sent: Sent) -> None:
    with uow.transaction(item.workspace_id, actor="sender") as tx:
        # A provider may echo our own message before its send call returned (Messenger):
        # the echo row gives way to the message we queued.
        tx.session.execute(
            delete(Message).where(
                Message.account_id == item.account.id,
                Message.provider_message_id == sent.provider_message_id,
                Message.id != item.message_id,
                Message.author_kind == "business_app",
            )
        )
        message = tx.session.get(Message, item.message_id)
        if message is None:
            return
        message.provider_message_id = sent.provider_message_id
        message.status = "sent"
        message.status_at = tx.now
        tx.session.execute(
            update(OutboundSend)
            .where(OutboundSend.message_id == item.message_id)
            .values(state="sent", attempts=item.attempts + 1, updated_at=tx.now, last_error=None)
        )
        tx.session.flush()
        apply_stored_reports(tx, item.account.id, sent.provider_message_id)
        if message.conversation_id is not None and message.customer_id is not None:
            tx.record(
                MessageSent(
                    message_id=message.id,
                    conversation_id=message.conversation_id,
                    customer_id=message.customer_id,
                    channel=message.channel,
                    author=message.author_kind,
                )
            )


def _record_failure(uow: UnitOfWork, item: Claimed, failure: SendFailed) -> None:
    attempts = item.attempts + 1
    final = not failure.retryable or attempts >= MAX_ATTEMPTS
    with uow.transaction(item.workspace_id, actor="sender") as tx:
        tx.session.execute(
            update(OutboundSend)
            .where(OutboundSend.message_id == item.message_id)
            .values(
                state="failed" if final else "pending",
                attempts=attempts,
                next_attempt_at=tx.now + backoff(attempts),
                last_error=failure.reason[:500],
                updated_at=tx.now,
            )
        )
        message = tx.session.get(Message, item.message_id)
        if message is None or not final:
            return
        message.status = "failed"
        message.status_at = tx.now
        message.error_code = (failure.code or "send_failed")[:40]
        message.error_reason = failure.reason[:500]
        if message.conversation_id is not None and message.customer_id is not None:
            tx.record(
                MessageFailed(
                    message_id=message.id,
                    conversation_id=message.conversation_id,
                    customer_id=message.customer_id,
                    channel=message.channel,
                    reason=failure.reason[:500],
                )
            )


def _postpone(uow: UnitOfWork, item: Claimed, seconds: float) -> None:
    with uow.transaction(item.workspace_id, actor="sender") as tx:
        tx.session.execute(
            update(OutboundSend)
            .where(OutboundSend.message_id == item.message_id)
            .values(
                state="pending",
                next_attempt_at=tx.now + timedelta(seconds=seconds),
                updated_at=tx.now,
            )
        )


def send_due(
    uow: UnitOfWork,
    adapters: Mapping[str, Adapter],
    client: httpx.Client,
    limits: RateLimits,
    *,
    limit: int = 50,
) -> int:
    """Send what is due now; returns how many were attempted."""
    claimed = _claim(uow, uow.clock.now(), limit)
    for item in claimed:
        wait = limits.wait_for(item.account.id, item.account.sends_per_second)
        while 0 < wait <= PACE_INLINE:  # a short wait keeps the queue's order
            time.sleep(wait)
            wait = limits.wait_for(item.account.id, item.account.sends_per_second)
        if wait > 0:
            _postpone(uow, item, wait)
            continue
        adapter = adapters.get(item.account.kind)
        try:
            if adapter is None:
                raise SendFailed(f"no adapter sends on {item.account.kind}", retryable=False)
            sent = adapter.send(client, settings_of(item.account), item.outgoing)
        except SendFailed as failure:
            log.info("send of %s failed: %s", item.message_id, failure.reason)
            _record_failure(uow, item, failure)
            continue
        except Exception as exc:  # a bug in an adapter must not stop the queue
            log.exception("adapter %s raised on %s", item.account.kind, item.message_id)
            _record_failure(uow, item, SendFailed(f"unexpected error: {exc}", retryable=True))
            continue
        _record_sent(uow, item, sent)
    return len(claimed)


def retry_now(uow: UnitOfWork, workspace_id: WorkspaceId, message_id: uuid.UUID) -> None:
    """An agent asks to send a failed message again."""
    with uow.transaction(workspace_id, actor="sender") as tx:
        tx.session.execute(
            update(OutboundSend)
            .where(OutboundSend.message_id == message_id, OutboundSend.state == "failed")
            .values(state="pending", attempts=0, next_attempt_at=tx.now, updated_at=tx.now)
        )
        tx.session.execute(
            update(Message)
            .where(Message.id == message_id, Message.status == "failed")
            .values(status="queued", error_code=None, error_reason=None, status_at=tx.now)
        )
