"""Outgoing webhooks: a rule's ``call_webhook`` queues the call in its transaction; the
inbox loop delivers what is due, signed, to public addresses only (unless the deployment
allows private ones), retrying with backoff until the receiver answers 2xx."""

from __future__ import annotations

import json
import socket
import time
import uuid
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx
from sqlalchemy import select

from mostrador.automation.models import OutgoingWebhook
from mostrador.automation.webhook_rules import BACKOFF, MAX_ATTEMPTS, blocked_address, sign
from mostrador.core.events import Envelope, serialize_event
from mostrador.core.ids import new_id
from mostrador.core.unit_of_work import Tx, UnitOfWork

__all__ = ["deliver_due", "queue_call"]

_BATCH = 50
_LEASE = timedelta(minutes=2)  # longer than one call may take


def queue_call(
    tx: Tx, rule_id: uuid.UUID, rule_name: str, action: dict[str, Any], envelope: Envelope
) -> uuid.UUID:
    delivery = OutgoingWebhook(
        id=new_id(),
        workspace_id=tx.workspace_id,
        rule_id=rule_id,
        event_id=envelope.id,
        url=action["url"],
        secret=action["secret"],
        body={
            "event": {
                "id": str(envelope.id),
                "type": envelope.type,
                "occurred_at": envelope.occurred_at.isoformat(),
                "payload": serialize_event(envelope.event),
            },
            "rule": {"id": str(rule_id), "name": rule_name},
        },
        state="pending",
        attempts=0,
        next_attempt_at=tx.now,
        last_error=None,
        created_at=tx.now,
        sent_at=None,
    )
    tx.session.add(delivery)
    return delivery.id


def _public(url: str) -> str | None:
    """Why the URL's host must not be called, or None (every address it resolves to checked)."""
    host = urlsplit(url).hostname or ""
    port = urlsplit(url).port or (443 if url.startswith("https") else 80)
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, port)}
    except OSError:
        return "the host does not resolve"
    if any(blocked_address(str(address).split("%")[0]) for address in addresses):
        return "the host is a private, loopback or reserved address"
    return None


def _attempt(
    client: httpx.Client,
    delivery_id: uuid.UUID,
    url: str,
    secret: str,
    payload: dict[str, Any],
    allow_private: bool,
) -> str | None:
    """Send once; None when the receiver accepted it, else why not."""
    if not allow_private:
        refused = _public(url)
        if refused is not None:
            return f"blocked: {refused}"
    body = json.dumps({"id": str(delivery_id), **payload}, separators=(",", ":")).encode()
    stamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "X-Mostrador-Timestamp": str(stamp),
        "X-Mostrador-Signature": sign(secret, stamp, body),
        "X-Mostrador-Event": str(payload["event"]["type"]),
        "Idempotency-Key": str(delivery_id),
    }
    try:
        answer = client.post(url, content=body, headers=headers, follow_redirects=False)
    except httpx.HTTPError as exc:
        return f"{type(exc).__name__}: {exc}"[:500]
    return None if answer.is_success else f"HTTP {answer.status_code}"


def deliver_due(uow: UnitOfWork, client: httpx.Client, *, allow_private: bool) -> int:
    """Deliver the due calls of every workspace; returns how many were accepted now.

    Claimed in one short transaction (a lease: ``next_attempt_at`` moves past the call's
    timeout), called with no transaction open, each outcome written in its own."""
    with uow.transaction(None, actor="webhooks") as tx:
        due = tx.session.scalars(
            select(OutgoingWebhook)
            .where(OutgoingWebhook.state == "pending", OutgoingWebhook.next_attempt_at <= tx.now)
            .order_by(OutgoingWebhook.next_attempt_at)
            .limit(_BATCH)
            .with_for_update(skip_locked=True)
        ).all()
        for claim in due:
            claim.next_attempt_at = tx.now + _LEASE
        claimed = [(d.id, d.url, d.secret, dict(d.body)) for d in due]
    accepted = 0
    for delivery_id, url, secret, body in claimed:
        problem = _attempt(client, delivery_id, url, secret, body, allow_private)
        with uow.transaction(None, actor="webhooks") as tx:
            delivery = tx.session.get(OutgoingWebhook, delivery_id)
            if delivery is None:
                continue
            delivery.attempts += 1
            if problem is None:
                delivery.state, delivery.sent_at, delivery.next_attempt_at = "sent", tx.now, None
                delivery.last_error = None
                accepted += 1
                continue
            delivery.last_error = problem
            if delivery.attempts >= MAX_ATTEMPTS or problem.startswith("blocked"):
                delivery.state, delivery.next_attempt_at = "failed", None
            else:
                delivery.next_attempt_at = _later(tx.now, delivery.attempts)
    return accepted


def _later(now: datetime, attempts: int) -> datetime:
    return now + BACKOFF[min(attempts, len(BACKOFF)) - 1]
