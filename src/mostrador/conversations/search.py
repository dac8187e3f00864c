"""Full-text search over messages: SQLite FTS5 (accents folded) or a PostgreSQL ``tsvector``
in the workspace's language (Spanish, Portuguese or English stemming).

Messages are indexed when they are threaded or queued; the index holds the message id,
its workspace and the searchable text only.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence

from sqlalchemy import text
from sqlalchemy.orm import Session

from mostrador.core.ids import WorkspaceId

LANGUAGE_CONFIG = {"es": "spanish", "pt": "portuguese", "en": "english"}
_WORD = re.compile(r"\w+", re.UNICODE)

_PG_INDEX = text(
    "INSERT INTO message_search (message_id, workspace_id, document) "
    "VALUES (:id, :ws, to_tsvector(CAST(:config AS regconfig), :body)) "
    "ON CONFLICT (message_id) DO NOTHING"
)
_SQLITE_INDEX = text(
    "INSERT INTO message_search (message_id, workspace_id, body) VALUES (:id, :ws, :body)"
)


def _is_pg(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _key(session: Session, value: uuid.UUID) -> str:
    """Ids as the table stores them (SQLite FTS columns are text)."""
    return str(value) if _is_pg(session) else value.hex


def index_messages(
    session: Session,
    workspace_id: WorkspaceId,
    items: Sequence[tuple[uuid.UUID, str]],
    language: str,
) -> None:
    """Add messages (id, searchable text) to the index; empty texts are skipped."""
    rows = [(i, body) for i, body in items if body.strip()]
    if not rows:
        return
    if _is_pg(session):
        config = LANGUAGE_CONFIG.get(language[:2], "simple")
        session.execute(
            _PG_INDEX,
            [{"id": i, "ws": workspace_id, "config": config, "body": body} for i, body in rows],
        )
    else:
        session.execute(
            _SQLITE_INDEX, [{"id": i.hex, "ws": workspace_id.hex, "body": body} for i, body in rows]
        )


def _fts_query(query: str) -> str:
    """Words as quoted FTS5 terms (no operator syntax from users), the last one a prefix."""
    words = _WORD.findall(query)
    if not words:
        return ""
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def matching_ids(
    session: Session, workspace_id: WorkspaceId, query: str, language: str, *, limit: int
) -> list[uuid.UUID]:
    """Ids of the messages matching every word of ``query``, newest first (what an agent
    looks for is usually recent; ranking every match of a common word by relevance would
    cost time proportional to the matches). Message ids are time-ordered (UUIDv7), and
    FTS5 rows are added in threading order."""
    if _is_pg(session):
        return _pg_matching_ids(session, workspace_id, query, language, limit)
    match = _fts_query(query)
    if not match:
        return []
    rows = session.execute(
        text(
            "SELECT message_id FROM message_search WHERE message_search MATCH :q "
            "AND workspace_id = :ws ORDER BY rowid DESC LIMIT :limit"
        ),
        {"q": match, "ws": workspace_id.hex, "limit": limit},
    ).scalars()
    return [uuid.UUID(hex=r) for r in rows]


# PostgreSQL cannot tell a rare word from a common one it has not sampled, so it walks
# the id index backwards for both: instant for a common word, a full scan for a rare one.
# A bitmap probe capped at RARE_CAP matches decides: few matches are read through the GIN
# index and sorted; many are found quickly walking back from the newest.
RARE_CAP = 2000
_PG_PROBE = text(
    "SELECT count(*) FROM (SELECT 1 FROM message_search WHERE workspace_id = :ws "
    "AND document @@ websearch_to_tsquery(CAST(:config AS regconfig), :q) LIMIT :cap) AS found"
)
_PG_FEW = text(
    "SELECT message_id FROM (SELECT message_id FROM message_search WHERE workspace_id = :ws "
    "AND document @@ websearch_to_tsquery(CAST(:config AS regconfig), :q) OFFSET 0) AS found "
    "ORDER BY message_id DESC LIMIT :limit"
)
_PG_MANY = text(
    "SELECT message_id FROM message_search WHERE workspace_id = :ws "
    "AND document @@ websearch_to_tsquery(CAST(:config AS regconfig), :q) "
    "ORDER BY message_id DESC LIMIT :limit"
)
_BITMAP_ONLY = text("SET LOCAL enable_indexscan = off; SET LOCAL enable_seqscan = off")
_PLANNER_DEFAULTS = text("SET LOCAL enable_indexscan = on; SET LOCAL enable_seqscan = on")


def _pg_matching_ids(
    session: Session, workspace_id: WorkspaceId, query: str, language: str, limit: int
) -> list[uuid.UUID]:
    params = {
        "config": LANGUAGE_CONFIG.get(language[:2], "simple"),
        "q": query,
        "ws": workspace_id,
        "limit": limit,
        "cap": RARE_CAP + 1,
    }
    session.execute(_BITMAP_ONLY)
    try:
        found = session.execute(_PG_PROBE, params).scalar_one()
        if found <= RARE_CAP:
            rows = session.execute(_PG_FEW, params).scalars().all()
        else:
            session.execute(_PLANNER_DEFAULTS)
            rows = session.execute(_PG_MANY, params).scalars().all()
    finally:
        session.execute(_PLANNER_DEFAULTS)
    return [r if isinstance(r, uuid.UUID) else uuid.UUID(str(r)) for r in rows]
