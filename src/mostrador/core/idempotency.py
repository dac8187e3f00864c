"""``Idempotency-Key``: a retried request returns the first result and changes nothing more.

The key row is inserted inside the *same* transaction as the action it protects (the unit
of work picks up the claim set for the current request), so either the change and the key
commit together or neither does. Two concurrent requests with one key cannot both commit:
the primary key lets exactly one through.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import String, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from mostrador.core.db import Base
from mostrador.core.errors import InvalidInput

MAX_KEY_LENGTH = 200


class IdempotencyRecord(Base):
    __tablename__ = "idempotency_keys"

    workspace_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    caller: Mapped[str] = mapped_column(String(200), primary_key=True)
    key: Mapped[str] = mapped_column(String(MAX_KEY_LENGTH), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int | None]
    response: Mapped[dict[str, Any] | None]
    created_at: Mapped[datetime]


@dataclass
class Claim:
    workspace_id: uuid.UUID
    caller: str
    key: str
    request_hash: str
    written: bool = field(default=False)


_current: ContextVar[Claim | None] = ContextVar("idempotency_claim", default=None)


def fingerprint(method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(b"\0".join([method.encode(), path.encode(), body])).hexdigest()


def validate_key(key: str) -> str:
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise InvalidInput(
            f"Idempotency-Key must be 1–{MAX_KEY_LENGTH} printable characters",
            code="invalid_idempotency_key",
        )
    return key


def find(
    session: Session, workspace_id: uuid.UUID, caller: str, key: str
) -> IdempotencyRecord | None:
    return session.execute(
        select(IdempotencyRecord).where(
            IdempotencyRecord.workspace_id == workspace_id,
            IdempotencyRecord.caller == caller,
            IdempotencyRecord.key == key,
        )
    ).scalar_one_or_none()


@contextmanager
def claiming(claim: Claim) -> Iterator[Claim]:
    """Make the next transaction of this request write ``claim`` with its change."""
    token = _current.set(claim)
    try:
        yield claim
    finally:
        _current.reset(token)


def add_pending_claim(session: Session, now: datetime) -> Claim | None:
    """Called by the unit of work before commit: the request's first transaction carries the key.

    Returns the claim so the unit of work can mark it written once the commit succeeded.
    """
    claim = _current.get()
    if claim is None or claim.written:
        return None
    session.add(
        IdempotencyRecord(
            workspace_id=claim.workspace_id,
            caller=claim.caller,
            key=claim.key,
            request_hash=claim.request_hash,
            status_code=None,
            response=None,
            created_at=now,
        )
    )
    return claim


def store_response(
    session: Session, claim: Claim, status_code: int, response: dict[str, Any]
) -> None:
    session.execute(
        update(IdempotencyRecord)
        .where(
            IdempotencyRecord.workspace_id == claim.workspace_id,
            IdempotencyRecord.caller == claim.caller,
            IdempotencyRecord.key == claim.key,
        )
        .values(status_code=status_code, response=response)
    )
