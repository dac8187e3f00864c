"""Persist what a provider delivered, exactly once, before answering it.

The raw body and its parsed messages and statuses are written in one transaction; the
unique key on ``(account_id, provider_message_id)`` (not a cache check) makes a redelivery
store nothing new. Identity, threading, the bot and rules run afterwards (``threads``).
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Table, and_, bindparam, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from mostrador.channels.base import Attachment, Inbound, Parsed, StatusReport
from mostrador.conversations.models import (
    ChannelAccount,
    Message,
    StatusReportRecord,
    WebhookDelivery,
)
from mostrador.core.errors import NotFound
from mostrador.core.ids import new_id
from mostrador.core.unit_of_work import Tx, UnitOfWork

log = logging.getLogger(__name__)

_MESSAGES: Table = Message.__table__  # type: ignore[assignment]
_REPORTS: Table = StatusReportRecord.__table__  # type: ignore[assignment]

# A status only moves forward; ``failed`` can replace anything not yet delivered.
STATUS_RANK = {"queued": 0, "sent": 1, "delivered": 2, "read": 3}
_MAY_BECOME = {
    "sent": ("queued",),
    "delivered": ("queued", "sent"),
    "read": ("queued", "sent", "delivered"),
    "failed": ("queued", "sent"),
}


@dataclass(frozen=True)
class Stored:
    """What one delivery added: new messages (duplicates are not counted) and statuses."""

    delivery_id: uuid.UUID
    new_messages: int
    duplicates: int
    statuses: int


def _attachment_row(attachment: Attachment) -> dict[str, Any]:
    row = {k: v for k, v in asdict(attachment).items() if k != "content" and v is not None}
    if attachment.content is not None:
        row["size"] = len(attachment.content)
    return row


def contact_of(item: Inbound) -> dict[str, str]:
    """What the identity engine will get about the customer (kept with the message)."""
    sender = item.sender
    found = {
        "address": sender.address,
        "name": sender.name,
        "phone": sender.phone,
        "email": sender.email,
        "username": sender.username,
        "bsuid": sender.bsuid,
    }
    found.update({k: v for k, v in item.extra.items() if k in ("user_id", "verified")})
    return {k: v for k, v in found.items() if v}


def message_row(
    item: Inbound, account: ChannelAccount, now: datetime, delivery_id: uuid.UUID | None
) -> dict[str, Any]:
    """The ``messages`` row of a parsed item (unthreaded until ``threads`` takes it)."""
    inbound = item.direction == "inbound"
    return {
        "id": new_id(),
        "workspace_id": account.workspace_id,
        "account_id": account.id,
        "channel": account.kind,
        "provider_message_id": item.provider_message_id,
        "direction": item.direction,
        "kind": item.kind,
        "text": item.text,
        "subject": item.subject,
        "attachments": [_attachment_row(a) for a in item.attachments],
        "extra": dict(item.extra),
        "address": item.sender.address,
        "sender_name": item.sender.name if inbound else None,
        "contact": contact_of(item),
        "reply_to": item.reply_to,
        "thread_refs": list(item.thread_refs)
        + ([f"token:{item.reply_token}"] if item.reply_token else []),
        "author_id": None,
        "author_kind": "customer" if inbound else "business_app",
        "conversation_id": None,
        "customer_id": None,
        "status": "received" if inbound else "sent",
        "status_at": item.sent_at,
        "error_code": None,
        "error_reason": None,
        "sent_at": item.sent_at,
        "created_at": now,
        "threaded_at": None,
        "thread_failures": 0,
        "delivery_id": delivery_id,
    }


def _insert_new(session: Session, table: Table, keys: list[str]) -> Any:
    """One cached ``INSERT ... ON CONFLICT DO NOTHING`` per dialect and table, run as an
    executemany (compiled once, not per delivery)."""
    dialect = session.get_bind().dialect.name
    cached = _INSERTS.get((dialect, table.name))
    if cached is None:
        cached = (
            (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
            .on_conflict_do_nothing(index_elements=keys)
            .returning(table.c.id)
        )
        _INSERTS[(dialect, table.name)] = cached
    return cached


_INSERTS: dict[tuple[str, str], Any] = {}


def store_messages(tx: Tx, rows: Sequence[dict[str, Any]]) -> int:
    """Insert message rows, skipping those whose provider id is already stored; the count of
    new ones. Rows of one statement must not repeat a key (Meta repeats within a batch)."""
    if not rows:
        return 0
    unique: dict[tuple[Any, Any], dict[str, Any]] = {}
    for row in rows:
        unique.setdefault((row["account_id"], row["provider_message_id"]), row)
    if tx.session.get_bind().dialect.name == "postgresql":
        return _store_as_json(tx, list(unique.values()))
    statement = _insert_new(tx.session, _MESSAGES, ["account_id", "provider_message_id"])
    return len(tx.session.execute(statement, list(unique.values())).all())


# PostgreSQL takes the whole batch as one JSON parameter: one short statement the driver
# parses once, instead of a multi-row VALUES list whose text changes with every batch size.
_PG_JSON_INSERT = text(
    "INSERT INTO messages SELECT * FROM json_populate_recordset(NULL::messages, :rows) "
    "ON CONFLICT (account_id, provider_message_id) DO NOTHING RETURNING id"
)


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def _store_as_json(tx: Tx, rows: list[dict[str, Any]]) -> int:
    document = json.dumps([{k: _json_value(v) for k, v in row.items()} for row in rows])
    return len(tx.session.execute(_PG_JSON_INSERT, {"rows": document}).all())


def _apply_statement(status: str) -> Any:
    return (
        update(_MESSAGES)
        .where(
            and_(
                _MESSAGES.c.account_id == bindparam("a_id"),
                _MESSAGES.c.provider_message_id == bindparam("p_id"),
                _MESSAGES.c.status.in_(_MAY_BECOME[status]),
            )
        )
        .values(
            status=status,
            status_at=bindparam("at"),
            error_code=bindparam("code"),
            error_reason=bindparam("reason"),
        )
    )


_APPLY = {status: _apply_statement(status) for status in _MAY_BECOME}


def apply_status(
    tx: Tx,
    account_id: uuid.UUID,
    provider_message_id: str,
    status: str,
    at: datetime,
    code: str | None = None,
    reason: str | None = None,
) -> None:
    """Move a stored message's status forward (never back: ``read`` may come first)."""
    tx.session.execute(
        _APPLY[status],
        {"a_id": account_id, "p_id": provider_message_id, "at": at, "code": code, "reason": reason},
    )


