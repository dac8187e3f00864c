"""Sortable identifiers (UUIDv7) and the typed ids every context shares.

UUIDv7 puts a millisecond timestamp in the high bits, so ids sort by creation time,
index well on PostgreSQL and SQLite, and can be generated without the database.
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from typing import NewType

WorkspaceId = NewType("WorkspaceId", uuid.UUID)
UserId = NewType("UserId", uuid.UUID)
TeamId = NewType("TeamId", uuid.UUID)
LocationId = NewType("LocationId", uuid.UUID)
EventId = NewType("EventId", uuid.UUID)
TokenId = NewType("TokenId", uuid.UUID)

_lock = threading.Lock()
_last_ms = 0
_counter = 0


def uuid7(now_ms: int | None = None) -> uuid.UUID:
    """A UUIDv7 (RFC 9562): 48-bit Unix ms, 12-bit counter within the ms, 62 random bits."""
    global _last_ms, _counter
    with _lock:
        ms = time.time_ns() // 1_000_000 if now_ms is None else now_ms
        if ms <= _last_ms:
            # Same (or a backwards) millisecond: keep order by counting within the last one.
            _counter += 1
            if _counter > 0xFFF:
                _last_ms += 1
                _counter = 0
            ms = _last_ms
        else:
            _last_ms = ms
            _counter = int.from_bytes(os.urandom(2), "big") & 0x3FF  # leave room to count up
        counter = _counter
    rand = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= counter << 64
    value |= 0b10 << 62
    value |= rand
    return uuid.UUID(int=value)


def uuid7_time_ms(value: uuid.UUID) -> int:
    """The Unix millisecond a UUIDv7 was made at."""
    return value.int >> 80


def new_id() -> uuid.UUID:
    """A fresh sortable id; wrap it in its typed id where created (``LocationId(new_id())``)."""
    return uuid7()