def apply_stored_reports(tx: Tx, account_id: uuid.UUID, provider_message_id: str) -> None:
    """Apply reports that arrived before we knew the message (a read before our send
    returned, an echo after its statuses)."""
    reports = tx.session.scalars(
        select(StatusReportRecord).where(
            StatusReportRecord.account_id == account_id,
            StatusReportRecord.provider_message_id == provider_message_id,
        )
    ).all()
    for r in sorted(reports, key=lambda r: STATUS_RANK.get(r.status, 9)):
        apply_status(
            tx, account_id, provider_message_id, r.status, r.at, r.error_code, r.error_reason
        )


def store_statuses(tx: Tx, reports: Iterable[tuple[ChannelAccount, StatusReport]]) -> int:
    """Keep every report (even for a message we do not know yet) and apply it."""
    rows: dict[tuple[uuid.UUID, str, str], dict[str, Any]] = {
        (account.id, r.provider_message_id, r.status): {
            "id": new_id(),
            "account_id": account.id,
            "provider_message_id": r.provider_message_id,
            "status": r.status,
            "at": r.at,
            "error_code": r.error_code,
            "error_reason": r.error_reason,
        }
        for account, r in reports
    }
    if not rows:
        return 0
    tx.session.execute(
        _insert_new(tx.session, _REPORTS, ["account_id", "provider_message_id", "status"]),
        list(rows.values()),
    )
    # Apply in status order so that a batch holding sent, read and delivered ends at read.
    for row in sorted(rows.values(), key=lambda r: STATUS_RANK.get(r["status"], 9)):
        apply_status(
            tx,
            row["account_id"],
            row["provider_message_id"],
            row["status"],
            row["at"],
            row["error_code"],
            row["error_reason"],
        )
    return len(rows)


def ingest(
    uow: UnitOfWork,
    provider: str,
    body: bytes,
    parsed: Parsed,
    accounts: Mapping[str, ChannelAccount],
) -> Stored:
    """Write the delivery, its new messages and its statuses in one transaction.

    ``accounts`` maps the provider's account ids this delivery may name (already checked
    against the signature) to our accounts; items for other accounts are logged and
    skipped, and a delivery naming none of them is ``NotFound`` (nothing stored)."""
    items = [(accounts.get(m.account), m) for m in parsed.messages]
    reports = [(accounts.get(s.account), s) for s in parsed.statuses]
    unknown = sorted(
        {m.account for a, m in items if a is None} | {s.account for a, s in reports if a is None}
    )
    if unknown:
        log.warning(
            "%s delivery names unknown accounts %s; those items are skipped", provider, unknown
        )
    known_items = [(a, m) for a, m in items if a is not None]
    known_reports = [(a, s) for a, s in reports if a is not None]
    if unknown and not known_items and not known_reports:
        raise NotFound(
            f"no connected {provider} account {', '.join(unknown)}", code="unknown_account"
        )
    named = [a for a, _ in known_items] + [a for a, _ in known_reports]
    with uow.transaction(None, actor=f"webhook:{provider}") as tx:
        delivery = WebhookDelivery(
            id=new_id(),
            provider=provider,
            account_id=named[0].id if named else None,
            received_at=tx.now,
            body=body,
            messages=len(known_items),
            statuses=len(known_reports),
        )
        tx.session.add(delivery)
        tx.session.flush()
        rows = [message_row(m, a, tx.now, delivery.id) for a, m in known_items]
        new = store_messages(tx, rows)
        statuses = store_statuses(tx, known_reports)
        for row in rows:
            if row["direction"] == "outbound":
                apply_stored_reports(tx, row["account_id"], row["provider_message_id"])
    return Stored(delivery.id, new, len(rows) - new, statuses)
